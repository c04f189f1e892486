// kyso cli — `kyso check` (findings of FORMATS.md §5) and `kyso fix` (their safe repairs).
#include <cstdio>

#include "cli/commands.h"
#include "core/messages.h"
#include "workflow/check.h"
#include "workflow/fix.h"

namespace kyso::cli {

namespace {

struct CheckOptions {
    std::string bundle;
    std::string out;
};

// Exit status (FORMATS.md §5): 0 no error finding, 1 some error finding, 2 unreadable bundle.
int run_check(const CheckOptions& o) {
    auto findings = workflow::check_bundle(o.bundle);
    if (!findings) return report(findings.error());
    if (auto s = write_file(o.out, workflow::findings_to_json(*findings)); !s)
        return report(s.error());
    say("cli.check_summary",
        {std::to_string(findings->errors()), std::to_string(findings->warnings()), o.out});
    std::size_t shown = 0;
    for (const auto& f : findings->items) {
        if (++shown > 20) break;
        std::printf("  %s, %s %lld, %s, %s: [%s] %s\n", f.file.c_str(),
                    message("cli.check_row").c_str(), static_cast<long long>(f.row),
                    f.field.c_str(), f.id.c_str(), f.code.c_str(), f.message.c_str());
    }
    if (findings->items.size() > 20)
        say("cli.check_more", {std::to_string(findings->items.size() - 20)});
    return findings->errors() > 0 ? 1 : 0;
}

}  // namespace

int run_fix(const std::string& from, const std::string& to) {
    auto fixes = workflow::fix_bundle(from, to);
    if (!fixes) return report(fixes.error());
    std::size_t legacy = 0;
    for (const auto& f : *fixes) legacy += f.code == "legacy_encoding" ? 1 : 0;
    say("cli.fix_done", {to, std::to_string(legacy), std::to_string(fixes->size() - legacy)});
    return 0;
}

void add_check_command(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<CheckOptions>();
    CLI::App* cmd = app.add_subcommand("check", message("cli.check_help"));
    cmd->add_option("--bundle", opts->bundle, message("cli.opt_bundle"))->required();
    cmd->add_option("--out", opts->out, message("cli.opt_out"))->required();
    cmd->callback([opts, &exit_code] { exit_code = run_check(*opts); });

    auto fix_opts = std::make_shared<CheckOptions>();
    CLI::App* fix = app.add_subcommand("fix", message("cli.fix_help"));
    fix->add_option("--bundle", fix_opts->bundle, message("cli.opt_bundle"))->required();
    fix->add_option("--out", fix_opts->out, message("cli.opt_out_dir"))->required();
    fix->callback([fix_opts, &exit_code] { exit_code = run_fix(fix_opts->bundle, fix_opts->out); });
}

}  // namespace kyso::cli
