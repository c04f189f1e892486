// kyso intake — certificate files into the register (`kyso import --certs`, the server's
// "import.certificates" job): every certificate read from PEM, DER or PKCS#7 files, linked to
// its holder by the subject the registry gives them (FORMATS.md §4), upserted by serial.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/registry.h"
#include "core/request.h"
#include "core/result.h"
#include "core/subject.h"
#include "store/store.h"

namespace kyso::intake {

// One certificate written, as the report lists it.
struct CertificateFileEntry {
    std::string serial;
    std::optional<HolderRef> holder;  // nullopt: unlinked (its subject names no single holder)
    std::string linked_by;            // "subject" or "registry" (a known link a file never moves)
    Subject subject;                  // as read from the file
};

struct CertificateFilesImport {
    std::size_t files_read = 0;  // files that held at least one readable certificate
    std::size_t linked = 0;      // linked by their subject now
    std::vector<CertificateFileEntry> certificates;  // one per integer serial, by serial
    // Text lines for people (serial and subject): known and linked but their subject matches no
    // holder; unmatched (no holder); known certificates whose subject now names someone else
    // (intake.certs_holder_kept, the link is kept).
    std::vector<std::string> registered, unmatched, kept;
    // Files or paths that could not be read, each with its reason (the others were imported).
    std::vector<Error> failed;
};

// Reads every certificate file under `paths` (files as given; folders recursively, in sorted
// order; a path that names nothing is a failure of its own, x509.not_found) and writes them with
// Store::upsert_certificates under `actor` with `source` (audited, one transaction). A
// certificate already in the registry keeps its holder: a file never moves it to another. A
// scoped `user` writes only certificates whose holders lie in scope (check_register_scope), else
// nothing is written. Errors: loading the registry, the scope, the write.
Result<CertificateFilesImport> import_certificate_files(store::Store& store, const User& user,
                                                        const std::string& actor,
                                                        const std::vector<std::string>& paths,
                                                        const std::string& source);

// The report of `kyso import --certs --report` as JSON text: {serial: {"holder": [type, id] or
// null, "linked_by", "subject": [[type, value(, "+")]...]}}, indented by one space.
std::string certificate_files_report(const CertificateFilesImport& result);

}  // namespace kyso::intake
