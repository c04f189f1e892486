// kyso bundle — events.json (FORMATS.md §2): parse and write reorganization events.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace kyso::bundle {

// Limits of an events.json from outside (FORMATS.md §2 needs depth 4: the document, "events",
// an event, its "new" or "sources"). Parsing is streamed: one event is a JSON tree at a time,
// so memory is the text plus the events read (about ten times the text at worst), never the
// tree of the whole document (forty times). Errors: event.too_large, event.too_deep,
// event.too_many_items.
inline constexpr std::size_t kMaxEventsJson = std::size_t{16} << 20;  // bytes (16 MiB)
inline constexpr int kMaxEventsJsonDepth = 16;  // nested arrays and objects, the document is 1
// Items of any one list (sources, parts_from, …) or members of any one object inside an event,
// counted while parsing: a real merge has a handful of sources. Error: event.too_many_items.
inline constexpr std::size_t kMaxEventListItems = 1'000;

// Parses the JSON text of events.json. Malformed JSON is an error naming the byte offset;
// a bad event names its id. Strings are normalized to NFC. Events keep file order. Members of
// the document other than "events" are skipped without being kept. `max_bytes`: the size
// limit (the store passes its own events, which it wrote, without one); `max_items`: the
// items of a list or members of an object inside an event (the store: none either).
Result<std::vector<ReorgEvent>> parse_events_json(std::string_view json_text,
                                                  std::string_view file_name = "events.json",
                                                  std::size_t max_bytes = kMaxEventsJson,
                                                  std::size_t max_items = kMaxEventListItems);
// One event as a JSON object / all events as `{"events": [...]}` (2-space indent).
std::string event_to_json(const ReorgEvent& event);
std::string events_to_json(const std::vector<ReorgEvent>& events);

}  // namespace kyso::bundle
