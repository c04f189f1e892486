// kyso reorg — the plan as JSON exactly as FORMATS.md §3 shows it (deterministic bytes).
#include "reorg/plan_json.h"

#include <cstdio>
#include <functional>

namespace kyso::reorg {

namespace {

// One byte that JSON requires escaped.
void escape(std::string& out, char ch) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        }
    }
}

void str(std::string& out, std::string_view s) {
    out += '"';
    // Most values need no escaping: copy runs of plain bytes at once.
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        escape(out, s[i]);
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

void key(std::string& out, std::string_view k) {
    out += ", ";
    str(out, k);
    out += ": ";
}

void subject(std::string& out, const Subject& s) {
    out += '[';
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i > 0) out += ", ";
        out += '[';
        str(out, s[i].type);
        out += ", ";
        str(out, s[i].value);
        out += ']';
    }
    out += ']';
}

void rdn(std::string& out, bool first, std::string_view type, std::string_view value) {
    if (!first) out += ", ";
    out += '[';
    str(out, type);
    out += ", ";
    str(out, value);
    out += ']';
}

// A computed subject, written without building it.
void subject_ref(std::string& out, const SubjectRef& ref) {
    out += '[';
    bool first = true;
    for (const Rdn& r : *ref.base) {
        rdn(out, first, r.type, r.value);
        first = false;
    }
    if (!ref.cn.empty()) {
        rdn(out, first, "CN", ref.cn);
        first = false;
    }
    if (!ref.email.empty()) rdn(out, first, "E", ref.email);
    out += ']';
}

// The subject column as RDNs, parsed without building a Subject (FORMATS.md §3 `old_subject`).
void old_subject(std::string& out, const Certificate& c) {
    if (!c.subject.empty()) {
        subject(out, c.subject);
        return;
    }
    thread_local std::vector<RdnView> rdns;
    thread_local std::string scratch;
    out += '[';
    if (parse_rfc4514_views(c.subject_text, rdns, scratch)) {
        for (std::size_t i = 0; i < rdns.size(); ++i) {
            if (i > 0) out += ", ";
            out += '[';
            str(out, canonical_attribute(rdns[i].type));
            out += ", ";
            str(out, rdns[i].value);
            out += ']';
        }
    }
    out += ']';
}

void holder(std::string& out, const HolderRef& h) {
    out += "{\"type\": ";
    str(out, to_string(h.type));
    out += ", \"id\": ";
    str(out, h.id);
    out += '}';
}

void action(std::string& out, const PlanAction& a) {
    out += "{\"action\": ";
    str(out, to_string(a.action));
    if (!a.certificate.empty()) {
        key(out, "certificate");
        str(out, a.certificate);
    }
    if (!a.device.empty()) {
        key(out, "device");
        str(out, a.device);
        key(out, "certificates");
        out += '[';
        for (std::size_t i = 0; i < a.certificates.size(); ++i) {
            if (i > 0) out += ", ";
            str(out, a.certificates[i]);
        }
        out += ']';
    }
    key(out, "rule");
    str(out, a.rule);
    if (!a.event.empty()) {
        key(out, "event");
        str(out, a.event);
    }
    if (!a.reason.empty()) {
        key(out, "reason");
        str(out, a.reason);
    }
    if (a.holder) {
        key(out, "holder");
        holder(out, *a.holder);
    }
    if (a.source) {
        key(out, "old_subject");
        subject_ref(out, a.source);
    } else if (a.cert != nullptr) {
        key(out, "old_subject");
        old_subject(out, *a.cert);
    }
    if (a.target) {
        key(out, "new_subject");
        subject_ref(out, a.target);
    }
    out += '}';
}

void warning(std::string& out, const PlanWarning& w) {
    out += "{\"code\": ";
    str(out, w.code);
    if (!w.certificate.empty()) {
        key(out, "certificate");
        str(out, w.certificate);
    }
    if (w.holder) {
        key(out, "holder");
        holder(out, *w.holder);
    }
    key(out, "detail");
    str(out, w.detail);
    out += '}';
}

}  // namespace

void plan_to_json(const Plan& plan, const std::function<void(std::string_view)>& sink) {
    constexpr std::size_t kChunk = 1 << 20;
    std::string out;
    out.reserve(kChunk + 4096);
    auto flush = [&](bool force) {
        if (force || out.size() >= kChunk) {
            sink(out);
            out.clear();
        }
    };
    out += "{\"as_of\": ";
    str(out, plan.as_of.str());
    const PlanSummary& s = plan.summary;
    out += ",\n \"summary\": {\"considered\": " + std::to_string(s.considered) +
           ", \"change_info\": " + std::to_string(s.change_info) +
           ", \"revoke\": " + std::to_string(s.revoke) + ", \"issue\": " + std::to_string(s.issue) +
           ", \"review\": " + std::to_string(s.review) +
           ", \"return_device\": " + std::to_string(s.return_device) +
           ", \"unchanged\": " + std::to_string(s.unchanged) +
           ", \"skipped\": " + std::to_string(s.skipped) + "},\n";
    out += " \"actions\": [";
    for (std::size_t i = 0; i < plan.actions.size(); ++i) {
        out += i == 0 ? "\n  " : ",\n  ";
        action(out, plan.actions[i]);
        flush(false);
    }
    out += plan.actions.empty() ? "],\n" : "\n ],\n";
    out += " \"warnings\": [";
    for (std::size_t i = 0; i < plan.warnings.size(); ++i) {
        out += i == 0 ? "\n  " : ",\n  ";
        warning(out, plan.warnings[i]);
        flush(false);
    }
    out += plan.warnings.empty() ? "]\n}\n" : "\n ]\n}\n";
    flush(true);
}

std::string plan_to_json(const Plan& plan) {
    std::string all;
    plan_to_json(plan, [&](std::string_view chunk) { all.append(chunk); });
    return all;
}

}  // namespace kyso::reorg
