// kyso fuzz — read_certificates on arbitrary bytes; what it returns must hold together.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/subject.h"
#include "core/values.h"
#include "x509/certificate.h"

namespace {

// Every subject kyso reads must survive its own RFC 4514 text (FORMATS.md §4).
void check_round_trip(const kyso::Subject& subject) {
    const std::string text = kyso::format_rfc4514(subject);
    auto back = kyso::parse_rfc4514(text);
    if (!back || *back != subject) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto certs = kyso::x509::read_certificates(bytes, "fuzz.pem");
    if (!certs) {
        // Errors are values with a code and the file name, never empty.
        if (certs.error().code.empty() || certs.error().where.file != "fuzz.pem") std::abort();
        return 0;
    }
    if (certs->empty()) std::abort();
    for (const auto& cert : *certs) {
        check_round_trip(cert.subject);
        check_round_trip(cert.issuer);
        // Serials in the normal form of FORMATS.md §1 (`openssl x509 -serial`).
        if (!kyso::serial_valid(cert.serial) || cert.sha256_cert.size() != 64 ||
            cert.sha256_key.size() != 64) {
            std::abort();
        }
        // A certificate taken out of a bundle reads back alone, as DER and as PEM.
        auto alone = kyso::x509::parse_der(cert.der);
        if (!alone || alone->serial != cert.serial || alone->sha256_cert != cert.sha256_cert) {
            std::abort();
        }
        auto pem = kyso::x509::read_certificates(kyso::x509::to_pem(cert.der), "again.pem");
        if (!pem || pem->size() != 1 || pem->front().sha256_cert != cert.sha256_cert) std::abort();
    }
    return 0;
}
