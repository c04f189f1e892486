// kyso bundle — one reorganization event given member by member (the flags of `kyso events add`,
// a row of a decisions spreadsheet) and read by the same rules as events.json (FORMATS.md §2),
// and the words people use for the kinds of decision.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace kyso::bundle {

// The members of one event, named as in events.json: "id", "type", "effective_date",
// "legal_basis", "sources", "keep", "cert_carrier", "parts_from", "into", "org", "name",
// "superior_id", "successor", "person", "to_org", and the members of `new` as "new.id",
// "new.name", "new.superior_id", "new.province", "new.agency_code", "new.admin_unit". A member
// present in `text` is given (an empty superior_id means "none", FORMATS.md §2); "sources" and
// "parts_from" go in `lists`. "type" may be a code or a kind word (parse_event_kind).
struct EventFields {
    std::map<std::string, std::string> text;
    std::map<std::string, std::vector<std::string>> lists;
};

// Every member name above, common ones first, in the order of FORMATS.md §2.
const std::vector<std::string_view>& event_field_names();
// Whether `field` is a list member ("sources", "parts_from").
bool is_list_field(std::string_view field);
// Whether an event of `type` has the member `field` (id, type, effective_date and legal_basis:
// every type; the rest as in the table of FORMATS.md §2).
bool field_used_by(EventType type, std::string_view field);

// The event, read by the same code as events.json (parse_events_json): the same required members,
// dates, merge's keep-or-new rule, NFC. A given member that the event's type does not have is an
// error too (event.field_not_used), so that a value typed in the wrong place is not dropped
// silently. Errors name the member (where.field) and the event (where.id); `file` is their file.
Result<ReorgEvent> event_from_fields(const EventFields& fields, std::string_view file);

// The type a kind word names: the codes ("merge", "change_superior", also with spaces or '-'
// for '_'), and the Vietnamese words with or without tone marks, any case: "Hợp nhất", "Sáp
// nhập" (merge), "Thành lập" (create), "Đổi tên" (rename), "Đổi cơ quan cấp trên" / "Đổi cơ quan
// chủ quản" (change_superior), "Hợp nhất tỉnh" / "Sáp nhập tỉnh" (merge_province), "Giải thể"
// (dissolve), "Điều chuyển" / "Chuyển công tác" (transfer), "Nghỉ việc" / "Thôi việc" / "Nghỉ
// hưu" (person_leaves). The words are listed in docs/events.md.
std::optional<EventType> parse_event_kind(std::string_view word);
// The Vietnamese kind word of `type` ("Hợp nhất, sáp nhập", "Đổi tên", ...), or its code in
// English.
std::string event_kind_word(EventType type, bool english);

}  // namespace kyso::bundle
