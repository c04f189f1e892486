// kyso workflow — `kyso results import`: the national CA's answers complete the requests.
#include "workflow/ca_results.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

#include "core/messages.h"
#include "core/values.h"
#include "text/nfc.h"
#include "text/spreadsheet.h"
#include "workflow/access.h"
#include "x509/certificate.h"

namespace kyso::workflow {

namespace fs = std::filesystem;

namespace {

Result<std::vector<std::vector<std::string>>> read_rows(const std::string& path) {
    auto sheets = text::read_spreadsheet(path);
    if (!sheets) return sheets.error();
    if (sheets->empty()) return std::vector<std::vector<std::string>>{};
    return std::move(sheets->front().rows);
}

enum Col { kId, kSerial, kOutcome, kReason, kNewSerial, kDate, kCols };

std::optional<Col> column_of(std::string_view heading) {
    const std::string h = text::fold_for_matching(heading);
    static const std::map<std::string, Col, std::less<>> names = {
        {"request_id", kId},
        {"ma yeu cau kyso", kId},
        {"ma yeu cau", kId},
        {"serial", kSerial},
        {"serial cts cu", kSerial},
        {"so hieu chung thu", kSerial},
        {"outcome", kOutcome},
        {"ket qua", kOutcome},
        {"reason", kReason},
        {"ly do", kReason},
        {"new_serial", kNewSerial},
        {"serial cts moi", kNewSerial},
        {"so hieu chung thu moi", kNewSerial},
        {"date", kDate},
        {"ngay xu ly", kDate}};
    const auto it = names.find(h);
    return it == names.end() ? std::nullopt : std::optional<Col>(it->second);
}

std::optional<bool> completed(std::string_view outcome) {
    const std::string o = text::fold_for_matching(outcome);
    if (o == "completed" || o == "hoan thanh" || o == "da xu ly" || o == "thanh cong") return true;
    if (o == "rejected" || o == "tu choi" || o == "khong xu ly") return false;
    return std::nullopt;
}

Result<std::vector<x509::CertInfo>> read_new_certificates(const std::string& where) {
    std::vector<x509::CertInfo> out;
    if (where.empty()) return out;
    std::error_code ec;
    std::vector<fs::path> files;
    if (fs::is_directory(where, ec)) {
        for (const auto& e : fs::directory_iterator(where, ec))
            if (e.is_regular_file()) files.push_back(e.path());
        std::sort(files.begin(), files.end());
    } else {
        files.emplace_back(where);
    }
    const bool folder = files.size() != 1 || files.front() != fs::path(where);
    for (const auto& f : files) {
        auto certs = x509::read_certificate_file(f.string());
        // A folder may hold keys and notes next to the certificates.
        if (!certs && folder && certs.error().code == "x509.no_certificates") continue;
        if (!certs) return certs.error();
        for (auto& c : *certs) out.push_back(std::move(c));
    }
    return out;
}

Certificate to_certificate(const x509::CertInfo& info, const Request& r,
                           const Certificate* replaced) {
    Certificate c;
    c.serial = info.serial;
    c.holder = {r.holder_type == "org" ? HolderType::org : HolderType::person, r.holder_id};
    c.device_id = replaced != nullptr ? replaced->device_id : r.device_id;
    c.subject = info.subject;
    c.subject_text = format_rfc4514(info.subject);
    c.not_before = info.not_before;
    c.not_after = info.not_after;
    c.not_after_date = info.not_after_date;
    c.status = CertStatus::valid;
    c.issuer_text = format_rfc4514(info.issuer);
    c.sha256_cert = info.sha256_cert;
    c.sha256_key = info.sha256_key;
    c.der = info.der;
    c.replaces_serial = r.certificate;
    return c;
}

}  // namespace

Result<ResultsReport> import_results(store::Store& registry, store::WorkflowStore& workflow,
                                     const User& actor, const std::string& list,
                                     const std::string& certificates) {
    if (actor.role != Role::ca_operator)
        return make_error("access.role", Location{},
                          {actor.username, to_string(actor.role), "results import"});
    auto rows = read_rows(list);
    if (!rows) return rows.error();
    if (rows->empty()) return make_error("csv.empty", Location{list, 0, {}, {}}, {});
    std::array<std::optional<std::size_t>, kCols> cols;
    for (std::size_t c = 0; c < (*rows)[0].size(); ++c) {
        if (auto k = column_of((*rows)[0][c]); k && !cols[*k]) cols[*k] = c;
    }
    if (!cols[kOutcome] || (!cols[kId] && !cols[kSerial]))
        return make_error("results.columns", Location{list, 0, {}, {}}, {});
    auto news = read_new_certificates(certificates);
    if (!news) return news.error();
    auto reg = registry.load_registry();
    if (!reg) return reg.error();
    store::RequestFilter f;
    f.state = RequestState::forwarded;
    auto open = workflow.requests(f);
    if (!open) return open.error();

    std::unordered_map<std::string, const x509::CertInfo*> news_by_serial, news_by_subject;
    for (const auto& c : *news) {  // the last file read wins, as a re-sent certificate would
        news_by_serial[c.serial] = &c;
        news_by_subject[format_rfc4514(c.subject)] = &c;
    }
    std::unordered_map<std::string, const Request*> by_id, by_certificate;
    for (const Request& r : *open) {
        by_id.emplace(std::to_string(r.id), &r);
        if (r.certificate.empty()) continue;
        // A device hand-over names a certificate too: the certificate's own request wins.
        auto [it, fresh] = by_certificate.emplace(r.certificate, &r);
        if (!fresh && it->second->kind == RequestKind::device_handover) it->second = &r;
    }
    ResultsReport report;
    for (std::size_t i = 1; i < rows->size(); ++i) {
        const auto& row = (*rows)[i];
        auto cell = [&](Col c) -> std::string {
            return cols[c] && *cols[c] < row.size() ? row[*cols[c]] : std::string();
        };
        const auto row_no = static_cast<std::int64_t>(i);
        auto fail = [&](std::string_view code, std::initializer_list<std::string_view> args) {
            report.problems.emplace_back(row_no, message(code, args));
        };
        if (std::all_of(row.begin(), row.end(), [](const auto& s) { return s.empty(); })) continue;
        const auto outcome = completed(cell(kOutcome));
        if (!outcome) {
            fail("results.outcome", {cell(kOutcome)});
            continue;
        }
        const std::string old_serial = normalize_serial(cell(kSerial)).value_or(cell(kSerial));
        const Request* found = nullptr;
        if (cols[kId] && !cell(kId).empty()) {
            if (auto it = by_id.find(cell(kId)); it != by_id.end()) found = it->second;
        } else if (auto it = by_certificate.find(old_serial); it != by_certificate.end()) {
            found = it->second;
        }
        if (found == nullptr) {
            fail("results.no_request", {cell(kId).empty() ? old_serial : cell(kId)});
            continue;
        }
        Request after = *found;
        const std::string date = cell(kDate).empty() ? Date::today().str() : cell(kDate);
        if (auto ok = may_transition(*reg, actor, after,
                                     *outcome ? RequestState::completed : RequestState::rejected,
                                     *outcome ? "" : cell(kReason));
            !ok) {
            report.problems.emplace_back(row_no, ok.error().message);
            continue;
        }
        if (!*outcome) {
            after.state = RequestState::rejected;
            after.reject_reason = cell(kReason);
            if (auto s = workflow.transition(after, RequestState::forwarded, actor.username,
                                             cell(kReason));
                !s) {
                report.problems.emplace_back(row_no, s.error().message);
                continue;
            }
            ++report.rejected;
            continue;
        }
        store::Completion done;
        const bool needs_certificate = after.kind == RequestKind::issue ||
                                       after.kind == RequestKind::renew ||
                                       after.kind == RequestKind::change_info;
        if (needs_certificate) {
            const std::string new_serial =
                normalize_serial(cell(kNewSerial)).value_or(cell(kNewSerial));
            const x509::CertInfo* info = nullptr;
            const auto& index = new_serial.empty() ? news_by_subject : news_by_serial;
            if (auto it = index.find(new_serial.empty() ? after.new_subject : new_serial);
                it != index.end())
                info = it->second;
            if (info == nullptr) {
                fail("results.no_certificate",
                     {new_serial.empty() ? after.new_subject : new_serial});
                continue;
            }
            done.new_certificate =
                to_certificate(*info, after, reg->certificate(after.certificate));
            after.result_serial = info->serial;
        }
        done.revoked_on = date;
        after.state = RequestState::completed;
        after.completed_at = date;
        if (auto s = workflow.transition(after, RequestState::forwarded, actor.username,
                                         cell(kReason), done);
            !s) {
            report.problems.emplace_back(row_no, s.error().message);
            continue;
        }
        ++report.completed;
        report.certificates_linked += done.new_certificate ? 1 : 0;
    }
    return report;
}

}  // namespace kyso::workflow
