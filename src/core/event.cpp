// kyso core — reorganization events (FORMATS.md §2).
#include "core/event.h"

#include <algorithm>
#include <array>
#include <utility>

namespace kyso {

namespace {
constexpr std::array<std::pair<EventType, std::string_view>, 8> kNames{{
    {EventType::merge, "merge"},
    {EventType::create, "create"},
    {EventType::rename, "rename"},
    {EventType::change_superior, "change_superior"},
    {EventType::merge_province, "merge_province"},
    {EventType::dissolve, "dissolve"},
    {EventType::transfer, "transfer"},
    {EventType::person_leaves, "person_leaves"},
}};
}  // namespace

std::string_view to_string(EventType t) {
    for (const auto& [type, name] : kNames) {
        if (type == t) return name;
    }
    return "merge";
}

std::optional<EventType> parse_event_type(std::string_view s) {
    for (const auto& [type, name] : kNames) {
        if (name == s) return type;
    }
    return std::nullopt;
}

void add_created_organization_ids(const std::vector<ReorgEvent>& events,
                                  std::unordered_set<std::string_view>& ids) {
    for (const ReorgEvent& e : events) {
        if (e.new_org) ids.insert(e.new_org->id);
    }
}

bool event_before(const ReorgEvent& a, const ReorgEvent& b) {
    if (a.effective_date != b.effective_date) return a.effective_date < b.effective_date;
    return a.file_order < b.file_order;
}

}  // namespace kyso
