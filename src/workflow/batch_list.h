// kyso workflow — `kyso batch list`: the batches (letters of request) with their issuer, kind,
// state and request count.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/request.h"
#include "core/result.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::workflow {

// One batch as `batch list` shows it. A provincial batch (the DoST's combined letter) counts the
// requests of the organization batches it gathers.
struct BatchLine {
    store::Batch batch;
    std::string issuer_name;  // the issuing organization's current name; empty when unknown
    std::size_t requests = 0;
    std::map<RequestState, std::size_t> states;  // how many of its requests are in each state
    std::vector<std::int64_t> gathers;           // a provincial batch: its organization batches
};

// Which batches: of one issuing organization (empty: any), of one kind (nullopt: any).
struct BatchListFilter {
    std::string org_id;
    std::optional<RequestKind> kind;
};

// Every batch that passes `filter`, by id.
Result<std::vector<BatchLine>> list_batches(store::Store& registry, store::WorkflowStore& workflow,
                                            const BatchListFilter& filter);

// The letter's number as it is written, "5/UBND" (number, symbol or both); empty when neither.
std::string letter_number(const store::Batch& batch);

}  // namespace kyso::workflow
