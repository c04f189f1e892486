// kyso cli — `kyso batch` (letters and lists), `kyso results import` (the national CA's answers)
// and `kyso custody` (devices on their way back).
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "cli/input_checks.h"
#include "cli/session.h"
#include "cli/text_table.h"
#include "core/date.h"
#include "core/enum_words.h"
#include "core/messages.h"
#include "workflow/batch_render.h"
#include "workflow/ca_results.h"
#include "workflow/custody.h"
#include "workflow/request_desk.h"

namespace kyso::cli {

namespace {

struct Who {
    std::string db, as, password_file;
};

void add_who(CLI::App* cmd, Who& w, bool needs_user) {
    cmd->add_option("--db", w.db, message("cli.opt_db"))->required();
    auto* as = cmd->add_option("--as", w.as, message("cli.opt_as"));
    if (needs_user) as->required();
    cmd->add_option("--password-file", w.password_file, message("cli.opt_password_file"));
}

Result<Date> date_option(const std::string& text) {
    if (text.empty()) return Date::today();
    auto d = Date::parse(text);
    if (!d) return make_error("check.date_format", Location{}, {text});
    return *d;
}

struct BatchArgs {
    Who w;
    std::string org, kind, form, number, symbol, out, templates, date;
    std::int64_t batch = 0;
    std::vector<std::string> values;  // KEY=VALUE
    bool all = false;
    workflow::RenderOptions render;
};

int run_create(BatchArgs& a) {
    auto s = open_session(a.w.db, a.w.as, a.w.password_file);
    if (!s) return report(s.error());
    workflow::RequestDesk desk(*s->registry, *s->workflow);
    auto ids = desk.create_batches(s->user, a.org, *parse_request_kind(a.kind), a.number, a.symbol);
    if (!ids) return report(ids.error());
    if (ids->empty()) {
        if (a.org.empty()) {
            say("cli.batch_none_all", {a.kind});
        } else {
            say("cli.batch_none", {a.org, a.kind});
        }
    }
    for (const auto id : *ids) {
        auto b = s->workflow->batch(id);
        if (!b) return report(b.error());
        const std::string number = *b ? (*b)->number : std::string();
        const std::string symbol = *b && !(*b)->symbol.empty() ? "/" + (*b)->symbol : "";
        say("cli.batch_created",
            {std::to_string(id), number + symbol, *b ? (*b)->org_id : std::string()});
    }
    return 0;
}

// The audit detail of a render: its rows and the values given by hand (--value).
std::string render_detail(std::size_t rows, const std::map<std::string, std::string>& values) {
    nlohmann::ordered_json d;
    d["rows"] = rows;
    d["values"] = values;
    return d.dump();
}

int run_render(BatchArgs& a) {
    auto s = open_session(a.w.db, a.w.as, a.w.password_file);
    if (!s) return report(s.error());
    auto d = date_option(a.date);
    if (!d) return report(d.error());
    a.render.date = *d;
    a.render.templates_dir = templates_dir(a.templates);
    for (const auto& kv : a.values) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            return report(make_error("cli.value_syntax", Location{}, {kv}));
        a.render.values[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    auto actor = signed_in_actor(*s);
    if (!actor) return report(actor.error());
    if (!s->user.username.empty()) {  // the batch and the receiver in the user's scope
        workflow::RequestDesk desk(*s->registry, *s->workflow);
        if (auto ok = desk.may_render(s->user, a.batch, a.render.receiver_id); !ok)
            return report(ok.error());
    }
    auto r = workflow::render_batch(*s->registry, *s->workflow, a.batch, a.out, a.render);
    if (!r) return report(r.error());
    if (auto st =
            s->workflow->append_audit(*actor, "batch.render", "batch:" + std::to_string(a.batch),
                                      render_detail(r->rows, a.render.values));
        !st)
        return report(st.error());
    say("cli.batch_rendered", {std::to_string(a.batch), std::to_string(r->rows), r->letter_docx,
                               r->letter_pdf, r->list_xlsx});
    return 0;
}

struct CustodyArgs {
    Who w;
    workflow::Handover h;
    std::string step, date, out, templates;
};

}  // namespace

void add_batch_commands(CLI::App& app, int& exit_code) {
    CLI::App* batch = app.add_subcommand("batch", message("cli.batch_help"));
    batch->require_subcommand(1);

    auto ca = std::make_shared<BatchArgs>();
    CLI::App* create = batch->add_subcommand("create", message("cli.batch_create_help"));
    add_who(create, ca->w, true);
    create->add_option("--org", ca->org, message("cli.opt_batch_org"));
    create->add_option("--kind", ca->kind, message("cli.opt_kind"))
        ->required()
        ->check(CLI::IsMember(
            {"issue", "renew", "change_info", "revoke", "device_restore", "device_handover"}));
    create->add_option("--number", ca->number, message("cli.opt_number"));
    create->add_option("--symbol", ca->symbol, message("cli.opt_symbol"));
    create->callback([ca, &exit_code] { exit_code = run_create(*ca); });

    auto sa = std::make_shared<BatchArgs>();
    CLI::App* submit = batch->add_subcommand("submit", message("cli.batch_submit_help"));
    add_who(submit, sa->w, true);
    auto* one = submit->add_option("--batch", sa->batch, message("cli.opt_batch"))
                    ->check(whole_number(1, kMaxId));
    auto* all = submit->add_flag("--all", sa->all, message("cli.opt_submit_all"));
    one->excludes(all);
    submit->callback([sa, all, &exit_code] {
        if ((sa->batch == 0) == (all->count() == 0)) {
            exit_code = report(make_error("cli.batch_or_all", Location{}, {}));
            return;
        }
        exit_code = with_session(sa->w.db, sa->w.as, sa->w.password_file, [&](Session& s) -> int {
            workflow::RequestDesk desk(*s.registry, *s.workflow);
            auto sent = desk.submit_batch(s.user, sa->batch);
            if (!sent) return report(sent.error());
            std::string list;
            for (const auto id : *sent) list += (list.empty() ? "" : ", ") + std::to_string(id);
            say(sent->size() == 1 ? "cli.batch_submitted" : "cli.batches_submitted", {list});
            return 0;
        });
    });

    auto co = std::make_shared<BatchArgs>();
    CLI::App* combine = batch->add_subcommand("combine", message("cli.batch_combine_help"));
    add_who(combine, co->w, true);
    combine->add_option("--form", co->form, message("cli.opt_form"))
        ->required()
        ->check(one_of(std::vector<std::string>{"mau-01", "mau-02", "mau-04", "mau-05", "mau-06",
                                                "ban-giao-thiet-bi"}));
    combine->add_option("--issuer", co->org, message("cli.opt_issuer"))->required();
    combine->add_option("--number", co->number, message("cli.opt_number"));
    combine->add_option("--symbol", co->symbol, message("cli.opt_symbol"));
    combine->callback([co, &exit_code] {
        exit_code = with_session(co->w.db, co->w.as, co->w.password_file, [&](Session& s) -> int {
            workflow::RequestDesk desk(*s.registry, *s.workflow);
            auto id = desk.combine_batches(s.user, co->form, co->org, co->number, co->symbol);
            if (!id) return report(id.error());
            auto b = s.workflow->batch(*id);
            if (!b) return report(b.error());
            const std::string number = *b ? (*b)->number : std::string();
            const std::string symbol = *b && !(*b)->symbol.empty() ? "/" + (*b)->symbol : "";
            say("cli.batch_combined", {std::to_string(*id), number + symbol, co->org});
            return 0;
        });
    });

    auto ra = std::make_shared<BatchArgs>();
    CLI::App* render = batch->add_subcommand("render", message("cli.batch_render_help"));
    add_who(render, ra->w, false);
    render->add_option("--batch", ra->batch, message("cli.opt_batch"))
        ->required()
        ->check(whole_number(1, kMaxId));
    render->add_option("--out", ra->out, message("cli.opt_out_dir"))->required();
    render->add_option("--templates", ra->templates, message("cli.opt_templates"));
    render->add_option("--place", ra->render.place, message("cli.opt_place"));
    render->add_option("--date", ra->date, message("cli.opt_date"));
    render->add_option("--signer", ra->render.signer, message("cli.opt_signer"));
    render->add_option("--signer-title", ra->render.signer_title, message("cli.opt_signer_title"));
    render->add_option("--signer-authority", ra->render.signer_authority,
                       message("cli.opt_signer_authority"));
    render->add_option("--receiver", ra->render.receiver_id, message("cli.opt_receiver"));
    render->add_option("--receiver-address", ra->render.receiver_address,
                       message("cli.opt_receiver_address"));
    render->add_option("--value", ra->values, message("cli.opt_value"));
    render->callback([ra, &exit_code] { exit_code = run_render(*ra); });
    add_batch_list_command(batch, exit_code);

    // results
    CLI::App* results = app.add_subcommand("results", message("cli.results_help"));
    results->require_subcommand(1);
    auto ri = std::make_shared<std::tuple<Who, std::string, std::string>>();
    CLI::App* import = results->add_subcommand("import", message("cli.results_import_help"));
    add_who(import, std::get<0>(*ri), true);
    import->add_option("--file", std::get<1>(*ri), message("cli.opt_results_file"))->required();
    import->add_option("--certs", std::get<2>(*ri), message("cli.opt_results_certs"));
    import->callback([ri, &exit_code] {
        auto& [w, file, certs] = *ri;
        exit_code = with_session(w.db, w.as, w.password_file, [&](Session& s) -> int {
            auto r = workflow::import_results(*s.registry, *s.workflow, s.user, file, certs);
            if (!r) return report(r.error());
            if (r->date_heading.empty()) {
                say("cli.results_today", {Date::today().str()});
            } else {
                say("cli.results_dates", {r->date_heading});
            }
            say("cli.results_done",
                {std::to_string(r->completed), std::to_string(r->rejected),
                 std::to_string(r->certificates_linked), std::to_string(r->problems.size())});
            if (r->already_done > 0) say("cli.results_already", {std::to_string(r->already_done)});
            for (const auto& [row, what] : r->problems)
                std::printf("  %s %lld: %s\n", message("cli.check_row").c_str(),
                            static_cast<long long>(row), what.c_str());
            return r->problems.empty() ? 0 : 1;
        });
    });

    // custody
    CLI::App* custody = app.add_subcommand("custody", message("cli.custody_help"));
    custody->require_subcommand(1);
    auto cu = std::make_shared<CustodyArgs>();
    CLI::App* hand = custody->add_subcommand("handover", message("cli.custody_handover_help"));
    add_who(hand, cu->w, true);
    hand->add_option("--device", cu->h.devices, message("cli.opt_devices"))->required();
    hand->add_option("--step", cu->step, message("cli.opt_step"))
        ->required()
        ->check(CLI::IsMember({"to_organization", "to_dost", "to_ca"}));
    hand->add_option("--handed-by", cu->h.handed_by, message("cli.opt_handed_by"))->required();
    hand->add_option("--handed-by-title", cu->h.handed_by_title, message("cli.opt_position"));
    hand->add_option("--received-by", cu->h.received_by, message("cli.opt_received_by"))
        ->required();
    hand->add_option("--received-by-title", cu->h.received_by_title, message("cli.opt_position"));
    hand->add_option("--dost", cu->h.dost_org_id, message("cli.opt_dost"));
    hand->add_option("--date", cu->date, message("cli.opt_date"));
    hand->add_option("--document", cu->h.document, message("cli.opt_document"));
    hand->add_option("--out", cu->out, message("cli.opt_custody_out"));
    hand->add_option("--templates", cu->templates, message("cli.opt_templates"));
    hand->callback([cu, &exit_code] {
        exit_code = with_session(cu->w.db, cu->w.as, cu->w.password_file, [&](Session& s) -> int {
            auto d = date_option(cu->date);
            if (!d) return report(d.error());
            cu->h.on = *d;
            cu->h.step = *store::parse_custody_step(cu->step);
            // Checked first; the record and the rows are written only when nothing refuses.
            auto ids = workflow::handover(
                *s.registry, *s.workflow, s.user, cu->h,
                cu->out.empty() ? std::string() : templates_dir(cu->templates), cu->out);
            if (!ids) return report(ids.error());
            say("cli.custody_recorded",
                {std::to_string(ids->size()), enum_word("custody_step", cu->step)});
            return 0;
        });
    });

    auto cl = std::make_shared<std::pair<Who, std::string>>();
    CLI::App* clist = custody->add_subcommand("list", message("cli.custody_list_help"));
    clist->add_option("--db", cl->first.db, message("cli.opt_db"))->required();
    clist->add_option("--device", cl->second, message("cli.opt_devices"));
    clist->callback([cl, &exit_code] {
        exit_code = with_session(cl->first.db, {}, {}, [&](Session& s) -> int {
            auto rs = s.workflow->custody(cl->second);
            if (!rs) return report(rs.error());
            std::vector<std::vector<std::string>> rows;
            for (const auto& r : *rs)
                rows.push_back({r.device_id, r.handed_on,
                                capitalized(enum_word("custody_step", store::to_string(r.step))),
                                r.from_party + " → " + r.to_party,
                                r.handed_by + " → " + r.received_by, r.document});
            print_columns({message("cli.col_device"), message("cli.col_date"),
                           message("cli.col_step"), message("cli.col_parties"),
                           message("cli.col_people"), message("cli.col_document")},
                          rows);
            return 0;
        });
    });

    auto co2 = std::make_shared<std::pair<Who, int>>();
    co2->second = 30;
    CLI::App* overdue = custody->add_subcommand("overdue", message("cli.custody_overdue_help"));
    overdue->add_option("--db", co2->first.db, message("cli.opt_db"))->required();
    overdue->add_option("--days", co2->second, message("cli.opt_days"))
        ->check(whole_number(0, kMaxOverdueDays));
    overdue->callback([co2, &exit_code] {
        exit_code = with_session(co2->first.db, {}, {}, [&](Session& s) -> int {
            auto ds = workflow::overdue_devices(*s.registry, *s.workflow, co2->second);
            if (!ds) return report(ds.error());
            say("cli.custody_overdue", {std::to_string(ds->size()), std::to_string(co2->second)});
            std::vector<std::vector<std::string>> rows;
            for (const auto& d : *ds)
                rows.push_back({d.device_id, d.holder, d.managing_org, d.revoked_on,
                                std::to_string(d.days),
                                d.last_step.empty() ? message("cli.custody_not_handed")
                                                    : enum_word("custody_step", d.last_step)});
            if (!rows.empty())
                print_columns({message("cli.col_device"), message("cli.col_holder"),
                               message("cli.col_org"), message("cli.col_revoked_on"),
                               message("cli.col_days"), message("cli.col_last_step")},
                              rows);
            return ds->empty() ? 0 : 1;
        });
    });
}

}  // namespace kyso::cli
