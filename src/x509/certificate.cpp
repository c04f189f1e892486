// kyso x509 — reading real X.509 certificates (PEM, DER, PKCS#7) into plain values.
#include "x509/certificate.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <utility>

#include "core/messages.h"
#include "core/values.h"
#include "x509/fingerprint.h"
#include "x509/handles.h"
#include "x509/name.h"
#include "x509/openssl_error.h"

namespace kyso::x509 {

namespace {

// RFC 5280 §4.2.1.3, bits in order.
constexpr const char* kKeyUsageBits[] = {
    "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
    "keyCertSign",      "cRLSign",        "encipherOnly",    "decipherOnly",
};

// FORMATS.md §1: uppercase hex of the magnitude, two digits a byte, as `openssl x509 -serial`
// prints it (its i2a_ASN1_INTEGER); zero is "00", and a (non-conforming, RFC 5280 §4.1.2.2)
// negative serial is "-" and its magnitude ("-05"). core normalize_serial gives the same form.
std::string serial_of(const X509* cert) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
    const unsigned char* p = ASN1_STRING_get0_data(serial);
    int n = ASN1_STRING_length(serial);
    while (n > 0 && *p == 0) {
        ++p;
        --n;
    }
    if (n <= 0) return "00";
    std::string out;
    out.reserve(static_cast<std::size_t>(n) * 2 + 1);
    if (ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER) out += '-';
    for (int i = 0; i < n; ++i) {
        out += kDigits[p[i] >> 4];
        out += kDigits[p[i] & 0x0F];
    }
    return out;
}

struct Instant {
    std::string iso;
    Date date;
};

Result<Instant> instant_of(const ASN1_TIME* time, const char* which) {
    std::tm tm{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
        clear_openssl_errors();
        return make_error("x509.bad_time", {}, {which});
    }
    Instant out;
    out.date = Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    // The years kyso reads a date in (core/date.h): a bundle written from it reads back.
    if (out.date.year < kMinYear || out.date.year > kMaxYear)
        return make_error("x509.bad_time", {}, {which});
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", out.date.year, out.date.month,
                  out.date.day, tm.tm_hour, tm.tm_min, tm.tm_sec);
    out.iso = buf;
    return out;
}

Result<std::vector<std::string>> key_usage_of(const X509* cert) {
    std::vector<std::string> out;
    int critical = -1;
    // X509_get_ext_d2i decodes only this extension; X509_get_key_usage would cache every
    // extension and a SHA-1 of the certificate first.
    const Asn1BitStringPtr bits(
        static_cast<ASN1_BIT_STRING*>(X509_get_ext_d2i(cert, NID_key_usage, &critical, nullptr)));
    if (!bits) {
        if (critical == -1) return out;  // absent
        clear_openssl_errors();
        // -2: RFC 5280 §4.2 allows one instance of an extension; otherwise undecodable.
        return make_error("x509.bad_extension", {}, {"keyUsage"});
    }
    for (int bit = 0; bit < static_cast<int>(std::size(kKeyUsageBits)); ++bit) {
        if (ASN1_BIT_STRING_get_bit(bits.get(), bit) == 1) out.emplace_back(kKeyUsageBits[bit]);
    }
    return out;
}

// Everything but the DER from a decoded certificate; `der` is its encoding.
Result<CertInfo> info_of(const X509* cert, std::vector<std::uint8_t> der) {
    CertInfo info;
    info.serial = serial_of(cert);
    // RFC 5280 §4.1.2.2: conforming CAs use at most 20 octets; a longer serial is refused (kyso
    // keys certificates by serial, and no certificate it must handle has one).
    if (!serial_fits(info.serial))
        return make_error("x509.serial_too_long", {},
                          {info.serial, std::to_string(serial_octets(info.serial))});
    info.subject = subject_of(X509_get_subject_name(cert));
    info.issuer = subject_of(X509_get_issuer_name(cert));
    auto from = instant_of(X509_get0_notBefore(cert), "notBefore");
    if (!from) return std::move(from.error());
    auto until = instant_of(X509_get0_notAfter(cert), "notAfter");
    if (!until) return std::move(until.error());
    info.not_before = std::move(from->iso);
    info.not_before_date = from->date;
    info.not_after = std::move(until->iso);
    info.not_after_date = until->date;
    auto usage = key_usage_of(cert);
    if (!usage) return std::move(usage.error());
    info.key_usage = std::move(*usage);
    auto cert_hash = sha256_hex(der);
    if (!cert_hash) return std::move(cert_hash.error());
    info.sha256_cert = std::move(*cert_hash);
    auto key_hash = public_key_sha256_hex(cert);
    if (!key_hash) return std::move(key_hash.error());
    info.sha256_key = std::move(*key_hash);
    info.der = std::move(der);
    return info;
}

// `inner` happened to the n-th certificate of a file holding several.
Error at_item(Error inner, std::size_t n) {
    const std::string index = std::to_string(n);
    inner.message = message("x509.item", {index}, false) + ": " + inner.message;
    inner.message_en = message("x509.item", {index}, true) + ": " + inner.message_en;
    return inner;
}

Status append_pkcs7(const unsigned char* data, std::size_t size, std::vector<CertInfo>& out) {
    const unsigned char* p = data;
    const Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, static_cast<long>(size)));
    if (!p7) return make_error("x509.bad_pkcs7", {}, {take_openssl_error()});
    if (!PKCS7_type_is_signed(p7.get())) {
        return make_error("x509.pkcs7_not_signed", {}, {});
    }
    // PKCS#7 signedData's certificates bag: the struct is the only way OpenSSL 3 offers.
    const STACK_OF(X509)* certs = p7->d.sign != nullptr ? p7->d.sign->cert : nullptr;
    const int count = certs != nullptr ? sk_X509_num(certs) : 0;
    for (int i = 0; i < count; ++i) {
        const X509* cert = sk_X509_value(certs, i);
        unsigned char* der = nullptr;
        const int n = i2d_X509(cert, &der);
        const OpenSslBytes owned(der);
        if (n <= 0 || der == nullptr) {
            return at_item(make_error("x509.bad_der", {}, {take_openssl_error()}), out.size() + 1);
        }
        auto info = info_of(cert, std::vector<std::uint8_t>(der, der + n));
        if (!info) return at_item(std::move(info.error()), out.size() + 1);
        out.push_back(std::move(*info));
    }
    return Ok{};
}

// OpenSSL's "TRUSTED CERTIFICATE": the certificate followed by its trust settings
// (X509_CERT_AUX, x509/x_x509.c d2i_X509_AUX). The settings are not kept: the DER stored is the
// certificate alone.
Result<CertInfo> parse_trusted(std::span<const std::uint8_t> bytes) {
    const unsigned char* p = bytes.data();
    const X509Ptr cert(d2i_X509_AUX(nullptr, &p, static_cast<long>(bytes.size())));
    if (!cert) return make_error("x509.bad_der", {}, {take_openssl_error()});
    const auto used = static_cast<std::size_t>(p - bytes.data());
    if (used != bytes.size()) {
        return make_error("x509.trailing_data", {}, {std::to_string(bytes.size() - used)});
    }
    unsigned char* der = nullptr;
    const int n = i2d_X509(cert.get(), &der);
    const OpenSslBytes owned(der);
    if (n <= 0 || der == nullptr) return make_error("x509.bad_der", {}, {take_openssl_error()});
    return info_of(cert.get(), std::vector<std::uint8_t>(der, der + n));
}

bool is_pem_end(unsigned long code) {
    return ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE;
}

Status append_pem(std::string_view bytes, std::vector<CertInfo>& out) {
    const BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    if (!bio) return make_error("x509.internal", {}, {take_openssl_error("BIO_new_mem_buf")});
    std::size_t block = 0;
    std::string other;  // the label of the first block that is not a certificate
    std::size_t other_block = 0;
    while (true) {
        char* label = nullptr;
        char* header = nullptr;
        unsigned char* data = nullptr;
        long size = 0;
        const int read = PEM_read_bio(bio.get(), &label, &header, &data, &size);
        const OpenSslChars own_label(label);
        const OpenSslChars own_header(header);
        const OpenSslBytes own_data(data);
        if (read != 1) {
            if (is_pem_end(ERR_peek_last_error())) break;
            return at_item(make_error("x509.bad_pem", {}, {take_openssl_error()}), out.size() + 1);
        }
        ++block;
        const std::string_view kind(label);
        const std::span<const std::uint8_t> der(data, static_cast<std::size_t>(size));
        // The labels OpenSSL reads certificates from (pem.h: PEM_STRING_X509, _X509_OLD,
        // _X509_TRUSTED, _PKCS7, _PKCS7_SIGNED, _CMS).
        if (kind == "CERTIFICATE" || kind == "X509 CERTIFICATE") {
            auto info = parse_der(der);
            if (!info) return at_item(std::move(info.error()), out.size() + 1);
            out.push_back(std::move(*info));
        } else if (kind == "TRUSTED CERTIFICATE") {
            auto info = parse_trusted(der);
            if (!info) return at_item(std::move(info.error()), out.size() + 1);
            out.push_back(std::move(*info));
        } else if (kind == "PKCS7" || kind == "PKCS #7 SIGNED DATA" || kind == "CMS") {
            auto added = append_pkcs7(der.data(), der.size(), out);
            if (!added) return std::move(added.error());
        } else if (other.empty()) {
            other = kind;
            other_block = block;
        }
    }
    clear_openssl_errors();  // PEM_read_bio reports the end of input as an error
    if (other.empty()) return Ok{};
    // A key, a request, a CRL...: named, never skipped in silence. Beside certificates it makes
    // the file unreadable, so that a file holding a private key is never taken for a
    // certificate file; alone, the file holds no certificate (and says what it holds).
    if (out.empty()) {
        Error e = make_error("x509.no_certificates", {}, {});
        e.message = message("x509.only_other_pem", {other}, false);
        e.message_en = message("x509.only_other_pem", {other}, true);
        return e;
    }
    return make_error("x509.pem_label", {}, {std::to_string(other_block), other});
}

// X.690 §8.1: Certificate is SEQUENCE { SEQUENCE tbs, ... }, ContentInfo is
// SEQUENCE { OBJECT IDENTIFIER, ... }: the first inner tag tells which one a DER file holds.
bool looks_like_content_info(std::string_view bytes) {
    if (bytes.size() < 3) return false;
    const auto first_length = static_cast<unsigned char>(bytes[1]);
    std::size_t header = 2;
    if (first_length > 0x80) header += first_length & 0x7F;
    return header < bytes.size() && bytes[header] == 0x06;
}

// True when `bytes` is exactly one DER TLV starting with a SEQUENCE: binary, not PEM text
// (PEM text may itself begin with '0', which is 0x30).
bool one_der_sequence(std::string_view bytes) {
    if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0x30) return false;
    const auto first = static_cast<unsigned char>(bytes[1]);
    if (first < 0x80) return std::size_t{2} + first == bytes.size();
    const std::size_t octets = first & 0x7F;
    if (octets == 0 || octets > 4 || bytes.size() < 2 + octets) return false;
    std::size_t length = 0;
    for (std::size_t i = 0; i < octets; ++i) {
        length = (length << 8) | static_cast<unsigned char>(bytes[2 + i]);
    }
    return 2 + octets + length == bytes.size();
}

bool blank(std::string_view bytes) {
    return bytes.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

Result<CertInfo> parse_der(std::span<const std::uint8_t> der) {
    if (der.empty()) return make_error("x509.bad_der", {}, {"empty input"});
    if (der.size() > kMaxCertificateFile) {
        return make_error("x509.file_too_large", {}, {std::to_string(kMaxCertificateFile)});
    }
    const unsigned char* p = der.data();
    const X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert) return make_error("x509.bad_der", {}, {take_openssl_error()});
    const auto used = static_cast<std::size_t>(p - der.data());
    if (used != der.size()) {
        return make_error("x509.trailing_data", {}, {std::to_string(der.size() - used)});
    }
    return info_of(cert.get(), std::vector<std::uint8_t>(der.begin(), der.end()));
}

bool is_ca_certificate(std::span<const std::uint8_t> der) {
    if (der.empty() || der.size() > kMaxCertificateFile) return false;
    const unsigned char* p = der.data();
    const X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert) {
        clear_openssl_errors();
        return false;
    }
    // 0: not a CA; 1 basicConstraints cA, 3 a self-signed version 1 root, 4 keyCertSign, 5 the
    // old Netscape CA types.
    const bool ca = X509_check_ca(cert.get()) != 0;
    clear_openssl_errors();
    return ca;
}

Result<std::vector<CertInfo>> read_certificates(std::string_view bytes, std::string_view name) {
    auto located = [&](Error e) {
        e.where.file = std::string(name);
        clear_openssl_errors();
        return e;
    };
    if (bytes.size() > kMaxCertificateFile) {
        return located(
            make_error("x509.file_too_large", {}, {std::to_string(kMaxCertificateFile)}));
    }
    if (blank(bytes)) return located(make_error("x509.empty", {}, {}));

    std::vector<CertInfo> out;
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    if (!one_der_sequence(bytes) && bytes.find("-----BEGIN ") != std::string_view::npos) {
        auto read = append_pem(bytes, out);
        if (!read) return located(std::move(read.error()));
    } else if (static_cast<unsigned char>(bytes[0]) != 0x30) {
        return located(make_error("x509.not_certificate", {}, {}));
    } else if (looks_like_content_info(bytes)) {
        auto read = append_pkcs7(data, bytes.size(), out);
        if (!read) return located(std::move(read.error()));
    } else {
        auto info = parse_der({data, bytes.size()});
        if (!info) return located(std::move(info.error()));
        out.push_back(std::move(*info));
    }
    if (out.empty()) return located(make_error("x509.no_certificates", {}, {}));
    return out;
}

Result<std::vector<CertInfo>> read_certificate_file(const std::string& path) {
    namespace fs = std::filesystem;
    auto failed = [&](std::string_view code, std::initializer_list<std::string_view> args) {
        Location where;
        where.file = path;
        return make_error(code, std::move(where), args);
    };
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status)) return failed("x509.not_found", {});
    if (!fs::is_regular_file(status)) return failed("x509.not_a_file", {});
    std::ifstream in(path, std::ios::binary);
    if (!in) return failed("x509.open", {std::string(std::strerror(errno))});
    // Read at most one byte past the limit: the size may change between stat and read.
    std::string bytes;
    char chunk[1 << 16];
    while (in && bytes.size() <= kMaxCertificateFile) {
        in.read(chunk, sizeof chunk);
        bytes.append(chunk, static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) return failed("x509.open", {std::string(std::strerror(errno))});
    return read_certificates(bytes, path);
}

std::string to_pem(std::span<const std::uint8_t> der) {
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio(bio.get(), "CERTIFICATE", "", der.data(),
                              static_cast<long>(der.size())) <= 0) {
        clear_openssl_errors();
        return {};
    }
    char* text = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &text);
    return size > 0 && text != nullptr ? std::string(text, static_cast<std::size_t>(size))
                                       : std::string();
}

}  // namespace kyso::x509
