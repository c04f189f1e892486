// kyso cli — the subcommands of `kyso`, each registered on the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kyso::store {
class Store;
}

namespace kyso::cli {

// Runs `kyso` with these arguments (argv[0] the program name) and gives its exit status: 0 done,
// 1 done with error findings (check, intake) or problems (audit verify), 2 refused (a message on
// stderr, nothing written). The whole command line in one call, so tests can run command
// sequences in one process.
int run(int argc, char** argv);

// Prints an error to stderr in the user's language (KYSO_LANG=en for English); returns 2.
int report(const Error& error);
// Prints a catalog message to stdout.
void say(std::string_view code, std::initializer_list<std::string_view> args = {});
// Writes a whole file all or nothing (core/atomic_file.h); the error names the path.
Status write_file(const std::string& path, std::string_view content);
// The same for content produced in chunks: `produce` calls its sink for each chunk.
Status write_streamed(
    const std::string& path,
    const std::function<void(const std::function<void(std::string_view)>&)>& produce);

// Prints what the store holds (organizations, people, devices, certificates, events).
int print_status(store::Store& store);

void add_status_command(CLI::App& app, int& exit_code);
void add_plan_command(CLI::App& app, int& exit_code);
void add_check_command(CLI::App& app, int& exit_code);
void add_intake_command(CLI::App& app, int& exit_code);
void add_requests_commands(CLI::App& app, int& exit_code);
void add_batch_commands(CLI::App& app, int& exit_code);
// `batch list`, on the `batch` command.
void add_batch_list_command(CLI::App* batch, int& exit_code);
void add_import_command(CLI::App& app, int& exit_code);
void add_export_command(CLI::App& app, int& exit_code);
void add_demo_command(CLI::App& app, int& exit_code);
// `kyso serve` (cmd_serve.cpp): the HTTP API.
void add_serve_command(CLI::App& app, int& exit_code);
void add_events_command(CLI::App& app, int& exit_code);
// `events add`, `events import` and `events template` under `events` (cmd_events_add.cpp).
void add_event_entry_commands(CLI::App& events, int& exit_code);

}  // namespace kyso::cli
