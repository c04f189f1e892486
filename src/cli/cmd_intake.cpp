// kyso cli — `kyso intake`: an agency's spreadsheet read into a bundle, with findings.
#include <cstdio>

#include "cli/commands.h"
#include "core/messages.h"
#include "intake/intake.h"

namespace kyso::cli {

namespace {

struct IntakeArgs {
    std::string xlsx;
    std::string csv;
    std::string template_path;
    intake::IntakeOptions options;
};

// Exit status as `kyso check`: 0 no error finding, 1 some, 2 input unusable (nothing written).
int run_intake(IntakeArgs& a) {
    a.options.input = a.xlsx.empty() ? a.csv : a.xlsx;
    auto r = intake::run_intake(a.options);
    if (!r) return report(r.error());
    say("cli.intake_done",
        {a.options.out_dir, std::to_string(r->people), std::to_string(r->organizations),
         std::to_string(r->serials), std::to_string(r->changes.size()), std::to_string(r->devices),
         std::to_string(r->serials_linked)});
    for (const auto& s : r->sheets_hidden) say("cli.intake_hidden", {s});
    for (const auto& s : r->sheets_skipped) say("cli.intake_skipped", {s});
    for (const auto& u : r->unread_columns)
        say("cli.intake_unread_column", {u.sheet, u.column, u.heading});
    if (!a.options.registry.empty())
        say("cli.intake_units", {std::to_string(r->units_matched), std::to_string(r->units_new)});
    say("cli.check_summary",
        {std::to_string(r->findings.errors()), std::to_string(r->findings.warnings()),
         a.options.out_dir + "/findings.json"});
    std::size_t shown = 0;
    for (const auto& f : r->findings.items) {
        if (++shown > 20) break;
        std::printf("  %s, %s, %s: [%s] %s\n", f.file.c_str(), f.id.c_str(), f.field.c_str(),
                    f.code.c_str(), f.message.c_str());
    }
    return r->findings.errors() > 0 ? 1 : 0;
}

}  // namespace

void add_intake_command(CLI::App& app, int& exit_code) {
    auto a = std::make_shared<IntakeArgs>();
    CLI::App* cmd = app.add_subcommand("intake", message("cli.intake_help"));
    auto* xlsx = cmd->add_option("--xlsx", a->xlsx, message("cli.opt_intake_xlsx"));
    auto* csv = cmd->add_option("--csv", a->csv, message("cli.opt_intake_csv"));
    xlsx->excludes(csv);
    auto* out = cmd->add_option("--out", a->options.out_dir, message("cli.opt_out_dir"));
    auto* tmpl =
        cmd->add_option("--template", a->template_path, message("cli.opt_intake_template"));
    tmpl->excludes(xlsx)->excludes(csv)->excludes(out);
    cmd->add_option("--mapping", a->options.mapping, message("cli.opt_intake_mapping"));
    cmd->add_option("--province", a->options.province, message("cli.opt_intake_province"));
    cmd->add_option("--org", a->options.default_org, message("cli.opt_intake_org"));
    cmd->add_option("--registry", a->options.registry, message("cli.opt_intake_registry"));
    cmd->add_flag("--include-hidden", a->options.include_hidden,
                  message("cli.opt_intake_include_hidden"));
    cmd->callback([a, &exit_code] {
        if (!a->template_path.empty()) {
            auto s = intake::write_intake_template(a->template_path);
            exit_code = s ? 0 : report(s.error());
            if (s) say("cli.intake_template_done", {a->template_path});
            return;
        }
        if (a->xlsx.empty() && a->csv.empty()) {
            exit_code = report(make_error("cli.intake_source", {}, {}));
            return;
        }
        if (a->options.out_dir.empty()) {
            exit_code = report(make_error("cli.intake_out", {}, {}));
            return;
        }
        exit_code = run_intake(*a);
    });
}

}  // namespace kyso::cli
