// kyso cli — `kyso demo-data`: a realistic synthetic bundle for demos and benchmarks.
#include "cli/commands.h"
#include "cli/input_checks.h"
#include "core/messages.h"
#include "demo/demo.h"

namespace kyso::cli {

namespace {

struct DemoCommandOptions {
    std::string out;
    std::size_t scale = 2000;
    std::uint64_t seed = 1;
};

int run_demo(const DemoCommandOptions& o) {
    demo::DemoOptions opts;
    opts.scale = o.scale;
    opts.seed = o.seed;
    auto s = demo::write(o.out, opts);
    if (!s) return report(s.error());
    say("cli.demo_done", {o.out, std::to_string(s->provinces), std::to_string(s->organizations),
                          std::to_string(s->people), std::to_string(s->devices),
                          std::to_string(s->certificates), std::to_string(s->events)});
    return 0;
}

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<DemoCommandOptions>();
    CLI::App* cmd = app.add_subcommand("demo-data", message("cli.demo_help"));
    cmd->add_option("--out", opts->out, message("cli.opt_out_dir"))->required();
    cmd->add_option("--scale", opts->scale, message("cli.opt_scale"))
        ->check(whole_number(1, static_cast<std::int64_t>(demo::kMaxScale)));
    cmd->add_option("--seed", opts->seed, message("cli.opt_seed"))
        ->check(whole_number(0, INT64_MAX));
    cmd->callback([opts, &exit_code] { exit_code = run_demo(*opts); });
}

}  // namespace kyso::cli
