// kyso workflow — the audit log replayed against the stored state.
#include "workflow/audit_replay.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/messages.h"
#include "core/values.h"

namespace kyso::workflow {

namespace {

struct RequestTrace {
    std::string state;
    std::string result_serial;
    std::string kind, org, certificate, device;  // as created
    std::int64_t seq = 0;
};

struct CertificateTrace {
    std::string status;
    std::string holder;
    std::int64_t seq = 0;
};

struct CustodyTrace {
    std::vector<std::string> steps;  // each step as custody_text gives it
    std::int64_t seq = 0;
};

// A hand-over step as one comparable text: step, parties, people, date, document.
std::string custody_text(std::string_view step, const std::string& from, const std::string& to,
                         const std::string& by, const std::string& received, const std::string& on,
                         const std::string& document) {
    return std::string(step) + " | " + from + " | " + to + " | " + by + " | " + received + " | " +
           on + " | " + document;
}

struct UserTrace {
    std::string role, org;
    std::int64_t seq = 0;
    bool disabled = false;
};

std::string serial_key(const std::string& serial) {
    return normalize_serial(serial).value_or(serial);
}

// "request:12" -> 12; anything else -> nullopt.
std::optional<std::int64_t> request_id(const std::string& object) {
    constexpr std::string_view prefix = "request:";
    if (!object.starts_with(prefix)) return std::nullopt;
    try {
        return std::stoll(object.substr(prefix.size()));
    } catch (...) {
        return std::nullopt;
    }
}

std::string text_of(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct Replay {
    std::map<std::int64_t, RequestTrace> requests;
    std::map<std::string, CertificateTrace> certificates;
    std::map<std::string, CustodyTrace> custody;
    std::map<std::string, UserTrace> users;

    void entry(const store::AuditEntry& e) {
        nlohmann::json d = nlohmann::json::parse(e.detail, nullptr, false);
        if (d.is_discarded() || !d.is_object()) d = nlohmann::json::object();
        if (e.action == "request.create") {
            if (auto id = request_id(e.object)) {
                const std::string state = text_of(d, "state");
                RequestTrace& t = requests[*id];
                t = {state.empty() ? "draft" : state,
                     {},
                     text_of(d, "kind"),
                     text_of(d, "org"),
                     text_of(d, "certificate"),
                     text_of(d, "device"),
                     e.seq};
            }
        } else if (e.action.starts_with("request.")) {
            if (auto id = request_id(e.object)) {
                RequestTrace& t = requests[*id];
                const std::string to = text_of(d, "to");
                t.state = to.empty() ? e.action.substr(8) : to;
                if (d.contains("result_serial")) t.result_serial = text_of(d, "result_serial");
                t.seq = e.seq;
            }
        } else if (e.action == "registry.certificates") {
            const auto it = d.find("certificates");
            if (it == d.end() || !it->is_object()) return;
            for (const auto& [serial, v] : it->items()) {
                if (!v.is_array() || v.size() != 2) continue;
                CertificateTrace& t = certificates[serial_key(serial)];
                if (v[0].is_string()) t.status = v[0].get<std::string>();
                if (v[1].is_string()) t.holder = v[1].get<std::string>();
                t.seq = e.seq;
            }
        } else if (e.action == "registry.remove" && e.object.starts_with("certificate:")) {
            // A certificate removed through the API (store/registry_query.h): no longer stored.
            certificates.erase(serial_key(e.object.substr(12)));
        } else if (e.action.starts_with("custody.") && e.object.starts_with("device:")) {
            CustodyTrace& t = custody[e.object.substr(7)];
            t.steps.push_back(custody_text(e.action.substr(8), text_of(d, "from"), text_of(d, "to"),
                                           text_of(d, "handed_by"), text_of(d, "received_by"),
                                           text_of(d, "on"), text_of(d, "document")));
            t.seq = e.seq;
        } else if (e.action == "user.add" && e.object.starts_with("user:")) {
            users[e.object.substr(5)] = {text_of(d, "role"), text_of(d, "org_id"), e.seq};
        } else if (e.action.starts_with("user.") && e.object.starts_with("user:")) {
            // An administrator's change of an account (workflow/accounts.h).
            const auto it = users.find(e.object.substr(5));
            if (it == users.end()) return;  // reported as unlogged with the stored user
            UserTrace& t = it->second;
            if (e.action == "user.role") t.role = text_of(d, "role");
            if (e.action == "user.scope") t.org = text_of(d, "org_id");
            if (e.action == "user.disable") t.disabled = true;
            if (e.action == "user.enable") t.disabled = false;
            t.seq = e.seq;
        }
    }
};

std::string holder_text(const Certificate& c) {
    if (c.holder.id.empty()) return {};
    return std::string(to_string(c.holder.type)) + ":" + c.holder.id;
}

}  // namespace

std::vector<AuditProblem> replay_audit(const std::vector<store::AuditEntry>& entries,
                                       const StoredState& state) {
    Replay r;
    for (const store::AuditEntry& e : entries) r.entry(e);
    std::vector<AuditProblem> out;
    auto problem = [&](std::int64_t seq, std::string_view code,
                       std::initializer_list<std::string_view> args) {
        out.push_back({seq, message(code, args, false)});
    };

    if (state.requests != nullptr) {
        for (const Request& q : *state.requests) {
            const std::string id = std::to_string(q.id);
            const auto it = r.requests.find(q.id);
            if (it == r.requests.end()) {
                problem(0, "audit.request_unlogged", {id, to_string(q.state)});
                continue;
            }
            if (it->second.state != to_string(q.state))
                problem(it->second.seq, "audit.request_state",
                        {id, to_string(q.state), it->second.state});
            else if (it->second.result_serial != q.result_serial)
                problem(it->second.seq, "audit.request_result",
                        {id, q.result_serial, it->second.result_serial});
            // What the request is about, as created (a log without the field: not compared).
            const RequestTrace& t = it->second;
            auto field = [&](const char* name, const std::string& logged, const std::string& now) {
                if (!logged.empty() && serial_key(logged) != serial_key(now))
                    problem(t.seq, "audit.request_field", {id, name, now, logged});
            };
            field("kind", t.kind, std::string(to_string(q.kind)));
            field("managing_org_id", t.org, q.managing_org_id);
            field("certificate", t.certificate, q.certificate);
            field("device_id", t.device, q.device_id);
            r.requests.erase(it);
        }
        for (const auto& [id, t] : r.requests)
            problem(t.seq, "audit.request_missing", {std::to_string(id), t.state});
    }
    if (state.certificates != nullptr) {
        for (const Certificate& c : *state.certificates) {
            const auto it = r.certificates.find(serial_key(c.serial));
            if (it == r.certificates.end()) {
                problem(0, "audit.certificate_unlogged", {c.serial});
                continue;
            }
            if (it->second.status != to_string(c.status))
                problem(it->second.seq, "audit.certificate_status",
                        {c.serial, to_string(c.status), it->second.status});
            if (it->second.holder != holder_text(c))
                problem(it->second.seq, "audit.certificate_holder",
                        {c.serial, holder_text(c), it->second.holder});
            r.certificates.erase(it);
        }
        for (const auto& [serial, t] : r.certificates)
            problem(t.seq, "audit.certificate_missing", {serial});
    }
    if (state.custody != nullptr) {
        std::map<std::string, std::vector<std::string>> stored;
        for (const store::CustodyRecord& c : *state.custody)
            stored[c.device_id].push_back(custody_text(store::to_string(c.step), c.from_party,
                                                       c.to_party, c.handed_by, c.received_by,
                                                       c.handed_on, c.document));
        for (const auto& [device, steps] : stored) {
            const auto it = r.custody.find(device);
            const std::vector<std::string> none;
            const std::vector<std::string>& logged =
                it == r.custody.end() ? none : it->second.steps;
            const std::int64_t seq = it == r.custody.end() ? 0 : it->second.seq;
            if (logged.size() != steps.size()) {
                problem(seq, "audit.custody",
                        {device, std::to_string(steps.size()), std::to_string(logged.size())});
            } else {
                for (std::size_t i = 0; i < steps.size(); ++i) {
                    if (steps[i] != logged[i])
                        problem(seq, "audit.custody_step",
                                {device, std::to_string(i + 1), steps[i], logged[i]});
                }
            }
            if (it != r.custody.end()) r.custody.erase(it);
        }
        for (const auto& [device, t] : r.custody)
            problem(t.seq, "audit.custody", {device, "0", std::to_string(t.steps.size())});
    }
    if (state.users != nullptr) {
        for (const User& u : *state.users) {
            const auto it = r.users.find(u.username);
            if (it == r.users.end()) {
                problem(0, "audit.user_unlogged", {u.username});
                continue;
            }
            // Role, scope and disabled as the user.* entries left them.
            const std::string role(to_string(u.role));
            const auto text = [](const std::string& role_name, const std::string& org, bool off) {
                return role_name + " " + (org.empty() ? "*" : org) + (off ? " disabled" : "");
            };
            const UserTrace& t = it->second;
            if (t.role != role || t.org != u.org_id || t.disabled != u.disabled)
                problem(t.seq, "audit.user_changed",
                        {u.username, text(role, u.org_id, u.disabled),
                         text(t.role, t.org, t.disabled)});
        }
    }
    return out;
}

}  // namespace kyso::workflow
