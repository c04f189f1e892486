// kyso x509 — turning OpenSSL's thread-local error queue into text for kyso errors.
#pragma once

#include <string>

namespace kyso::x509 {

// The reason of the first (root-cause) queued OpenSSL error, e.g. "too long", or `fallback`
// when the queue is empty. Clears the queue so that nothing leaks past this layer.
std::string take_openssl_error(const char* fallback = "unknown error");

// Discards whatever OpenSSL queued (probing reads fail on purpose).
void clear_openssl_errors();

}  // namespace kyso::x509
