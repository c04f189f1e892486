// kyso x509 — SHA-256 fingerprints of certificates and of their public keys, as lowercase hex.
#pragma once

#include <openssl/x509.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kyso::x509 {

// Lowercase hex of SHA-256 over `bytes` (a certificate's DER gives its usual fingerprint).
Result<std::string> sha256_hex(std::span<const std::uint8_t> bytes);

// `bytes` in base64 with padding (RFC 4648 §4), by OpenSSL's EVP_EncodeBlock; at most 1.5 GiB.
std::string base64(std::string_view bytes);

// Lowercase hex of SHA-256 over the DER SubjectPublicKeyInfo of `cert`: equal for every
// certificate issued for the same key, so it links re-issued certificates to one device key.
Result<std::string> public_key_sha256_hex(const X509* cert);

// Lowercase hex of `bytes`.
std::string lower_hex(std::span<const std::uint8_t> bytes);

}  // namespace kyso::x509
