// kyso x509 — SHA-256 fingerprints of certificates and of their public keys, as lowercase hex.
#include "x509/fingerprint.h"

#include <openssl/evp.h>

#include "core/messages.h"
#include "x509/handles.h"
#include "x509/openssl_error.h"

namespace kyso::x509 {

namespace {

// Fetched once: an implicit fetch on every EVP_Digest call costs more than hashing a
// certificate. Never freed, so it stays valid during OpenSSL's own exit-time cleanup.
const EVP_MD* sha256_md() {
    static const EVP_MD* const md = [] {
        const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        clear_openssl_errors();
        return fetched != nullptr ? fetched : EVP_sha256();
    }();
    return md;
}

}  // namespace

std::string lower_hex(std::span<const std::uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(bytes.size() * 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        out[2 * i] = kDigits[bytes[i] >> 4];
        out[2 * i + 1] = kDigits[bytes[i] & 0x0F];
    }
    return out;
}

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

Result<std::string> sha256_hex(std::span<const std::uint8_t> bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, sha256_md(), nullptr) != 1) {
        return make_error("x509.internal", {}, {take_openssl_error("SHA-256")});
    }
    return lower_hex({digest, size});
}

Result<std::string> public_key_sha256_hex(const X509* cert) {
    const X509_PUBKEY* key = cert != nullptr ? X509_get_X509_PUBKEY(cert) : nullptr;
    unsigned char* der = nullptr;
    const int size = key != nullptr ? i2d_X509_PUBKEY(key, &der) : -1;
    const OpenSslBytes owned(der);
    if (size <= 0 || der == nullptr) {
        return make_error("x509.bad_public_key", {}, {take_openssl_error("no public key")});
    }
    return sha256_hex({der, static_cast<std::size_t>(size)});
}

}  // namespace kyso::x509
