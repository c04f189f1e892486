// kyso bundle — the `pem` column of certificates.csv (FORMATS.md §1): the file, read and compared.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/result.h"
#include "x509/certificate.h"

namespace kyso::bundle {

// The values of a certificates.csv row that its `pem` file must agree with, as written (NFC).
struct PemRow {
    std::string_view serial;
    std::string_view subject;  // RFC 4514
    std::string_view not_before;
    std::string_view not_after;
};

// Reads the file `pem` names (relative to the bundle folder `dir` and inside it: not absolute, no
// "..", no symbolic link on the way that leads out of the folder; a regular file; PEM or DER,
// exactly one certificate) and checks that it agrees with `row`: serials equal as integers,
// subjects equal as FORMATS.md §3 compares them (RDN lists, attribute names case-insensitive,
// values unescaped and NFC), not_before and not_after on the same UTC calendar days. The one
// reading of the column that import, plan and check share. Errors (no location; the caller adds
// it): bundle.pem_outside {pem, why}, bundle.pem_unreadable {pem, why}, bundle.pem_mismatch {pem,
// "serial …" / "subject …" / "not_before …" / "not_after …" as the file has it}.
Result<x509::CertInfo> read_pem_column(const std::filesystem::path& dir, std::string_view pem,
                                       const PemRow& row);

}  // namespace kyso::bundle
