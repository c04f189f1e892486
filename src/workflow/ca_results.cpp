// kyso workflow — `kyso results import`: the national CA's answers complete the requests.
#include "workflow/ca_results.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "accounts/access.h"
#include "core/date.h"
#include "core/messages.h"
#include "workflow/results_file.h"
#include "x509/certificate.h"

namespace kyso::workflow {

namespace fs = std::filesystem;

namespace {

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

// The requests the rows may answer, indexed once (a results file may answer 50,000). The copy is
// kept up to date as rows are applied, so a row repeated in the same file is already done.
class AnswerableRequests {
public:
    explicit AnswerableRequests(std::vector<Request> all) : all_(std::move(all)) {
        for (std::size_t i = 0; i < all_.size(); ++i) {
            const Request& r = all_[i];
            by_id_.emplace(std::to_string(r.id), i);
            if (!r.certificate.empty()) {
                auto& group = r.kind == RequestKind::device_handover ? handovers_ : own_;
                group[r.certificate].push_back(i);
            }
        }
    }

    Request* by_id(const std::string& id) {
        const auto it = by_id_.find(id);
        return it == by_id_.end() ? nullptr : &all_[it->second];
    }

    // The request a row about certificate `serial` answers: the certificate's own requests
    // before device hand-overs naming it, and within those the one waiting at the CA, else the
    // latest one already answered (so a row imported twice is found done, and never matched to
    // another open request of the same certificate), else any (to say it is not waiting).
    Request* for_certificate(const std::string& serial) {
        for (auto* group : {&own_, &handovers_}) {
            const auto it = group->find(serial);
            if (it == group->end()) continue;
            Request* answered = nullptr;
            Request* other = nullptr;
            for (std::size_t i : it->second) {
                Request& r = all_[i];
                if (r.state == RequestState::forwarded) return &r;
                if (r.state == RequestState::completed || r.state == RequestState::rejected) {
                    answered = &r;
                } else if (other == nullptr) {
                    other = &r;
                }
            }
            return answered != nullptr ? answered : other;
        }
        return nullptr;
    }

private:
    std::vector<Request> all_;
    std::unordered_map<std::string, std::size_t> by_id_;
    std::unordered_map<std::string, std::vector<std::size_t>> own_, handovers_;
};

bool answered(const Request& r) {
    return r.state == RequestState::completed || r.state == RequestState::rejected;
}

}  // namespace

Result<ResultsReport> import_results(store::Store& registry, store::WorkflowStore& workflow,
                                     const User& actor, const std::string& list,
                                     const std::string& certificates,
                                     const ResultsOptions& options) {
    if (actor.role != Role::ca_operator)
        return accounts::role_refused(actor, "results import", {Role::ca_operator});
    auto file = read_results_file(list);
    if (!file) return file.error();
    auto news = read_new_certificates(certificates);
    if (!news) return news.error();
    auto reg = registry.load_registry();
    if (!reg) return reg.error();
    auto all = workflow.requests(store::RequestFilter{});
    if (!all) return all.error();
    AnswerableRequests requests(std::move(*all));

    std::unordered_map<std::string, const x509::CertInfo*> news_by_serial, news_by_subject;
    for (const auto& c : *news) {  // the last file read wins, as a re-sent certificate would
        news_by_serial[c.serial] = &c;
        news_by_subject[format_rfc4514(c.subject)] = &c;
    }
    ResultsReport report;
    report.date_heading = file->date_heading;
    std::vector<store::TransitionStep> steps;  // written at the end, in one transaction
    std::vector<std::int64_t> step_rows;       // the file's row of each step
    const std::string today = Date::today().str();
    for (const ResultRow& row : file->rows) {
        auto fail = [&](std::string_view code, std::initializer_list<std::string_view> args) {
            report.problems.emplace_back(row.row, message(code, args));
        };
        const auto outcome = parse_outcome(row.outcome);
        if (!outcome && row.outcome.empty()) {
            fail("results.outcome_empty",
                 {file->outcome_heading, outcome_words(true), outcome_words(false)});
            continue;
        }
        if (!outcome) {
            fail("results.outcome",
                 {row.outcome, file->outcome_heading, outcome_words(true), outcome_words(false)});
            continue;
        }
        Request* found = !row.request_id.empty() ? requests.by_id(row.request_id)
                                                 : requests.for_certificate(row.serial);
        const std::string& key = row.request_id.empty() ? row.serial : row.request_id;
        if (found == nullptr) {
            fail("results.no_request", {key});
            continue;
        }
        if (answered(*found)) {
            // Re-running is safe: the same answer again changes nothing; another one is refused.
            const bool same =
                (found->state == RequestState::completed) == *outcome &&
                (!*outcome || row.new_serial.empty() || row.new_serial == found->result_serial);
            if (same) {
                ++report.already_done;
            } else {
                fail("results.answered_otherwise",
                     {std::to_string(found->id), to_string(found->state)});
            }
            continue;
        }
        if (found->state != RequestState::forwarded) {
            fail("results.no_request", {key});
            continue;
        }
        std::string date = today;
        if (!row.date.empty()) {
            const auto d = parse_processing_date(row.date);
            if (!d) {
                fail("results.bad_date", {row.date, file->date_heading});
                continue;
            }
            date = d->str();
        }
        // A refusal without its reason is the row's fault, not the importing user's.
        if (!*outcome && row.reason.find_first_not_of(" \t") == std::string::npos) {
            fail("results.refusal_without_reason", {row.outcome});
            continue;
        }
        Request after = *found;
        if (auto ok = accounts::may_transition(
                *reg, actor, after, *outcome ? RequestState::completed : RequestState::rejected,
                *outcome ? "" : row.reason);
            !ok) {
            report.problems.emplace_back(row.row, ok.error().message);
            continue;
        }
        if (!*outcome) {
            after.state = RequestState::rejected;
            after.reject_reason = row.reason;
            steps.push_back(store::TransitionStep{after, row.reason, std::nullopt});
            step_rows.push_back(row.row);
            *found = std::move(after);
            ++report.rejected;
            continue;
        }
        store::Completion done;
        const bool needs_certificate = after.kind == RequestKind::issue ||
                                       after.kind == RequestKind::renew ||
                                       after.kind == RequestKind::change_info;
        if (needs_certificate) {
            const x509::CertInfo* info = nullptr;
            const std::string& wanted = row.new_serial.empty() ? after.new_subject : row.new_serial;
            const auto& index = row.new_serial.empty() ? news_by_subject : news_by_serial;
            if (auto it = index.find(wanted); it != index.end()) info = it->second;
            if (info == nullptr) {
                fail("results.no_certificate", {wanted});
                continue;
            }
            done.new_certificate =
                to_certificate(*info, after, reg->certificate(after.certificate));
            after.result_serial = info->serial;
        }
        done.revoked_on = date;
        after.state = RequestState::completed;
        after.completed_at = date;
        steps.push_back(store::TransitionStep{after, row.reason, done});
        step_rows.push_back(row.row);
        *found = std::move(after);
        ++report.completed;
        report.certificates_linked += done.new_certificate ? 1 : 0;
    }
    if (options.all_or_nothing && !report.problems.empty()) {
        const auto& [row, what] = report.problems.front();
        return make_error("results.rows_refused", Location{list, row, {}, {}},
                          {std::to_string(report.problems.size()), std::to_string(row), what});
    }
    // Every row in one transaction: a row the store refuses (another user moved its request)
    // aborts the whole file, naming the row; nothing is written.
    if (steps.empty()) return report;
    if (auto s = workflow.transition_each(steps, RequestState::forwarded, actor.username); !s) {
        Error e = s.error();
        const auto at = static_cast<std::size_t>(e.where.row);
        if (e.code == "work.interrupted" || at == 0 || at > step_rows.size()) return e;
        const std::string row = std::to_string(step_rows[at - 1]);
        Error out = make_error("results.row_failed", Location{list, step_rows[at - 1], {}, {}},
                               {row, e.message});
        out.message_en = message("results.row_failed", {row, e.message_en}, true);
        return out;
    }
    return report;
}

}  // namespace kyso::workflow
