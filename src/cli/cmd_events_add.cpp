// kyso cli — decisions without hand-written JSON (issue 12): `kyso events add` (one decision,
// given by flags), `kyso events import` (one decision per spreadsheet row) and `kyso events
// template` (the blank spreadsheet). docs/events.md.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "bundle/event_fields.h"
#include "bundle/events_json.h"
#include "cli/commands.h"
#include "cli/session.h"
#include "core/messages.h"
#include "intake/event_intake.h"
#include "intake/events_sheet.h"

namespace kyso::cli {

namespace {

// "new.superior_id" → "--new-superior-id".
std::string flag_of(std::string_view field) {
    std::string f = "--";
    for (char c : field) f += c == '.' || c == '_' ? '-' : c;
    return f;
}

// `error` (naming an events.json member) told in the terms of the command line: each member the
// message quotes ("sources", "keep", "new") by its flag.
Error in_flag_terms(Error error) {
    auto flag_for = [](std::string_view field) {
        return flag_of(field == "new" ? "new.id" : field);
    };
    std::vector<std::string_view> names = bundle::event_field_names();
    names.push_back("new");
    for (std::string_view name : names) {
        const std::string quoted = "\"" + std::string(name) + "\"";
        const std::string flag = flag_for(name);
        for (std::string* m : {&error.message, &error.message_en}) {
            for (auto p = m->find(quoted); p != std::string::npos;
                 p = m->find(quoted, p + flag.size()))
                m->replace(p, quoted.size(), flag);
        }
    }
    if (!error.where.field.empty()) {
        error.where.file.clear();
        error.where.field = flag_for(error.where.field);
    }
    return error;
}

struct AddOptions {
    std::string db, as, password_file;
    std::map<std::string, std::string> text;
    std::map<std::string, std::vector<std::string>> lists;
    std::map<std::string, CLI::Option*> given;
};

// The ids of the stored events (fresh ids avoid them).
Result<std::unordered_set<std::string>> stored_ids(store::Store& store) {
    auto events = store.load_events();
    if (!events) return events.error();
    std::unordered_set<std::string> ids;
    for (const ReorgEvent& e : *events) ids.insert(e.id);
    return ids;
}

void print_event(const ReorgEvent& e) {
    const bool en = english_ui();
    say("cli.event_added_line",
        {e.id, bundle::event_kind_word(e.type, en), e.effective_date.str(), e.legal_basis});
}

int run_add(AddOptions& o) {
    auto session = open_session(o.db, o.as, o.password_file);
    if (!session) return report(session.error());
    auto actor = register_writer(*session);
    if (!actor) return report(actor.error());
    store::Store& store = *session->registry;
    bundle::EventFields fields;
    for (const auto& [field, option] : o.given) {
        if (option->count() == 0) continue;
        if (bundle::is_list_field(field)) {
            fields.lists[field] = o.lists[field];
        } else {
            fields.text[field] = o.text[field];
        }
    }
    if (fields.text.count("id") == 0) {
        auto ids = stored_ids(store);
        if (!ids) return report(ids.error());
        fields.text["id"] = intake::next_event_id(*ids);
    }
    auto event = bundle::event_from_fields(fields, "events add");
    if (!event) return report(in_flag_terms(event.error()));
    ReorgEvent shown = *event;
    auto added = intake::add_events(store, session->user, *actor, {*event}, "events add");
    if (!added) return report(in_flag_terms(added.error()));
    shown.id = added->ids.front();
    say(added->added > 0 ? "cli.event_added" : "cli.event_unchanged", {shown.id});
    print_event(shown);
    std::printf("%s\n", bundle::event_to_json(shown).c_str());
    return 0;
}

struct ImportOptions {
    std::string db, as, password_file;
    std::string xlsx, csv;
};

int run_import(const ImportOptions& o) {
    if (o.xlsx.empty() == o.csv.empty())
        return report(make_error("cli.events_import_source", {}, {}));
    const std::string& path = o.xlsx.empty() ? o.csv : o.xlsx;
    auto session = open_session(o.db, o.as, o.password_file);
    if (!session) return report(session.error());
    auto actor = register_writer(*session);
    if (!actor) return report(actor.error());
    store::Store& store = *session->registry;
    auto ids = stored_ids(store);
    if (!ids) return report(ids.error());
    auto sheet = intake::read_events_sheet(path, *ids);
    if (!sheet) return report(sheet.error());
    const bool en = english_ui();
    if (!sheet->errors.empty()) {
        for (const Error& e : sheet->errors) std::fprintf(stderr, "%s\n", e.describe(en).c_str());
        std::fprintf(
            stderr, "%s\n",
            message("cli.events_import_refused", {std::to_string(sheet->errors.size())}).c_str());
        return 2;
    }
    std::vector<ReorgEvent> events;
    for (const auto& r : sheet->rows) events.push_back(r.event);
    auto added = intake::add_events(store, session->user, *actor, std::move(events),
                                    "events import:" + path);
    if (!added) return report(intake::locate_sheet_error(*sheet, added.error()));
    for (std::size_t i = 0; i < sheet->rows.size(); ++i) {
        ReorgEvent shown = sheet->rows[i].event;
        shown.id = added->ids[i];
        std::printf("%s ", message("loc.row", {std::to_string(sheet->rows[i].row)}).c_str());
        print_event(shown);
    }
    say("cli.events_imported",
        {std::to_string(added->added), path, std::to_string(added->unchanged)});
    return 0;
}

}  // namespace

void add_event_entry_commands(CLI::App& events, int& exit_code) {
    auto add = std::make_shared<AddOptions>();
    CLI::App* cmd = events.add_subcommand("add", message("cli.events_add_help"));
    cmd->add_option("--db", add->db, message("cli.opt_db"))->required();
    add_actor_options(*cmd, add->as, add->password_file);
    for (std::string_view name : bundle::event_field_names()) {
        const std::string field(name);
        std::string key = field;
        std::replace(key.begin(), key.end(), '.', '_');
        const std::string help = message("cli.opt_event_" + key);
        CLI::Option* opt = nullptr;
        if (bundle::is_list_field(field)) {
            opt = cmd->add_option(flag_of(field), add->lists[field], help)->delimiter(',');
        } else {
            opt = cmd->add_option(flag_of(field), add->text[field], help);
        }
        if (field == "type") opt->required();
        add->given[field] = opt;
    }
    cmd->callback([add, &exit_code] { exit_code = run_add(*add); });

    auto imp = std::make_shared<ImportOptions>();
    cmd = events.add_subcommand("import", message("cli.events_import_help"));
    cmd->add_option("--db", imp->db, message("cli.opt_db"))->required();
    cmd->add_option("--xlsx", imp->xlsx, message("cli.opt_events_xlsx"));
    cmd->add_option("--csv", imp->csv, message("cli.opt_events_csv"));
    add_actor_options(*cmd, imp->as, imp->password_file);
    cmd->callback([imp, &exit_code] { exit_code = run_import(*imp); });

    auto out = std::make_shared<std::string>();
    cmd = events.add_subcommand("template", message("cli.events_template_help"));
    cmd->add_option("--xlsx", *out, message("cli.opt_events_template"))->required();
    cmd->callback([out, &exit_code] {
        if (auto s = intake::write_events_template(*out); !s) {
            exit_code = report(s.error());
            return;
        }
        say("cli.events_template_done", {*out});
        exit_code = 0;
    });
}

}  // namespace kyso::cli
