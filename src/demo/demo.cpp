// kyso demo — deterministic synthetic registry bundles (`kyso demo-data`) for demos and benchmarks.
#include "demo/demo.h"

#include "core/messages.h"
#include "demo/generator.h"

namespace kyso::demo {

namespace {

Result<bundle::Bundle> generate_bundle(const DemoOptions& options, bool lean) {
    if (options.scale == 0 || options.scale > kMaxScale) {
        return make_error("demo.scale", Location{},
                          {std::to_string(options.scale), std::to_string(kMaxScale)});
    }
    detail::World world;
    world.options = options;
    world.lean = lean;
    // One stream per step, so that a change in one step leaves the others' numbers alone.
    const Rng root(options.seed);
    detail::build_organizations(world, root.fork(1));
    detail::build_people(world, root.fork(2));
    detail::build_certificates(world, root.fork(3));
    detail::build_events(world, root.fork(4));

    bundle::Bundle out;
    out.registry = std::move(world.registry);
    if (!lean) out.registry.reindex();
    out.events = std::move(world.events);
    return out;
}

}  // namespace

Result<bundle::Bundle> generate(const DemoOptions& options) {
    return generate_bundle(options, false);
}

DemoSummary summarize(const bundle::Bundle& b) {
    DemoSummary s;
    for (const auto& o : b.registry.organizations) {
        if (o.current().superior_id.empty()) ++s.provinces;  // each province's people's committee
    }
    s.organizations = b.registry.organizations.size();
    s.people = b.registry.people.size();
    s.devices = b.registry.devices.size();
    s.certificates = b.registry.certificates.size();
    s.events = b.events.size();
    return s;
}

Result<DemoSummary> write(const std::string& dir, const DemoOptions& options) {
    auto generated = generate_bundle(options, true);
    if (!generated) return generated.error();
    const bundle::Bundle& b = *generated;
    if (auto status = bundle::write_bundle(dir, b.registry, b.events); !status) {
        return status.error();
    }
    return summarize(b);
}

}  // namespace kyso::demo
