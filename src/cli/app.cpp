// kyso cli — the command line as a function: every command registered, output helpers.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/commands.h"
#include "cli/help_text.h"
#include "cli/input_checks.h"
#include "core/atomic_file.h"
#include "core/messages.h"
#include "store/audit_key.h"

namespace kyso::cli {

int report(const Error& error) {
    const bool en = english_ui();
    std::fprintf(stderr, "%s: %s\n", en ? "error" : "lỗi", error.describe(en).c_str());
    return 2;
}

void say(std::string_view code, std::initializer_list<std::string_view> args) {
    std::printf("%s\n", message(code, args).c_str());
}

Status write_streamed(
    const std::string& path,
    const std::function<void(const std::function<void(std::string_view)>&)>& produce) {
    auto file = AtomicFile::create(path);
    if (!file) return file.error();
    produce([&](std::string_view chunk) { file->write(chunk); });
    return file->commit();
}

Status write_file(const std::string& path, std::string_view content) {
    return write_streamed(path, [&](const auto& sink) { sink(content); });
}

}  // namespace kyso::cli

int kyso::cli::run(int argc, char** argv) {
    // Invalid UTF-8 or a control character anywhere: refused before anything is parsed or run.
    if (auto ok = kyso::cli::check_arguments(argc, argv); !ok) return kyso::cli::report(ok.error());
    CLI::App app{kyso::message("cli.about"), "kyso"};  // "kyso" in Usage, not argv[0]
    kyso::cli::localize(app);  // before any subcommand: they inherit its formatter and hooks
    app.require_subcommand(1);
    // Options of the whole program, accepted after any subcommand too (set before adding them,
    // which inherit it).
    app.fallthrough();
    kyso::store::set_audit_key_file({});  // a previous run in this process named another
    app.add_option_function<std::string>(
           "--audit-key", [](const std::string& path) { kyso::store::set_audit_key_file(path); },
           kyso::message("cli.opt_audit_key"))
        ->envname("KYSO_AUDIT_KEY");
    int exit_code = 0;
    kyso::cli::add_import_command(app, exit_code);
    kyso::cli::add_export_command(app, exit_code);
    kyso::cli::add_status_command(app, exit_code);
    kyso::cli::add_plan_command(app, exit_code);
    kyso::cli::add_check_command(app, exit_code);
    kyso::cli::add_intake_command(app, exit_code);
    kyso::cli::add_requests_commands(app, exit_code);
    kyso::cli::add_batch_commands(app, exit_code);
    kyso::cli::add_demo_command(app, exit_code);
    kyso::cli::add_serve_command(app, exit_code);
    kyso::cli::add_events_command(app, exit_code);
    kyso::cli::normalize_names(app);
    kyso::cli::localize_groups(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    return exit_code;
}
