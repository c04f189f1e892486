// kyso bundle — events.json (FORMATS.md §2): parse and write reorganization events.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace kyso::bundle {

constexpr std::size_t kMaxEventsJson = std::size_t{256} << 20;  // 256 MiB

// Parses the JSON text of events.json. Malformed JSON is an error naming the byte offset;
// a bad event names its id. Strings are normalized to NFC. Events keep file order.
Result<std::vector<ReorgEvent>> parse_events_json(std::string_view json_text,
                                                  std::string_view file_name = "events.json");
// One event as a JSON object / all events as `{"events": [...]}` (2-space indent).
std::string event_to_json(const ReorgEvent& event);
std::string events_to_json(const std::vector<ReorgEvent>& events);

}  // namespace kyso::bundle
