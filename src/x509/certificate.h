// kyso x509 — reading real X.509 certificates (PEM, DER, PKCS#7) into plain values.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "core/subject.h"

namespace kyso::x509 {

constexpr std::size_t kMaxCertificateFile = std::size_t{64} << 20;  // 64 MiB

// What kyso keeps of one certificate. All text UTF-8 NFC.
struct CertInfo {
    std::string serial;  // FORMATS.md §1 normal form (core serial_valid): "9F00…", "-05", "00"
    Subject subject;     // root first, attribute short names (C, L, O, OU, CN, E, ...)
    Subject issuer;
    std::string not_before;  // ISO 8601 UTC, "YYYY-MM-DDThh:mm:ssZ"
    std::string not_after;
    Date not_before_date;  // UTC calendar dates
    Date not_after_date;
    std::vector<std::string> key_usage;  // e.g. "digitalSignature", "nonRepudiation"
    std::string sha256_cert;             // lowercase hex of SHA-256 over the DER
    std::string sha256_key;  // lowercase hex of SHA-256 over the DER SubjectPublicKeyInfo
    std::vector<std::uint8_t> der;
};

// Parses one DER certificate.
Result<CertInfo> parse_der(std::span<const std::uint8_t> der);
// Reads every certificate in a buffer holding PEM (one or many), DER, or PKCS#7 (PEM or DER).
// `name` is used in errors (where.file). Serials are two hex digits a byte, as
// `openssl x509 -serial` prints them ("0F", zero "00", negative "-05"). PEM labels read are
// those OpenSSL reads certificates from: CERTIFICATE, X509 CERTIFICATE, TRUSTED CERTIFICATE
// (trust settings dropped), PKCS7, PKCS #7 SIGNED DATA, CMS. A block with any other label (a
// key, a request, a CRL) beside certificates is x509.pem_label, naming it; a file of such blocks
// only is x509.no_certificates, naming the first.
Result<std::vector<CertInfo>> read_certificates(std::string_view bytes, std::string_view name);
// Reads a file (size-limited to kMaxCertificateFile) with read_certificates.
Result<std::vector<CertInfo>> read_certificate_file(const std::string& path);
// True when the DER certificate is a CA's (RFC 5280 §4.2.1.9 basicConstraints cA, or
// keyCertSign, or a version 1 self-signed root: OpenSSL X509_check_ca); false for an end
// entity's, or for bytes that are no certificate.
bool is_ca_certificate(std::span<const std::uint8_t> der);
// PEM text of a DER certificate.
std::string to_pem(std::span<const std::uint8_t> der);

}  // namespace kyso::x509
