// kyso cli — the plan as a list for people: one row per action, grouped by managing organization.
#pragma once

#include "core/registry.h"
#include "docs/table.h"
#include "reorg/plan.h"

namespace kyso::cli {

// Groups: the organization that manages the certificate (a person's organization, an
// organization itself; devices by their holder), in registry order. Old and new subjects side
// by side as RFC 4514 strings. Headings and values in Vietnamese.
docs::Table plan_table(const Registry& registry, const reorg::Plan& plan);

}  // namespace kyso::cli
