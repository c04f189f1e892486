// kyso cli — `kyso check` (findings of FORMATS.md §5) and `kyso fix` (their safe repairs).
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "checks/check.h"
#include "checks/findings_report.h"
#include "checks/fix.h"
#include "cli/commands.h"
#include "core/messages.h"
#include "store/store.h"

namespace kyso::cli {

namespace {

struct CheckOptions {
    std::string bundle;
    std::string db;
    std::string out;
    std::string format = "json";
};

// Exit status (FORMATS.md §5): 0 no error finding, 1 some error finding, 2 unreadable bundle.
int run_check(const CheckOptions& o) {
    checks::TempDir temp;
    std::string dir = o.bundle;
    Result<checks::Findings> findings = checks::Findings{};
    if (!o.db.empty()) {
        if (temp.path().empty())
            return report(make_error("cli.temp_dir", {}, {std::strerror(errno)}));
        auto st = store::open_store(o.db);
        if (!st) return report(st.error());
        findings = checks::check_store(**st, temp.path());
        dir = temp.path();
    } else {
        findings = checks::check_bundle(dir);
    }
    if (!findings) return report(findings.error());
    if (o.format == "xlsx") {
        if (auto s = checks::write_findings_xlsx(*findings, dir, o.out); !s)
            return report(s.error());
    } else if (auto s = write_file(o.out, checks::findings_to_json(*findings)); !s) {
        return report(s.error());
    }
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
    auto fixes = checks::fix_bundle(from, to);
    if (!fixes) return report(fixes.error());
    say("cli.fix_done", {to, std::to_string(fixes->size())});
    // Each kind of repair under its own name, in the order they are applied (fix.h).
    for (const char* code : {"legacy_encoding", "not_nfc", "stray_spaces", "all_capitals"}) {
        const auto n = std::count_if(fixes->begin(), fixes->end(),
                                     [&](const checks::Fix& f) { return f.code == code; });
        if (n > 0) say(std::string("cli.fix_kind_") + code, {std::to_string(n)});
    }
    if (fixes->empty()) say("cli.fix_nothing");
    return 0;
}

void add_check_command(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<CheckOptions>();
    CLI::App* cmd = app.add_subcommand("check", message("cli.check_help"));
    auto* bundle = cmd->add_option("--bundle", opts->bundle, message("cli.opt_bundle"));
    auto* db = cmd->add_option("--db", opts->db, message("cli.opt_db"));
    bundle->excludes(db);
    cmd->add_option("--out", opts->out, message("cli.opt_out"))->required();
    cmd->add_option("--format", opts->format, message("cli.opt_check_format"))
        ->check(CLI::IsMember({"json", "xlsx"}));
    cmd->callback([opts, &exit_code] {
        if (opts->bundle.empty() == opts->db.empty()) {
            exit_code = report(make_error("cli.need_source", {}, {}));
            return;
        }
        exit_code = run_check(*opts);
    });

    auto fix_opts = std::make_shared<CheckOptions>();
    CLI::App* fix = app.add_subcommand("fix", message("cli.fix_help"));
    fix->add_option("--bundle", fix_opts->bundle, message("cli.opt_bundle"))->required();
    fix->add_option("--out", fix_opts->out, message("cli.opt_out_dir"))->required();
    fix->callback([fix_opts, &exit_code] { exit_code = run_fix(fix_opts->bundle, fix_opts->out); });
}

}  // namespace kyso::cli
