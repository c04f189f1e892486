// kyso cli — the command line checked before a command runs (input_checks.h).
#include "cli/input_checks.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <string>

#include "core/messages.h"
#include "text/nfc.h"

namespace kyso::cli {

namespace {

// Long names of the options whose values are paths (input_checks.h normalize_names).
constexpr std::array<std::string_view, 15> kPathOptions = {
    "db",       "bundle",    "out",     "certs",    "report", "xlsx",          "csv",
    "template", "templates", "mapping", "registry", "file",   "password-file", "new-password-file",
    "audit-key"};

std::string hex_byte(unsigned char b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02X", b);
    return buf;
}

std::string code_point(UChar32 c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
    return buf;
}

bool is_control(UChar32 c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

// The option an argument belongs to: "--org" for "--org" itself, "--org=…" and the word after a
// bare "--org" (or "-o"); else "argument N".
std::string option_of(const char* const* argv, int i) {
    const std::string_view arg(argv[i]);
    if (arg.starts_with("-") && arg.size() > 1) return std::string(arg.substr(0, arg.find('=')));
    if (i > 1) {
        const std::string_view prev(argv[i - 1]);
        if (prev.starts_with("-") && prev.size() > 1 && prev.find('=') == std::string_view::npos)
            return std::string(prev);
    }
    return message("cli.arg_nth", {std::to_string(i)});
}

}  // namespace

Status check_arguments(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(arg.data());
        const auto length = static_cast<std::int32_t>(arg.size());
        for (std::int32_t at = 0; at < length;) {
            const std::int32_t start = at;
            UChar32 c = 0;
            U8_NEXT(bytes, at, length, c);
            if (c < 0)
                return make_error(
                    "cli.arg_utf8", Location{},
                    {option_of(argv, i), hex_byte(bytes[start]), std::to_string(start)});
            if (is_control(c))
                return make_error("cli.arg_control", Location{},
                                  {option_of(argv, i), code_point(c), std::to_string(start)});
        }
    }
    return Ok{};
}

void normalize_names(CLI::App& app) {
    for (CLI::Option* opt : app.get_options()) {
        if (opt->get_items_expected_max() == 0) continue;  // a flag
        const auto& names = opt->get_lnames();
        const bool path = std::any_of(names.begin(), names.end(), [](const std::string& n) {
            return std::find(kPathOptions.begin(), kPathOptions.end(), n) != kPathOptions.end();
        });
        if (!path) opt->transform([](std::string v) { return text::to_nfc(v); }, "", "nfc");
    }
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) normalize_names(*sub);
}

CLI::Validator whole_number(std::int64_t min, std::int64_t max) {
    const std::string range = std::to_string(min) + "–" + std::to_string(max);
    return CLI::Validator(
        [min, max](std::string& v) -> std::string {
            std::int64_t n = 0;
            const char* end = v.data() + v.size();
            const auto [p, ec] = std::from_chars(v.data(), end, n);
            const bool digits = !v.empty() && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9'));
            if (!digits || ec != std::errc() || p != end || n < min || n > max)
                return message("cli.arg_range", {v, std::to_string(min), std::to_string(max)});
            return {};
        },
        range, "whole_number");
}

CLI::Validator one_of(std::vector<std::string> accepted) {
    std::string list;
    for (const auto& a : accepted) {
        if (!list.empty()) list += ", ";
        list += a;
    }
    return CLI::Validator(
        [accepted = std::move(accepted), list](std::string& v) -> std::string {
            if (std::find(accepted.begin(), accepted.end(), v) != accepted.end()) return {};
            return message("cli.arg_one_of", {v, list});
        },
        "{" + list + "}", "one_of");
}

CLI::Validator one_of(std::span<const std::string_view> accepted) {
    return one_of(std::vector<std::string>(accepted.begin(), accepted.end()));
}

}  // namespace kyso::cli
