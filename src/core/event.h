// kyso core — reorganization events (FORMATS.md §2).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/date.h"

namespace kyso {

enum class EventType {
    merge,
    create,
    rename,
    change_superior,
    merge_province,
    dissolve,
    transfer,
    person_leaves
};
std::string_view to_string(EventType t);
std::optional<EventType> parse_event_type(std::string_view s);

// The `new` organization of a merge under a new name, or of a `create`.
struct NewOrganization {
    std::string id;
    std::string name;
    std::optional<std::string> superior_id;  // absent: the first source's; "" : none
    std::optional<std::string> province;     // absent: the first source's
    std::string agency_code;
    std::string admin_unit;  // administrative unit code (FORMATS.md §1), optional
};

struct ReorgEvent {
    std::string id;
    EventType type = EventType::merge;
    Date effective_date;
    std::string legal_basis;
    std::size_t file_order = 0;  // position in events.json (ties of effective_date)

    // merge / merge_province
    std::vector<std::string> sources;
    std::string keep;                        // merge keeping a name
    std::optional<NewOrganization> new_org;  // merge under a new name; create
    std::string cert_carrier;
    // merge / create: organizations that give part of their area or staff and continue
    // (lineage only, FORMATS.md §2)
    std::vector<std::string> parts_from;
    std::string into;  // merge_province
    // rename / change_superior / dissolve
    std::string org;
    std::string name;
    std::optional<std::string> superior_id;  // change_superior ("" = none)
    std::string successor;                   // dissolve
    // transfer / person_leaves
    std::string person;
    std::string to_org;
};

// FORMATS.md §2 order: by effective_date, ties in file order.
bool event_before(const ReorgEvent& a, const ReorgEvent& b);

// The ids of the organizations `events` create (`new` of a merge or a create, FORMATS.md §2),
// added to `ids`. Views into `events`, which must outlive them.
void add_created_organization_ids(const std::vector<ReorgEvent>& events,
                                  std::unordered_set<std::string_view>& ids);

}  // namespace kyso
