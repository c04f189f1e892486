// kyso cli — `kyso batch list`: the batches (letters of request), one line each.
#include <cstdio>

#include "cli/commands.h"
#include "cli/input_checks.h"
#include "cli/session.h"
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
    if (line.states.size() == 1)
        return message("state." + std::string(to_string(line.states.begin()->first)));
    std::string out;
    for (const auto& [state, n] : line.states) {
        if (!out.empty()) out += ", ";
        out += message("state." + std::string(to_string(state))) + " " + std::to_string(n);
    }
    return out;
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
    say("cli.batch_list_header");
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
        std::printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%zu\t%s\n", static_cast<long long>(b.id),
                    number.empty() ? "-" : number.c_str(), issuer.c_str(),
                    std::string(to_string(b.kind)).c_str(), b.form.c_str(), level.c_str(),
                    states_text(l).c_str(), l.requests, b.created_at.substr(0, 10).c_str());
    }
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
