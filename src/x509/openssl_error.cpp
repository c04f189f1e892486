// kyso x509 — turning OpenSSL's thread-local error queue into text for kyso errors.
#include "x509/openssl_error.h"

#include <openssl/err.h>

namespace kyso::x509 {

std::string take_openssl_error(const char* fallback) {
    // The earliest entry is the cause; later ones only wrap it ("nested asn1 error").
    const unsigned long code = ERR_peek_error();
    std::string out;
    if (code != 0) {
        const char* reason = ERR_reason_error_string(code);
        if (reason != nullptr) {
            out = reason;
        } else {
            char buf[256];
            ERR_error_string_n(code, buf, sizeof buf);
            out = buf;
        }
    } else {
        out = fallback;
    }
    ERR_clear_error();
    return out;
}

void clear_openssl_errors() {
    ERR_clear_error();
}

}  // namespace kyso::x509
