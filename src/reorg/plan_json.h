// kyso reorg — the plan as JSON exactly as FORMATS.md §3 shows it (deterministic bytes).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "reorg/plan.h"

namespace kyso::reorg {

// One action or warning per line, keys in the order of FORMATS.md §3; UTF-8, NFC as stored.
std::string plan_to_json(const Plan& plan);
// The same text handed to `sink` in chunks of about 1 MiB (for large plans).
void plan_to_json(const Plan& plan, const std::function<void(std::string_view)>& sink);

}  // namespace kyso::reorg
