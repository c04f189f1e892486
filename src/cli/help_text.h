// kyso cli — CLI11 in the user's language: help screens and command-line errors from the
// catalog (Vietnamese; English under KYSO_LANG=en), without patching the library.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace kyso::cli {

// Installs on `app` the catalog's help formatter (headings "Cách dùng", "Tùy chọn", "Lệnh", type
// and "BẮT BUỘC" labels), the help flag's description and the parse-error message hook. Call it
// before any subcommand is added: CLI11 copies all three into subcommands when they are made.
void localize(CLI::App& app);

// Gives every subcommand of `app`, recursively, the catalog's name of the subcommand group
// (CLI11 prints a subcommand's group as the heading above it). Call once all are added.
void localize_groups(CLI::App& app);

// The text of a command-line error (CLI11 2.1 ParseError kinds: unexpected arguments, missing
// required options or subcommand, values that do not convert or validate, wrong counts,
// requires/excludes) as a catalog message; an error of another shape keeps CLI11's words after
// the catalog's prefix. No trailing newline.
std::string parse_error_text(const CLI::Error& error);

}  // namespace kyso::cli
