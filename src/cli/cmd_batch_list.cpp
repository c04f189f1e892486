// kyso cli — `kyso batch list`: the batches (letters of request), one line each.
#include <cstdio>

#include "cli/commands.h"
#include "cli/input_checks.h"
#include "cli/session.h"
#include "cli/text_table.h"
#include "core/enum_words.h"
#include "core/messages.h"
#include "workflow/batch_list.h"

namespace kyso::cli {

namespace {

struct BatchListArgs {
    std::string db, org, kind;
};

// The batch's state in words: the one state of all its requests ("đã gửi Cục"), else how many
// are in each ("hoàn thành 3, đã gửi Cục 2"); "-" for an empty batch.
std::string states_text(const workflow::BatchLine& line) {
    if (line.states.empty()) return "-";
    if (line.states.size() == 1) return capitalized(word(line.states.begin()->first));
    std::string out;
    for (const auto& [state, n] : line.states) {
        if (!out.empty()) out += ", ";
        out += word(state) + " " + std::to_string(n);
    }
    return capitalized(out);
}

int run_batch_list(const BatchListArgs& a) {
    auto s = open_session(a.db, {}, {});
    if (!s) return report(s.error());
    workflow::BatchListFilter f;
    f.org_id = a.org;
    if (!a.kind.empty()) f.kind = parse_request_kind(a.kind);
    auto lines = workflow::list_batches(*s->registry, *s->workflow, f);
    if (!lines) return report(lines.error());
    if (lines->empty()) {
        say("cli.batch_list_none");
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& l : *lines) {
        const store::Batch& b = l.batch;
        const std::string number = workflow::letter_number(b);
        std::string issuer = b.org_id;
        if (!l.issuer_name.empty()) issuer += " (" + l.issuer_name + ")";
        std::string level = message(b.level == "province" ? "cli.batch_level_province"
                                                          : "cli.batch_level_organization");
        if (!l.gathers.empty()) {
            std::string ids;
            for (const auto id : l.gathers) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
            level += " " + message("cli.batch_gathers", {ids});
        } else if (b.parent_id != 0) {
            level += " " + message("cli.batch_in", {std::to_string(b.parent_id)});
        }
        rows.push_back({std::to_string(b.id), number.empty() ? "-" : number, issuer,
                        capitalized(word(b.kind)), b.form, level, states_text(l),
                        std::to_string(l.requests), b.created_at.substr(0, 10)});
    }
    print_columns(
        {message("cli.col_batch"), message("cli.col_number"), message("cli.col_issuer"),
         message("cli.col_kind"), message("cli.col_form"), message("cli.col_level"),
         message("cli.col_state"), message("cli.col_requests"), message("cli.col_created")},
        rows);
    return 0;
}

}  // namespace

void add_batch_list_command(CLI::App* batch, int& exit_code) {
    auto a = std::make_shared<BatchListArgs>();
    CLI::App* list = batch->add_subcommand("list", message("cli.batch_list_help"));
    list->add_option("--db", a->db, message("cli.opt_db"))->required();
    list->add_option("--org", a->org, message("cli.opt_batch_list_org"));
    list->add_option("--kind", a->kind, message("cli.opt_kind"))
        ->check(one_of(request_kind_names()));
    list->callback([a, &exit_code] { exit_code = run_batch_list(*a); });
}

}  // namespace kyso::cli
