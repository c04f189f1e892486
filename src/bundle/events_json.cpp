// kyso bundle — events.json (FORMATS.md §2): parse and write reorganization events.
#include "bundle/events_json.h"

#include <nlohmann/json.hpp>

#include <string>
#include <unordered_set>
#include <vector>

#include "bundle/json_error.h"
#include "core/messages.h"
#include "text/nfc.h"

namespace kyso::bundle {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

struct EventReader {
    const json& obj;
    std::string id;
    std::string file;
    std::string prefix;  // "new." for the members of `new`

    Error bad(std::string_view field, std::string_view why) const {
        const std::string f = prefix + std::string(field);
        return make_error("event.bad_field", Location{file, 0, f, id}, {id, f, why});
    }
    Error missing(std::string_view field) const {
        const std::string f = prefix + std::string(field);
        return make_error("event.missing_field", Location{file, 0, f, id}, {id, f});
    }

    bool has(const char* key) const { return obj.contains(key) && !obj.at(key).is_null(); }

    // A string field; absent → nullopt. Normalized to NFC.
    Result<std::optional<std::string>> opt_string(const char* key) const {
        if (!has(key)) return std::optional<std::string>{};
        const json& v = obj.at(key);
        if (!v.is_string()) return bad(key, "not a string");
        return std::optional<std::string>{text::to_nfc(v.get<std::string>())};
    }
    Result<std::string> req_string(const char* key) const {
        auto r = opt_string(key);
        if (!r) return r.error();
        if (!r->has_value() || (*r)->empty()) return missing(key);
        return std::move(**r);
    }
    Result<std::vector<std::string>> string_list(const char* key) const {
        if (!has(key)) return missing(key);
        auto out = opt_string_list(key);
        if (out && out->empty()) return bad(key, "empty list");
        return out;
    }
    // An optional list of strings; absent or null → empty.
    Result<std::vector<std::string>> opt_string_list(const char* key) const {
        if (!has(key)) return std::vector<std::string>{};
        const json& v = obj.at(key);
        if (!v.is_array()) return bad(key, "not an array");
        std::vector<std::string> out;
        for (const auto& x : v) {
            if (!x.is_string()) return bad(key, "not a string");
            out.push_back(text::to_nfc(x.get<std::string>()));
        }
        return out;
    }
};

#define KYSO_TRY(var, expr)               \
    auto var##_r = (expr);                \
    if (!var##_r) return var##_r.error(); \
    auto var = std::move(*var##_r)

// The `new` object of a merge or a create (FORMATS.md §2).
Result<NewOrganization> read_new(const EventReader& rd) {
    const json& n = rd.obj.at("new");
    if (!n.is_object()) return rd.bad("new", "not an object");
    EventReader nr{n, rd.id, rd.file, "new."};
    NewOrganization no;
    KYSO_TRY(nid, nr.req_string("id"));
    KYSO_TRY(nname, nr.req_string("name"));
    KYSO_TRY(nsup, nr.opt_string("superior_id"));
    KYSO_TRY(nprov, nr.opt_string("province"));
    KYSO_TRY(ncode, nr.opt_string("agency_code"));
    KYSO_TRY(nunit, nr.opt_string("admin_unit"));
    no.id = nid;
    no.name = nname;
    no.superior_id = nsup;
    no.province = nprov;
    no.agency_code = ncode.value_or("");
    no.admin_unit = nunit.value_or("");
    return no;
}

Result<ReorgEvent> read_event(const json& obj, std::size_t index, std::string_view file) {
    ReorgEvent ev;
    ev.file_order = index;
    if (!obj.is_object()) {
        return make_error("event.bad_field", Location{std::string(file), 0, {}, {}},
                          {"#" + std::to_string(index + 1), "events[]", "not an object"});
    }
    EventReader rd{obj, "#" + std::to_string(index + 1), std::string(file), {}};
    KYSO_TRY(id, rd.req_string("id"));
    ev.id = id;
    rd.id = id;
    KYSO_TRY(type, rd.req_string("type"));
    const auto t = parse_event_type(type);
    if (!t) return make_error("event.unknown_type", Location{rd.file, 0, "type", id}, {id, type});
    ev.type = *t;
    KYSO_TRY(date_text, rd.req_string("effective_date"));
    const auto d = Date::parse(date_text);
    if (!d) return rd.bad("effective_date", "\"" + date_text + "\" is not YYYY-MM-DD");
    ev.effective_date = *d;
    KYSO_TRY(basis, rd.opt_string("legal_basis"));
    ev.legal_basis = basis.value_or("");

    switch (ev.type) {
        case EventType::merge: {
            KYSO_TRY(sources, rd.string_list("sources"));
            ev.sources = std::move(sources);
            KYSO_TRY(keep, rd.opt_string("keep"));
            ev.keep = keep.value_or("");
            KYSO_TRY(carrier, rd.opt_string("cert_carrier"));
            ev.cert_carrier = carrier.value_or("");
            if (rd.has("new")) {
                KYSO_TRY(no, read_new(rd));
                ev.new_org = std::move(no);
            }
            KYSO_TRY(parts, rd.opt_string_list("parts_from"));
            ev.parts_from = std::move(parts);
            if (ev.keep.empty() == !ev.new_org.has_value()) {
                return make_error("event.keep_and_new", Location{rd.file, 0, "keep", id}, {id});
            }
            break;
        }
        case EventType::create: {
            // FORMATS.md §2: a new organization made only from parts of others.
            if (!rd.has("new")) return rd.missing("new");
            KYSO_TRY(no, read_new(rd));
            KYSO_TRY(parts, rd.opt_string_list("parts_from"));
            ev.new_org = std::move(no);
            ev.parts_from = std::move(parts);
            break;
        }
        case EventType::rename: {
            KYSO_TRY(org, rd.req_string("org"));
            KYSO_TRY(name, rd.req_string("name"));
            ev.org = org;
            ev.name = name;
            break;
        }
        case EventType::change_superior: {
            KYSO_TRY(org, rd.req_string("org"));
            ev.org = org;
            if (!obj.contains("superior_id")) return rd.missing("superior_id");
            KYSO_TRY(sup, rd.opt_string("superior_id"));
            ev.superior_id = sup.value_or("");
            break;
        }
        case EventType::merge_province: {
            KYSO_TRY(sources, rd.string_list("sources"));
            KYSO_TRY(into, rd.req_string("into"));
            ev.sources = std::move(sources);
            ev.into = into;
            break;
        }
        case EventType::dissolve: {
            KYSO_TRY(org, rd.req_string("org"));
            KYSO_TRY(succ, rd.opt_string("successor"));
            ev.org = org;
            ev.successor = succ.value_or("");
            break;
        }
        case EventType::transfer: {
            KYSO_TRY(person, rd.req_string("person"));
            KYSO_TRY(to, rd.req_string("to_org"));
            ev.person = person;
            ev.to_org = to;
            break;
        }
        case EventType::person_leaves: {
            KYSO_TRY(person, rd.req_string("person"));
            ev.person = person;
            break;
        }
    }
    return ev;
}

#undef KYSO_TRY

}  // namespace

namespace {

// Error event.json: the document is JSON but not an events.json; `detail` is the catalog code of
// why, in each language.
Error malformed(const std::string& file, const std::string& field, std::string_view detail) {
    const std::string vi = message(detail, {}, false);
    const std::string en = message(detail, {}, true);
    return Error{"event.json", message("event.json", {vi}, false),
                 message("event.json", {en}, true), Location{file, 0, field, {}}};
}

// Thrown from the parser callback to stop at the first bad event or a too deep document.
struct StopParse {
    Error error;
};

}  // namespace

Result<std::vector<ReorgEvent>> parse_events_json(std::string_view text, std::string_view file,
                                                  std::size_t max_bytes, std::size_t max_items) {
    const std::string name(file);
    if (text.size() > max_bytes) {
        return make_error("event.too_large", Location{name, 0, {}, {}},
                          {std::to_string(max_bytes)});
    }
    std::vector<ReorgEvent> out;
    std::unordered_set<std::string> ids;
    bool in_events = false;   // the parser is inside the top-level "events" member
    bool saw_events = false;  // that member was an array
    // The arrays and objects open inside the event being parsed (the event itself first), with
    // the items each holds so far and the member it is the value of; the event's id once read.
    struct Open {
        bool array = false;
        std::size_t items = 0;
        std::string field;
    };
    std::vector<Open> open;
    std::string last_key;
    std::string event_id;
    auto count_item = [&] {
        if (open.empty()) return;
        if (++open.back().items > max_items) {
            const std::string id =
                event_id.empty() ? "#" + std::to_string(out.size() + 1) : event_id;
            throw StopParse{make_error("event.too_many_items",
                                       Location{name, 0, open.back().field, id},
                                       {id, open.back().field, std::to_string(max_items)})};
        }
    };
    // nlohmann's depth: 0 for the document, 1 for its members, 2 for each event. Each event is
    // read when its object ends and then dropped from the tree (return false).
    auto take = [&](const json& value) {
        auto ev = read_event(value, out.size(), file);
        if (!ev) throw StopParse{ev.error()};
        if (!ids.insert(ev->id).second) {
            throw StopParse{
                make_error("event.duplicate_id", Location{name, 0, "id", ev->id}, {ev->id})};
        }
        out.push_back(std::move(*ev));
    };
    const json::parser_callback_t callback = [&](int depth, json::parse_event_t event,
                                                 json& parsed) -> bool {
        using E = json::parse_event_t;
        if ((event == E::object_start || event == E::array_start) &&
            depth + 1 > kMaxEventsJsonDepth) {
            throw StopParse{make_error("event.too_deep", Location{name, 0, {}, {}},
                                       {name, std::to_string(kMaxEventsJsonDepth)})};
        }
        if (depth == 1 && event == E::key) {
            in_events = parsed == "events";
            saw_events = false;
            if (in_events) {  // a repeated "events" member replaces the earlier one, as in a DOM
                out.clear();
                ids.clear();
            }
            return in_events;  // other members are skipped, not kept
        }
        if (depth == 1 && event == E::array_start && in_events) saw_events = true;
        if (depth == 1 && event == E::array_end) in_events = false;
        if (in_events && saw_events && depth >= 2) {
            // Every list and object inside an event is counted as it grows (max_items).
            switch (event) {
                case E::object_start:
                case E::array_start: {
                    if (depth == 2) {
                        open.clear();
                        event_id.clear();
                        last_key.clear();
                    }
                    std::string field = "events[]";
                    if (!open.empty()) {
                        if (open.back().array) {
                            count_item();
                            field = open.back().field + "[]";
                        } else {
                            field = last_key;
                        }
                    }
                    open.push_back({event == E::array_start, 0, std::move(field)});
                    break;
                }
                case E::key:
                    count_item();
                    if (parsed.is_string()) last_key = parsed.get<std::string>();
                    break;
                case E::value:
                    if (!open.empty() && open.back().array) count_item();
                    if (depth == 3 && last_key == "id" && parsed.is_string())
                        event_id = parsed.get<std::string>();
                    break;
                case E::object_end:
                case E::array_end:
                    if (!open.empty()) open.pop_back();
                    break;
            }
        }
        if (depth != 2 || !in_events || !saw_events) return true;
        if (event == E::object_end || event == E::array_end || event == E::value) {
            take(parsed);
            return false;
        }
        return true;
    };
    json doc;
    try {
        doc = json::parse(text.begin(), text.end(), callback);
    } catch (const StopParse& stop) {
        return stop.error;
    } catch (const json::parse_error& e) {
        return json_syntax_error(text, name, e.byte, e.what());
    } catch (const json::exception&) {
        // e.g. a number too large for any type (out_of_range): no byte position is known.
        return malformed(name, {}, "event.json_number");
    }
    if (!doc.is_object() || !doc.contains("events") || !doc.at("events").is_array()) {
        return malformed(name, "events", "event.json_shape");
    }
    return out;
}

namespace {

ordered_json new_to_json(const NewOrganization& n) {
    ordered_json j = {{"id", n.id}, {"name", n.name}};
    if (n.superior_id) j["superior_id"] = *n.superior_id;
    if (n.province) j["province"] = *n.province;
    if (!n.agency_code.empty()) j["agency_code"] = n.agency_code;
    if (!n.admin_unit.empty()) j["admin_unit"] = n.admin_unit;
    return j;
}

ordered_json to_json(const ReorgEvent& e) {
    ordered_json j = ordered_json::object();
    j["id"] = e.id;
    j["type"] = std::string(to_string(e.type));
    j["effective_date"] = e.effective_date.str();
    if (!e.legal_basis.empty()) j["legal_basis"] = e.legal_basis;
    switch (e.type) {
        case EventType::merge:
            j["sources"] = e.sources;
            if (!e.keep.empty()) j["keep"] = e.keep;
            if (e.new_org) j["new"] = new_to_json(*e.new_org);
            if (!e.cert_carrier.empty()) j["cert_carrier"] = e.cert_carrier;
            if (!e.parts_from.empty()) j["parts_from"] = e.parts_from;
            break;
        case EventType::create:
            if (e.new_org) j["new"] = new_to_json(*e.new_org);
            if (!e.parts_from.empty()) j["parts_from"] = e.parts_from;
            break;
        case EventType::rename:
            j["org"] = e.org;
            j["name"] = e.name;
            break;
        case EventType::change_superior:
            j["org"] = e.org;
            j["superior_id"] = e.superior_id.value_or("");
            break;
        case EventType::merge_province:
            j["sources"] = e.sources;
            j["into"] = e.into;
            break;
        case EventType::dissolve:
            j["org"] = e.org;
            if (!e.successor.empty()) j["successor"] = e.successor;
            break;
        case EventType::transfer:
            j["person"] = e.person;
            j["to_org"] = e.to_org;
            break;
        case EventType::person_leaves:
            j["person"] = e.person;
            break;
    }
    return j;
}

}  // namespace

std::string event_to_json(const ReorgEvent& event) {
    return to_json(event).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string events_to_json(const std::vector<ReorgEvent>& events) {
    ordered_json arr = ordered_json::array();
    for (const auto& e : events) arr.push_back(to_json(e));
    ordered_json doc = {{"events", std::move(arr)}};
    return doc.dump(1, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace kyso::bundle
