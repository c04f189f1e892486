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
    // Also fill Certificate::subject (the parsed RDNs), not only subject_text. write() turns it
    // off: the CSV needs only the text, and at a million certificates the RDNs cost ~0.5 GB.
    bool parsed_subjects = true;
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

// generate() then bundle::write_bundle() into `dir` (created when missing).
Result<DemoSummary> write(const std::string& dir, DemoOptions options);

}  // namespace kyso::demo
