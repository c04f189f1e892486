// kyso workflow — `kyso batch list`.
#include "workflow/batch_list.h"

#include <unordered_map>

namespace kyso::workflow {

std::string letter_number(const store::Batch& b) {
    if (b.number.empty()) return b.symbol;
    if (b.symbol.empty()) return b.number;
    return b.number + "/" + b.symbol;
}

Result<std::vector<BatchLine>> list_batches(store::Store& registry, store::WorkflowStore& workflow,
                                            const BatchListFilter& filter) {
    auto all = workflow.batches();
    if (!all) return all.error();
    auto requests = workflow.requests(store::RequestFilter{});
    if (!requests) return requests.error();
    auto reg = registry.load_registry();
    if (!reg) return reg.error();
    // The states of each organization batch's requests; a provincial batch adds its children's.
    std::unordered_map<std::int64_t, std::map<RequestState, std::size_t>> states;
    for (const Request& r : *requests)
        if (r.batch_id != 0) ++states[r.batch_id][r.state];
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> children;
    for (const store::Batch& b : *all)
        if (b.parent_id != 0) children[b.parent_id].push_back(b.id);

    std::vector<BatchLine> out;
    for (const store::Batch& b : *all) {
        if (!filter.org_id.empty() && b.org_id != filter.org_id) continue;
        if (filter.kind && b.kind != *filter.kind) continue;
        BatchLine line;
        line.batch = b;
        if (const Organization* o = reg->org(b.org_id)) line.issuer_name = o->current().name;
        line.states = states[b.id];
        if (const auto it = children.find(b.id); it != children.end()) {
            line.gathers = it->second;
            for (const auto child : it->second)
                for (const auto& [state, n] : states[child]) line.states[state] += n;
        }
        for (const auto& [state, n] : line.states) line.requests += n;
        out.push_back(std::move(line));
    }
    return out;
}

}  // namespace kyso::workflow
