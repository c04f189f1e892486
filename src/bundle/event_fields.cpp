// kyso bundle — one event given member by member, read by the rules of events.json.
#include "bundle/event_fields.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <utility>

#include "bundle/events_json.h"
#include "core/messages.h"
#include "text/nfc.h"

namespace kyso::bundle {

namespace {

using nlohmann::ordered_json;

constexpr std::array<std::string_view, 4> kCommon{"id", "type", "effective_date", "legal_basis"};
constexpr std::array<std::string_view, 6> kNew{"new.id",       "new.name",        "new.superior_id",
                                               "new.province", "new.agency_code", "new.admin_unit"};

// FORMATS.md §2, the "fields" column of the table, per type.
std::vector<std::string_view> own_fields(EventType type) {
    std::vector<std::string_view> out;
    switch (type) {
        case EventType::merge:
            out = {"sources", "keep"};
            out.insert(out.end(), kNew.begin(), kNew.end());
            out.insert(out.end(), {"cert_carrier", "parts_from"});
            break;
        case EventType::create:
            out.assign(kNew.begin(), kNew.end());
            out.push_back("parts_from");
            break;
        case EventType::rename:
            out = {"org", "name"};
            break;
        case EventType::change_superior:
            out = {"org", "superior_id"};
            break;
        case EventType::merge_province:
            out = {"sources", "into"};
            break;
        case EventType::dissolve:
            out = {"org", "successor"};
            break;
        case EventType::transfer:
            out = {"person", "to_org"};
            break;
        case EventType::person_leaves:
            out = {"person"};
            break;
    }
    return out;
}

struct KindWord {
    std::string_view folded;  // text::fold_for_matching of the word
    EventType type;
};

// Longer phrases that contain a shorter one ("hop nhat tinh" ⊃ "hop nhat") are distinct entries:
// the whole cell is compared, never a part of it.
constexpr KindWord kKindWords[] = {
    {"hop nhat", EventType::merge},
    {"sap nhap", EventType::merge},
    {"hop nhat,sap nhap", EventType::merge},
    {"hop nhat/sap nhap", EventType::merge},
    {"sap nhap/hop nhat", EventType::merge},
    {"hop nhat co quan", EventType::merge},
    {"sap nhap co quan", EventType::merge},
    {"thanh lap", EventType::create},
    {"thanh lap moi", EventType::create},
    {"thanh lap co quan", EventType::create},
    {"doi ten", EventType::rename},
    {"doi ten co quan", EventType::rename},
    {"doi co quan cap tren", EventType::change_superior},
    {"thay doi co quan cap tren", EventType::change_superior},
    {"doi cap tren", EventType::change_superior},
    {"doi co quan chu quan", EventType::change_superior},
    {"chuyen co quan chu quan", EventType::change_superior},
    {"hop nhat tinh", EventType::merge_province},
    {"sap nhap tinh", EventType::merge_province},
    {"hop nhat tinh,thanh pho", EventType::merge_province},
    {"sap nhap tinh,thanh pho", EventType::merge_province},
    {"giai the", EventType::dissolve},
    {"cham dut hoat dong", EventType::dissolve},
    {"dieu chuyen", EventType::transfer},
    {"chuyen cong tac", EventType::transfer},
    {"luan chuyen", EventType::transfer},
    {"nghi viec", EventType::person_leaves},
    {"thoi viec", EventType::person_leaves},
    {"nghi huu", EventType::person_leaves},
    {"thoi cong tac", EventType::person_leaves},
};

}  // namespace

const std::vector<std::string_view>& event_field_names() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> v(kCommon.begin(), kCommon.end());
        for (EventType t : {EventType::merge, EventType::create, EventType::rename,
                            EventType::change_superior, EventType::merge_province,
                            EventType::dissolve, EventType::transfer, EventType::person_leaves}) {
            for (std::string_view f : own_fields(t)) {
                if (std::find(v.begin(), v.end(), f) == v.end()) v.push_back(f);
            }
        }
        return v;
    }();
    return names;
}

bool is_list_field(std::string_view field) {
    return field == "sources" || field == "parts_from";
}

bool field_used_by(EventType type, std::string_view field) {
    if (std::find(kCommon.begin(), kCommon.end(), field) != kCommon.end()) return true;
    const auto own = own_fields(type);
    return std::find(own.begin(), own.end(), field) != own.end();
}

std::optional<EventType> parse_event_kind(std::string_view word) {
    if (auto t = parse_event_type(word)) return t;
    std::string folded = text::fold_for_matching(word);
    std::replace(folded.begin(), folded.end(), '_', ' ');
    std::replace(folded.begin(), folded.end(), '-', ' ');
    // No spaces around commas: "Hợp nhất , sáp nhập" as "hop nhat,sap nhap".
    std::string tidy;
    for (char c : folded) {
        if (c == ',' && !tidy.empty() && tidy.back() == ' ') tidy.pop_back();
        if (c == ' ' && !tidy.empty() && tidy.back() == ',') continue;
        tidy += c;
    }
    std::string code = tidy;
    std::replace(code.begin(), code.end(), ' ', '_');
    if (auto t = parse_event_type(code)) return t;
    for (const KindWord& k : kKindWords) {
        if (k.folded == tidy) return k.type;
    }
    return std::nullopt;
}

std::string event_kind_word(EventType type, bool english) {
    return message("event.kind_" + std::string(to_string(type)), {}, english);
}

Result<ReorgEvent> event_from_fields(const EventFields& fields, std::string_view file) {
    const std::string file_name(file);
    const auto id_it = fields.text.find("id");
    const std::string id = id_it == fields.text.end() ? std::string("#1") : id_it->second;
    ordered_json obj = ordered_json::object();
    std::optional<EventType> type;
    if (const auto t = fields.text.find("type"); t != fields.text.end()) {
        type = parse_event_kind(t->second);
        if (!type && !t->second.empty()) {
            return make_error("event.unknown_type", Location{file_name, 0, "type", id},
                              {id, t->second});
        }
    }
    // A member the type does not have: named with the type's word in each language.
    auto not_used = [&](const std::string& field) -> std::optional<Error> {
        if (!type || field_used_by(*type, field)) return std::nullopt;
        const Location where{file_name, 0, field, id};
        return Error{
            "event.field_not_used",
            message("event.field_not_used", {id, event_kind_word(*type, false), field}, false),
            message("event.field_not_used", {id, event_kind_word(*type, true), field}, true),
            where};
    };
    auto put = [&](const std::string& field, ordered_json value) {
        if (field.starts_with("new.")) {
            obj["new"][field.substr(4)] = std::move(value);
        } else {
            obj[field] = std::move(value);
        }
    };
    for (const auto& [field, value] : fields.text) {
        if (field == "type") {
            put(field, type ? std::string(to_string(*type)) : value);
            continue;
        }
        if (auto e = not_used(field)) return *e;
        put(field, value);
    }
    for (const auto& [field, values] : fields.lists) {
        if (auto e = not_used(field)) return *e;
        put(field, values);
    }
    const ordered_json doc = {{"events", ordered_json::array({std::move(obj)})}};
    auto events =
        parse_events_json(doc.dump(-1, ' ', false, ordered_json::error_handler_t::replace), file);
    if (!events) return events.error();
    return std::move(events->front());
}

}  // namespace kyso::bundle
