// kyso cli — CLI11 in the user's language: help screens and command-line errors from the
// catalog (Vietnamese; English under KYSO_LANG=en), without patching the library.
#include "cli/help_text.h"

#include <memory>
#include <sstream>
#include <string_view>

#include "cli/text_table.h"
#include "core/messages.h"

namespace kyso::cli {

namespace {

// CLI11 2.1's labels (FormatterBase::get_label keys, option group and type names) and the
// catalog entries that replace them.
constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
    {"Usage", "cli.help_usage"},
    {"OPTIONS", "cli.help_options_badge"},
    {"SUBCOMMAND", "cli.help_subcommand_badge"},
    {"SUBCOMMANDS", "cli.help_subcommands_badge"},
    {"Options", "cli.help_options"},
    {"Positionals", "cli.help_positionals"},
    {"REQUIRED", "cli.help_required"},
    {"Env", "cli.help_env"},
    {"Needs", "cli.help_needs"},
    {"Excludes", "cli.help_excludes"},
    {"TEXT", "cli.help_type_text"},
    {"INT", "cli.help_type_int"},
    {"UINT", "cli.help_type_int"},
    {"FLOAT", "cli.help_type_number"},
};

// CLI11's detail::format_help with the first column measured in characters (display_width), not
// bytes: "--db CHUỖI BẮT BUỘC" lines up with ASCII names.
std::string help_line(const std::string& name, const std::string& description, std::size_t wid) {
    std::string out = "  " + name;
    const std::size_t width = 2 + display_width(name);
    const std::string indent(wid, ' ');
    if (!description.empty()) {
        if (width >= wid)
            out += "\n" + indent;
        else
            out.append(wid - width, ' ');
        for (const char c : description) {
            out += c;
            if (c == '\n') out += indent;
        }
    }
    return out + "\n";
}

// The help screens of CLI11's Formatter with the catalog's words: labels through get_label, the
// option group headings (CLI11 prints an option's group name as is) and the value type names
// (which carry their validators' descriptions after a ':').
class CatalogFormatter : public CLI::Formatter {
public:
    CatalogFormatter() {
        for (const auto& [key, code] : kLabels) label(std::string(key), message(code));
    }

    std::string make_group(std::string group, bool is_positional,
                           std::vector<const CLI::Option*> opts) const override {
        return CLI::Formatter::make_group(get_label(group), is_positional, std::move(opts));
    }

    std::string make_option(const CLI::Option* opt, bool is_positional) const override {
        return help_line(make_option_name(opt, is_positional) + make_option_opts(opt),
                         make_option_desc(opt), column_width_);
    }

    std::string make_subcommand(const CLI::App* sub) const override {
        return help_line(sub->get_display_name(true), sub->get_description(), column_width_);
    }

    std::string make_option_opts(const CLI::Option* opt) const override {
        if (!opt->get_option_text().empty() || opt->get_type_size() == 0)
            return CLI::Formatter::make_option_opts(opt);
        std::ostringstream out;
        std::string type = opt->get_type_name();
        if (!type.empty()) {
            const auto colon = type.find(':');
            const std::string base = type.substr(0, colon);
            out << ' ' << get_label(base)
                << (colon == std::string::npos ? std::string() : type.substr(colon));
        }
        if (!opt->get_default_str().empty()) out << '=' << opt->get_default_str();
        if (opt->get_expected_max() == CLI::detail::expected_max_vector_size)
            out << " ...";
        else if (opt->get_expected_min() > 1)
            out << " x " << opt->get_expected();
        if (opt->get_required()) out << ' ' << get_label("REQUIRED");
        if (!opt->get_envname().empty())
            out << " (" << get_label("Env") << ": " << opt->get_envname() << ')';
        if (!opt->get_needs().empty()) {
            out << ' ' << get_label("Needs") << ':';
            for (const CLI::Option* o : opt->get_needs()) out << ' ' << o->get_name();
        }
        if (!opt->get_excludes().empty()) {
            out << ' ' << get_label("Excludes") << ':';
            for (const CLI::Option* o : opt->get_excludes()) out << ' ' << o->get_name();
        }
        return out.str();
    }
};

bool starts(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}

bool ends(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// "NAME: REST" split at the first ": " (CLI11 puts the option's name first).
std::pair<std::string, std::string> split_name(std::string_view what) {
    const auto at = what.find(": ");
    if (at == std::string_view::npos) return {std::string(what), {}};
    return {std::string(what.substr(0, at)), std::string(what.substr(at + 2))};
}

// CLI11's validator words (IsMember "X not in {a,b}", Range "Value X not in range A to B").
std::string validation_text(std::string_view name, std::string_view why) {
    if (const auto at = why.find(" not in {"); at != std::string_view::npos && ends(why, "}")) {
        std::string set(why.substr(at + 9, why.size() - at - 10));
        return std::string(name) + ": " + message("cli.arg_one_of", {why.substr(0, at), set});
    }
    if (starts(why, "Value ")) {
        const auto at = why.find(" not in range ");
        const auto to = why.rfind(" to ");
        if (at != std::string_view::npos && to != std::string_view::npos && to > at)
            return std::string(name) + ": " +
                   message("cli.arg_range",
                           {why.substr(6, at - 6), why.substr(at + 14, to - at - 14),
                            why.substr(to + 4)});
    }
    return std::string(name) + ": " + std::string(why);
}

}  // namespace

void localize(CLI::App& app) {
    app.formatter(std::make_shared<CatalogFormatter>());
    app.set_help_flag("-h,--help", message("cli.help_flag"));
    app.failure_message([](const CLI::App*, const CLI::Error& e) {
        // The same "lỗi: …" line as report() (app.cpp), then where to look.
        return std::string(english_ui() ? "error" : "lỗi") + ": " + parse_error_text(e) + "\n" +
               message("cli.err_help_hint") + "\n";
    });
}

void localize_groups(CLI::App& app) {
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        if (sub->get_group() == "Subcommands") sub->group(message("cli.help_subcommands"));
        localize_groups(*sub);
    }
}

std::string parse_error_text(const CLI::Error& error) {
    const std::string_view what = error.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
        const auto at = what.find(": ");
        return message("cli.err_extra",
                       {at == std::string_view::npos ? what : what.substr(at + 2)});
    }
    if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr && ends(what, " is required")) {
        const std::string_view name = what.substr(0, what.size() - 12);
        if (name == "A subcommand") return message("cli.err_need_subcommand");
        return message("cli.err_required", {name});
    }
    if (dynamic_cast<const CLI::ConversionError*>(&error) != nullptr) {
        if (starts(what, "Could not convert: ")) {
            const std::string_view rest = what.substr(19);
            const auto eq = rest.find(" = ");
            if (eq != std::string_view::npos)
                return message("cli.err_convert", {rest.substr(0, eq), rest.substr(eq + 3)});
        }
        if (starts(what, "The value ")) {
            const auto at = what.find(" is not an allowed value for ");
            if (at != std::string_view::npos)
                return message("cli.err_convert", {what.substr(at + 29), what.substr(10, at - 10)});
        }
        if (ends(what, ": too many inputs for a flag") ||
            ends(what, ": Should be true/false or a number"))
            return message("cli.err_flag_value", {split_name(what).first});
    }
    if (dynamic_cast<const CLI::ValidationError*>(&error) != nullptr) {
        const auto [name, why] = split_name(what);
        return validation_text(name, why);
    }
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr) {
        if (ends(what, " missing") && what.find(" required ") != std::string_view::npos)
            return message("cli.err_value_missing", {split_name(what).first});
        if (starts(what, "Expected ")) {
            const auto to = what.find(" arguments to ");
            const auto got = what.rfind(", got ");
            if (to != std::string_view::npos && got != std::string_view::npos && got > to)
                return message("cli.err_value_count",
                               {what.substr(to + 14, got - to - 14), what.substr(got + 6)});
        }
    }
    if (dynamic_cast<const CLI::RequiresError*>(&error) != nullptr) {
        const auto at = what.find(" requires ");
        if (at != std::string_view::npos)
            return message("cli.err_requires", {what.substr(0, at), what.substr(at + 10)});
    }
    if (dynamic_cast<const CLI::ExcludesError*>(&error) != nullptr) {
        const auto at = what.find(" excludes ");
        if (at != std::string_view::npos)
            return message("cli.err_excludes", {what.substr(0, at), what.substr(at + 10)});
    }
    return message("cli.err_other", {what});
}

}  // namespace kyso::cli
