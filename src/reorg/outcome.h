// kyso reorg — the registry after the events: new organization versions, cessations, moves.
#pragma once

#include <vector>

#include "core/registry.h"
#include "reorg/replay.h"

namespace kyso::reorg {

// What `kyso events apply` writes: every organization an event changed, created or ended (with
// its earlier versions kept and one new version per event), and every person whose organization
// changed. A person left without organization by a dissolve keeps the organization that ceased.
struct RegistryUpdate {
    std::vector<Organization> organizations;
    std::vector<Person> people;
};

RegistryUpdate registry_update(const Registry& registry, const Replay& replay);

}  // namespace kyso::reorg
