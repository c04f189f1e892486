// kyso bundle — the `pem` column of certificates.csv (FORMATS.md §1): the file, read and compared.
#include "bundle/pem_column.h"

#include <string>
#include <vector>

#include "core/date.h"
#include "core/messages.h"
#include "core/subject.h"
#include "core/values.h"
#include "text/nfc.h"

namespace kyso::bundle {

namespace {

// FORMATS.md §3: the row's subject, parsed and NFC, against the file's (already NFC).
bool same_subject_text(std::string_view text, const Subject& from_file) {
    auto parsed = parse_rfc4514(text);
    if (!parsed) return false;  // an unparseable subject differs
    for (Rdn& r : *parsed) text::normalize_nfc(r.value);
    return same_subject(*parsed, from_file);
}

// A row's date or date-time against the file's time, as UTC calendar days.
bool same_day(std::string_view written, const Date& from_file) {
    const auto day = Date::parse_date_or_datetime(written);
    return day && *day == from_file;
}

}  // namespace

Result<x509::CertInfo> read_pem_column(const std::filesystem::path& dir, std::string_view pem,
                                       const PemRow& row) {
    const std::string name(pem);
    auto certs = x509::read_certificate_file((dir / name).string());
    if (!certs) {
        const Error& why = certs.error();
        return make_error("bundle.pem_unreadable", {},
                          {name, english_ui() ? why.message_en : why.message});
    }
    if (certs->size() != 1) {
        return make_error("bundle.pem_unreadable", {},
                          {name, std::to_string(certs->size()) + " certificates"});
    }
    x509::CertInfo& info = certs->front();
    std::string diff;
    if (!same_serial(info.serial, row.serial)) {
        diff = "serial " + info.serial;
    } else if (!same_subject_text(row.subject, info.subject)) {
        diff = "subject " + format_rfc4514(info.subject);
    } else if (!same_day(row.not_before, info.not_before_date)) {
        diff = "not_before " + info.not_before;
    } else if (!same_day(row.not_after, info.not_after_date)) {
        diff = "not_after " + info.not_after;
    }
    if (!diff.empty()) return make_error("bundle.pem_mismatch", {}, {name, diff});
    return std::move(info);
}

}  // namespace kyso::bundle
