// kyso store — what every back-end of RegistryQuery shares: ETags, search text and words, the
// checks of a list query.
#include "store/registry_query.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <span>

#include "core/messages.h"
#include "core/values.h"
#include "store/postgres/connection.h"
#include "store/postgres/registry_query_postgres.h"
#include "store/sqlite/registry_query_sqlite.h"
#include "text/nfc.h"
#include "x509/fingerprint.h"

namespace kyso::store {

namespace {

using Json = nlohmann::ordered_json;

std::string hash_json(const Json& j) {
    const std::string text = j.dump();
    auto h = x509::sha256_hex(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    return h ? *h : std::string();
}

Json holder_json(const HolderRef& h) {
    if (h.id.empty()) return nullptr;
    return Json::array({to_string(h.type), h.id});
}

void append_word(std::string& out, std::string_view text) {
    const std::string folded = text::fold_for_matching(text);
    if (folded.empty()) return;
    if (!out.empty()) out += ' ';
    out += folded;
}

bool all_hex(std::string_view w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

// "0a:1b:2c" or "0A 1B 2C": bytes of a serial written apart; with ':' or '-' between them, also
// one whose last byte is still being typed ("0a:1b:2").
bool spaced_serial(std::string_view s) {
    const bool whole = (s.size() + 1) % 3 == 0;
    const bool typing = (s.size() + 2) % 3 == 0;
    if (s.size() < 4 || (!whole && !typing)) return false;
    const char sep = s[2];
    if (sep != ':' && sep != ' ' && sep != '-') return false;
    if (typing && sep == ' ') return false;  // "ab cd e" may be words
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i % 3 == 2) {
            if (s[i] != sep) return false;
        } else if (!all_hex(s.substr(i, 1))) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string_view to_string(RecordKind k) {
    switch (k) {
        case RecordKind::organization:
            return "organization";
        case RecordKind::person:
            return "person";
        case RecordKind::certificate:
            return "certificate";
        case RecordKind::device:
            return "device";
    }
    return "";
}

std::string record_etag(const Organization& org) {
    Json versions = Json::array();
    for (const OrgVersion& v : org.versions) {
        versions.push_back(
            Json::array({v.valid_from.str(), v.name, v.superior_id, v.province, v.agency_code,
                         v.admin_unit, to_string(v.kind), v.event_id}));
    }
    return hash_json(Json::array({"organization", org.id, versions,
                                  org.ceased_on ? Json(org.ceased_on->str()) : Json(nullptr),
                                  org.ceased_by_event, org.successor_id}));
}

std::string record_etag(const PersonDetail& d) {
    const Person& p = d.person;
    Json moves = Json::array();
    for (const PersonMove& m : d.moves)
        moves.push_back(Json::array({m.valid_from.str(), m.org_id, m.event_id}));
    return hash_json(
        Json::array({"person", p.id, p.full_name, p.cccd, p.date_of_birth, p.email, p.phone,
                     d.registered_org_id, p.position, p.cccd_issued_on, p.cccd_issued_by, moves}));
}

std::string record_etag(const Certificate& c) {
    return hash_json(
        Json::array({"certificate", c.serial, holder_json(c.holder), c.device_id, c.subject_text,
                     c.not_before, c.not_after, c.not_after_date.str(), to_string(c.status), c.pem,
                     c.issuer_text, c.sha256_cert, c.sha256_key, c.der.size(), c.replaces_serial}));
}

std::string record_etag(const Device& d) {
    return hash_json(Json::array(
        {"device", d.id, to_string(d.kind), d.serial, d.phone, d.carrier, holder_json(d.holder)}));
}

std::string search_text(const Organization& org) {
    std::string out;
    append_word(out, org.id);
    for (const OrgVersion& v : org.versions) {  // former names find it too
        if (out.find(text::fold_for_matching(v.name)) == std::string::npos)
            append_word(out, v.name);
        append_word(out, v.agency_code);
    }
    return out;
}

std::string search_text(const Person& p) {
    std::string out;
    append_word(out, p.id);
    append_word(out, p.full_name);
    append_word(out, p.cccd);
    append_word(out, p.email);
    append_word(out, p.phone);
    return out;
}

std::string search_text(const Certificate& c) {
    std::string out;
    append_word(out, c.serial);
    append_word(out, c.subject_text);
    return out;
}

std::string search_text(const Device& d) {
    std::string out;
    append_word(out, d.id);
    append_word(out, d.serial);
    append_word(out, d.phone);
    append_word(out, d.carrier);
    return out;
}

std::vector<std::string> search_words(std::string_view search) {
    std::string raw = text::collapse_spaces(search);
    if (spaced_serial(raw)) {
        std::string joined;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (i % 3 != 2) joined += raw[i];
        }
        raw = joined;
    }
    const std::string folded = text::fold_for_matching(raw);
    std::vector<std::string> words;
    std::string word;
    for (char ch : folded) {
        const auto c = static_cast<unsigned char>(ch);
        const bool part = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (part) {
            word += ch;
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

std::vector<SearchTerm> search_terms(std::string_view search) {
    const auto words = search_words(search);
    std::vector<SearchTerm> out;
    for (const std::string& w : words) {
        SearchTerm t{{w}, false};
        const bool hex = std::all_of(w.begin(), w.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        });
        if (hex) {
            if (auto n = normalize_serial(w)) {
                std::string lower = *n;
                std::transform(lower.begin(), lower.end(), lower.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                if (lower != w) t.forms.push_back(lower);
            }
        }
        out.push_back(std::move(t));
    }
    if (!out.empty() && words.back().size() >= kSearchPrefixMin) out.back().prefix = true;
    return out;
}

Status check_list_query(const ListQuery& q, const std::vector<std::string_view>& sort_keys) {
    if (q.page < 1) {
        return make_error("store.invalid_query", Location{{}, 0, "page", {}},
                          {"page", std::to_string(q.page)});
    }
    if (q.page_size < 1 || q.page_size > kMaxPageSize) {
        return make_error("store.invalid_query", Location{{}, 0, "page_size", {}},
                          {"page_size", std::to_string(q.page_size)});
    }
    if (!q.sort.empty() &&
        std::find(sort_keys.begin(), sort_keys.end(), q.sort) == sort_keys.end()) {
        return make_error("store.invalid_query", Location{{}, 0, "sort", {}}, {"sort", q.sort});
    }
    return Ok{};
}

Result<std::unique_ptr<RegistryQuery>> open_registry_query(const std::string& location) {
    const std::string_view loc(location);
    if (postgres::is_postgres_location(loc))
        return postgres::open_postgres_registry_query(location);
    constexpr std::string_view kSqlite = "sqlite:";
    if (loc.starts_with(kSqlite))
        return sqlite::open_sqlite_registry_query(location.substr(kSqlite.size()));
    return sqlite::open_sqlite_registry_query(location);
}

}  // namespace kyso::store
