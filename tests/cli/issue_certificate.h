// Test helper: a certificate as the national CA would issue it (self-signed with the `openssl`
// command, throwaway P-256 key) for the subject a request asked for (RFC 4514), written as
// `dir/<serial>.pem` with its key beside it. False when the subject does not parse or openssl
// fails.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/subject.h"

namespace kyso::testing {

inline bool issue_certificate(const std::filesystem::path& dir, const std::string& subject_rfc4514,
                              const std::string& serial_hex) {
    auto subject = kyso::parse_rfc4514(subject_rfc4514);
    if (!subject) return false;
    std::string subj;
    for (const auto& rdn : *subject) {
        std::string value;
        for (char c : rdn.value) {
            if (c == '/' || c == '\\') value += '\\';
            value += c;
        }
        subj += "/" + (rdn.type == "E" ? std::string("emailAddress") : rdn.type) + "=" + value;
    }
    std::filesystem::create_directories(dir);
    const std::string cmd = "cd " + dir.string() +
                            " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
                            "-nodes -keyout " +
                            serial_hex + ".key -out " + serial_hex +
                            ".pem -utf8 -days 365 -set_serial 0x" + serial_hex + " -subj '" + subj +
                            "' >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

}  // namespace kyso::testing
