// kyso demo — deterministic synthetic registry bundles (`kyso demo-data`) for demos and benchmarks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "bundle/bundle.h"
#include "core/result.h"

namespace kyso::demo {

struct DemoOptions {
    std::size_t scale = 2000;  // approximate number of certificates
    std::uint64_t seed = 1;
};

inline constexpr std::size_t kMaxScale = 20'000'000;

// What a generated bundle holds, for the command to report.
struct DemoSummary {
    std::size_t provinces = 0;
    std::size_t organizations = 0;
    std::size_t people = 0;
    std::size_t devices = 0;
    std::size_t certificates = 0;
    std::size_t events = 0;
};

// A realistic synthetic bundle (FORMATS.md §1–§2): invented Vietnamese provinces with their
// departments, districts and communes, people with valid CCCD, phone and e-mail, certificates
// on USB tokens and PKI SIMs, and a 2025-style reorganization. The same options give the same
// bundle, byte for byte once written. Error "demo.scale" when scale is 0 or over kMaxScale.
Result<bundle::Bundle> generate(const DemoOptions& options);

// Counts of a generated bundle.
DemoSummary summarize(const bundle::Bundle& bundle);

// The bundle of generate(), written by bundle::write_bundle() into `dir` (created when
// missing). Leaner than generate(): it skips what the files do not need (the parsed RDNs of
// subjects and the id indexes), which is ~0.5 GB at a million certificates.
Result<DemoSummary> write(const std::string& dir, const DemoOptions& options);

}  // namespace kyso::demo
