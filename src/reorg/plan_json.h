// kyso reorg — the plan as JSON exactly as FORMATS.md §3 shows it (deterministic bytes).
#pragma once

#include <string>

#include "reorg/plan.h"

namespace kyso::reorg {

// One action or warning per line, keys in the order of FORMATS.md §3; UTF-8, NFC as stored.
std::string plan_to_json(const Plan& plan);

}  // namespace kyso::reorg
