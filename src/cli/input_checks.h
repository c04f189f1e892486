// kyso cli — what the command line must be before a command runs: text that is valid UTF-8
// without control characters, names in NFC, numbers in range, filters among their values.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace kyso::cli {

// Every argument (argv[1..argc-1]) must be valid UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF) and hold no control character (U+0000–U+001F, U+007F,
// U+0080–U+009F: Unicode category Cc; a NUL cannot reach a program, it ends the argument). The
// first argument that is not is an error naming its option ("--org", or "argument 3" for a
// word that follows no option) and the place of the first bad byte: cli.arg_utf8 {option, byte
// as \xNN, byte offset}, cli.arg_control {option, U+XXXX, byte offset}. Checked before CLI11
// parses anything, so no command runs.
Status check_arguments(int argc, const char* const* argv);

// Options whose values are file or folder paths: kept byte for byte (a file may be named in
// another normal form). Every other text option of `app` and its subcommands, recursively, is
// normalized to NFC (names, ids, places, reasons), as FORMATS.md normalizes every input string.
void normalize_names(CLI::App& app);

// A CLI11 check: the value is a whole decimal number from `min` to `max` ("-1", "1e3", "0x10",
// " 5" and values past the bounds are refused with cli.arg_range {min, max}).
CLI::Validator whole_number(std::int64_t min, std::int64_t max);

// A CLI11 check: the value is one of `accepted`; the message (cli.arg_one_of) lists them.
CLI::Validator one_of(std::vector<std::string> accepted);
CLI::Validator one_of(std::span<const std::string_view> accepted);

// Ids kyso gives (requests, batches): 1 to 2^63-1.
inline constexpr std::int64_t kMaxId = INT64_MAX;
// `custody overdue --days`: 0 (every device not back) to ten years.
inline constexpr std::int64_t kMaxOverdueDays = 3650;

}  // namespace kyso::cli
