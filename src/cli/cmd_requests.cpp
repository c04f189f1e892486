// kyso cli — `kyso users`, `kyso requests` and `kyso audit`: people who act, the requests they
// move, and the log that remembers it.
#include <cstdio>

#include "cli/commands.h"
#include "cli/input_checks.h"
#include "cli/session.h"
#include "cli/text_table.h"
#include "core/enum_words.h"
#include "core/messages.h"
#include "core/values.h"
#include "workflow/accounts.h"
#include "workflow/audit_replay.h"
#include "workflow/audit_verify.h"
#include "workflow/password.h"
#include "workflow/person_link.h"
#include "workflow/request_desk.h"

namespace kyso::cli {

namespace {

struct Common {
    std::string db;
    std::string as;
    std::string password_file;
};

void add_common(CLI::App* cmd, Common& c, bool needs_user) {
    cmd->add_option("--db", c.db, message("cli.opt_db"))->required();
    auto* as = cmd->add_option("--as", c.as, message("cli.opt_as"));
    if (needs_user) as->required();
    cmd->add_option("--password-file", c.password_file, message("cli.opt_password_file"));
}

struct UserArgs {
    Common c;
    User user;
    std::string role;
    std::string scope;  // "all" or empty
    std::string new_password_file;
};

int run_user_add(UserArgs& a) {
    auto s = open_session(a.c.db, {}, {});
    if (!s) return report(s.error());
    auto existing = s->workflow->users();
    if (!existing) return report(existing.error());
    // The first user of a database is its administrator (the store checks again inside its
    // write transaction); after that, only an admin adds users.
    std::optional<User> actor;
    if (!existing->empty() || !a.c.as.empty()) {
        auto signed_in = open_session(a.c.db, a.c.as, a.c.password_file);
        if (!signed_in) return report(signed_in.error());
        if (signed_in->user.username.empty())
            return report(make_error("cli.write_needs_user", Location{}, {}));
        actor = signed_in->user;
    }
    auto password = read_password(a.new_password_file, "KYSO_NEW_PASSWORD");
    if (!password) return report(password.error());
    workflow::Accounts accounts(*s->registry, *s->workflow);
    auto added =
        accounts.add(actor, a.user, workflow::Scope{a.user.org_id, a.scope == "all"}, *password);
    if (!added) return report(added.error());
    say("cli.user_added",
        {added->username, to_string(added->role), added->org_id.empty() ? "*" : added->org_id});
    return 0;
}

// An administrator's change of one account: kind is disable, enable, set-role, set-scope or
// reset-password.
struct UserChangeArgs {
    Common c;
    std::string username, role, org, scope, new_password_file;
};

int run_user_change(UserChangeArgs& a, const std::string& kind) {
    auto s = open_session(a.c.db, a.c.as, a.c.password_file);
    if (!s) return report(s.error());
    workflow::Accounts accounts(*s->registry, *s->workflow);
    Status done = Ok{};
    if (kind == "disable" || kind == "enable") {
        done = accounts.set_disabled(s->user, a.username, kind == "disable");
    } else if (kind == "set-role") {
        done = accounts.set_role(s->user, a.username, *parse_role(a.role));
    } else if (kind == "set-scope") {
        done = accounts.set_scope(s->user, a.username, workflow::Scope{a.org, a.scope == "all"});
    } else {
        auto password = read_password(a.new_password_file, "KYSO_NEW_PASSWORD");
        if (!password) return report(password.error());
        done = accounts.reset_password(s->user, a.username, *password);
    }
    if (!done) return report(done.error());
    say("cli.user_changed", {a.username, kind});
    return 0;
}

// `kyso users link --user NAME --person ID`: the person whose certificate signs the user in.
struct LinkArgs {
    Common c;
    std::string username, person_id;
};

int run_user_link(LinkArgs& a) {
    auto s = open_session(a.c.db, a.c.as, a.c.password_file);
    if (!s) return report(s.error());
    auto done = workflow::link_person(*s->registry, *s->workflow, *s->accounts, s->user, a.username,
                                      a.person_id);
    if (!done) return report(done.error());
    if (a.person_id.empty()) {
        say("cli.user_unlinked", {a.username});
    } else {
        say("cli.user_linked", {a.username, a.person_id});
    }
    return 0;
}

struct MoveArgs {
    Common c;
    std::vector<std::int64_t> ids;
    std::string comment;
};

int run_move(MoveArgs& a, RequestState to) {
    auto s = open_session(a.c.db, a.c.as, a.c.password_file);
    if (!s) return report(s.error());
    workflow::RequestDesk desk(*s->registry, *s->workflow);
    auto moved = desk.move_all(s->user, a.ids, to, a.comment);
    if (!moved) return report(moved.error());
    say("cli.requests_moved",
        {std::to_string(moved->size()), message("state." + std::string(to_string(to)))});
    return 0;
}

int run_validate(MoveArgs& a) {
    auto s = open_session(a.c.db, a.c.as, a.c.password_file);
    if (!s) return report(s.error());
    workflow::RequestDesk desk(*s->registry, *s->workflow);
    auto r = desk.validate(s->user, a.ids);
    if (!r) return report(r.error());
    say("cli.validated", {std::to_string(r->validated.size()), std::to_string(r->blocked.size())});
    for (const auto& [id, why] : r->blocked)
        std::printf("  %lld: %s\n", static_cast<long long>(id), why.c_str());
    return r->blocked.empty() ? 0 : 1;
}

int run_from_plan(Common& c) {
    auto s = open_session(c.db, c.as, c.password_file);
    if (!s) return report(s.error());
    workflow::RequestDesk desk(*s->registry, *s->workflow);
    auto r = desk.from_plan(s->user);
    if (!r) return report(r.error());
    say("cli.from_plan", {std::to_string(r->planned), std::to_string(r->created),
                          std::to_string(r->planned - r->created), std::to_string(r->reviews),
                          std::to_string(r->out_of_scope), std::to_string(r->unplaced)});
    return 0;
}

struct AddArgs {
    Common c;
    std::string kind, holder;
    Request r;
};

int run_add(AddArgs& a) {
    auto s = open_session(a.c.db, a.c.as, a.c.password_file);
    if (!s) return report(s.error());
    a.r.kind = *parse_request_kind(a.kind);
    if (!a.holder.empty()) {  // "person:ID" or "org:ID"
        const auto colon = a.holder.find(':');
        if (colon == std::string::npos)
            return report(make_error("cli.holder_syntax", Location{}, {a.holder}));
        a.r.holder_type = a.holder.substr(0, colon);
        a.r.holder_id = a.holder.substr(colon + 1);
    }
    if (auto serial = normalize_serial(a.r.certificate)) a.r.certificate = *serial;
    workflow::RequestDesk desk(*s->registry, *s->workflow);
    auto id = desk.add_request(s->user, a.r);
    if (!id) return report(id.error());
    say("cli.request_added", {std::to_string(*id), a.kind});
    return 0;
}

struct ListArgs {
    Common c;
    std::string state, kind, org;
    std::int64_t batch = 0;
};

int run_list(ListArgs& a) {
    auto s = open_session(a.c.db, {}, {});
    if (!s) return report(s.error());
    store::RequestFilter f;
    if (!a.state.empty()) f.state = parse_request_state(a.state);
    if (!a.kind.empty()) f.kind = parse_request_kind(a.kind);
    f.managing_org_id = a.org;
    f.batch_id = a.batch;
    auto rs = s->workflow->requests(f);
    if (!rs) return report(rs.error());
    std::vector<std::vector<std::string>> rows;
    for (const Request& r : *rs) {
        rows.push_back({std::to_string(r.id), capitalized(word(r.kind)), capitalized(word(r.state)),
                        r.managing_org_id,
                        r.holder_type.empty() ? std::string() : r.holder_type + ":" + r.holder_id,
                        r.certificate, r.device_id,
                        r.batch_id == 0 ? std::string() : std::to_string(r.batch_id)});
    }
    print_columns(
        {message("cli.col_id"), message("cli.col_kind"), message("cli.col_state"),
         message("cli.col_org"), message("cli.col_holder"), message("cli.col_certificate"),
         message("cli.col_device"), message("cli.col_batch")},
        rows);
    return 0;
}

int run_show(Common& c, std::int64_t id) {
    auto s = open_session(c.db, {}, {});
    if (!s) return report(s.error());
    auto r = s->workflow->request(id);
    if (!r) return report(r.error());
    if (!*r) return report(make_error("request.unknown", Location{}, {std::to_string(id)}));
    const Request& q = **r;
    say("cli.show_request",
        {std::to_string(q.id), capitalized(word(q.kind)), capitalized(word(q.state))});
    auto line = [](const char* label, const std::string& value) {
        if (!value.empty()) say("cli.show_line", {message(label), value});
    };
    line("cli.show_org", q.managing_org_id);
    line("cli.show_holder", q.holder_type.empty() ? "" : q.holder_type + ":" + q.holder_id);
    line("cli.show_certificate", q.certificate);
    line("cli.show_device", q.device_id);
    line("cli.show_rule", q.rule);
    line("cli.show_old_subject", q.old_subject);
    line("cli.show_new_subject", q.new_subject);
    line("cli.show_rejected", q.reject_reason);
    // The national CA's answer: the new certificate it issued, and on which day.
    if (!q.result_serial.empty())
        say("cli.request_new_certificate", {q.result_serial, q.completed_at});
    auto ts = s->workflow->transitions(id);
    if (!ts) return report(ts.error());
    for (const auto& t : *ts) {
        say("cli.show_transition", {t.at, word(t.from), word(t.to), t.actor, t.comment});
    }
    return 0;
}

int run_audit_verify(Common& c, const std::string& expect_head) {
    auto s = open_session(c.db, {}, {});
    if (!s) return report(s.error());
    // The key and head file first: every head the file records is then already in the log.
    auto seal = s->workflow->audit_seal();
    if (!seal) return report(seal.error());
    auto entries = s->workflow->audit_entries();
    if (!entries) return report(entries.error());
    auto head = s->workflow->audit_head();
    if (!head) return report(head.error());
    auto v = workflow::verify_audit(*entries, *head, *seal, expect_head);
    // The log replayed against the stored state (requests, certificates, custody, users).
    auto requests = s->workflow->requests({});
    if (!requests) return report(requests.error());
    auto reg = s->registry->load_registry();
    if (!reg) return report(reg.error());
    auto custody = s->workflow->custody("");
    if (!custody) return report(custody.error());
    auto users = s->workflow->users();
    if (!users) return report(users.error());
    const workflow::StoredState state{&*requests, &reg->certificates, &*custody, &*users};
    for (auto& p : workflow::replay_audit(*entries, state)) v.problems.push_back(std::move(p));
    for (const auto& p : v.problems)
        std::printf("  %s %lld: %s\n", message("cli.audit_entry").c_str(),
                    static_cast<long long>(p.seq), p.what.c_str());
    if (!v.ok()) {
        say("cli.audit_bad", {std::to_string(v.problems.size()), std::to_string(v.entries)});
        return 1;
    }
    say("cli.audit_ok", {std::to_string(v.entries), v.head});
    return 0;
}

}  // namespace

void add_requests_commands(CLI::App& app, int& exit_code) {
    // users
    CLI::App* users = app.add_subcommand("users", message("cli.users_help"));
    users->require_subcommand(1);
    auto ua = std::make_shared<UserArgs>();
    CLI::App* add = users->add_subcommand("add", message("cli.users_add_help"));
    add_common(add, ua->c, false);
    add->add_option("--username", ua->user.username, message("cli.opt_username"))->required();
    add->add_option("--full-name", ua->user.full_name, message("cli.opt_full_name"))->required();
    add->add_option("--role", ua->role, message("cli.opt_role"))
        ->required()
        ->check(CLI::IsMember(
            {"unit_officer", "unit_head", "dost_operator", "ca_operator", "auditor", "admin"}));
    add->add_option("--org", ua->user.org_id, message("cli.opt_user_org"));
    add->add_option("--scope", ua->scope, message("cli.opt_scope"))->check(CLI::IsMember({"all"}));
    add->add_option("--position", ua->user.position, message("cli.opt_position"));
    add->add_option("--new-password-file", ua->new_password_file,
                    message("cli.opt_new_password_file"));
    add->callback([ua, &exit_code] {
        ua->user.role = *parse_role(ua->role);
        exit_code = run_user_add(*ua);
    });
    // disable, enable, set-role, set-scope, reset-password: admin only, each audited.
    for (const char* kind : {"disable", "enable", "set-role", "set-scope", "reset-password"}) {
        auto ca = std::make_shared<UserChangeArgs>();
        CLI::App* cmd =
            users->add_subcommand(kind, message(std::string("cli.users_") + kind + "_help"));
        add_common(cmd, ca->c, true);
        cmd->add_option("username", ca->username, message("cli.opt_username"))->required();
        const std::string k = kind;
        if (k == "set-role") {
            cmd->add_option("role", ca->role, message("cli.opt_role"))
                ->required()
                ->check(CLI::IsMember({"unit_officer", "unit_head", "dost_operator", "ca_operator",
                                       "auditor", "admin"}));
        } else if (k == "set-scope") {
            auto* org = cmd->add_option("--org", ca->org, message("cli.opt_user_org"));
            auto* scope = cmd->add_option("--scope", ca->scope, message("cli.opt_scope"))
                              ->check(CLI::IsMember({"all"}));
            org->excludes(scope);
        } else if (k == "reset-password") {
            cmd->add_option("--new-password-file", ca->new_password_file,
                            message("cli.opt_new_password_file"));
        }
        cmd->callback([ca, k, &exit_code] { exit_code = run_user_change(*ca, k); });
    }

    auto lk = std::make_shared<LinkArgs>();
    CLI::App* link = users->add_subcommand("link", message("cli.users_link_help"));
    add_common(link, lk->c, true);
    link->add_option("--user", lk->username, message("cli.opt_username"))->required();
    link->add_option("--person", lk->person_id, message("cli.opt_person"))->required();
    link->callback([lk, &exit_code] { exit_code = run_user_link(*lk); });

    auto ul = std::make_shared<Common>();
    CLI::App* ulist = users->add_subcommand("list", message("cli.users_list_help"));
    ulist->add_option("--db", ul->db, message("cli.opt_db"))->required();
    ulist->callback([ul, &exit_code] {
        exit_code = with_session(ul->db, {}, {}, [](Session& s) -> int {
            auto us = s.workflow->users();
            if (!us) return report(us.error());
            std::vector<std::vector<std::string>> rows;
            for (const User& u : *us)
                rows.push_back({u.username, capitalized(word(u.role)),
                                u.org_id.empty() ? message("cli.scope_all") : u.org_id, u.full_name,
                                u.disabled ? message("cli.user_disabled") : std::string()});
            print_columns(
                {message("cli.col_username"), message("cli.col_role"), message("cli.col_scope"),
                 message("cli.col_full_name"), message("cli.col_account")},
                rows);
            return 0;
        });
    });

    // requests
    CLI::App* req = app.add_subcommand("requests", message("cli.requests_help"));
    req->require_subcommand(1);
    auto fp = std::make_shared<Common>();
    CLI::App* from = req->add_subcommand("from-plan", message("cli.from_plan_help"));
    add_common(from, *fp, true);
    from->callback([fp, &exit_code] { exit_code = run_from_plan(*fp); });

    auto ad = std::make_shared<AddArgs>();
    CLI::App* addr = req->add_subcommand("add", message("cli.requests_add_help"));
    add_common(addr, ad->c, true);
    addr->add_option("--kind", ad->kind, message("cli.opt_kind"))
        ->required()
        ->check(CLI::IsMember(
            {"issue", "renew", "change_info", "revoke", "device_restore", "device_handover"}));
    addr->add_option("--certificate", ad->r.certificate, message("cli.opt_certificate"));
    addr->add_option("--holder", ad->holder, message("cli.opt_holder"));
    addr->add_option("--device", ad->r.device_id, message("cli.opt_device"));
    addr->add_option("--reason", ad->r.revocation_reason, message("cli.opt_crl_reason"));
    addr->add_option("--org", ad->r.managing_org_id, message("cli.opt_managing_org"));
    addr->callback([ad, &exit_code] { exit_code = run_add(*ad); });

    auto la = std::make_shared<ListArgs>();
    CLI::App* list = req->add_subcommand("list", message("cli.requests_list_help"));
    list->add_option("--db", la->c.db, message("cli.opt_db"))->required();
    list->add_option("--state", la->state, message("cli.opt_state"))
        ->check(one_of(request_state_names()));
    list->add_option("--kind", la->kind, message("cli.opt_kind"))
        ->check(one_of(request_kind_names()));
    list->add_option("--org", la->org, message("cli.opt_org"));
    list->add_option("--batch", la->batch, message("cli.opt_batch"))
        ->check(whole_number(1, kMaxId));
    list->callback([la, &exit_code] { exit_code = run_list(*la); });

    auto sa = std::make_shared<std::pair<Common, std::int64_t>>();
    CLI::App* show = req->add_subcommand("show", message("cli.requests_show_help"));
    show->add_option("--db", sa->first.db, message("cli.opt_db"))->required();
    show->add_option("--id", sa->second, message("cli.opt_id"))
        ->required()
        ->check(whole_number(1, kMaxId));
    show->callback([sa, &exit_code] { exit_code = run_show(sa->first, sa->second); });

    auto va = std::make_shared<MoveArgs>();
    CLI::App* validate = req->add_subcommand("validate", message("cli.validate_help"));
    add_common(validate, va->c, true);
    validate->add_option("--id", va->ids, message("cli.opt_ids"))->check(whole_number(1, kMaxId));
    validate->callback([va, &exit_code] { exit_code = run_validate(*va); });

    struct Step {
        const char* name;
        const char* help;
        RequestState to;
        bool reason;
    };
    for (const Step step : {Step{"approve", "cli.approve_help", RequestState::approved, false},
                            Step{"submit", "cli.submit_help", RequestState::submitted, false},
                            Step{"forward", "cli.forward_help", RequestState::forwarded, false},
                            Step{"reject", "cli.reject_help", RequestState::rejected, true}}) {
        auto ma = std::make_shared<MoveArgs>();
        CLI::App* cmd = req->add_subcommand(step.name, message(step.help));
        add_common(cmd, ma->c, true);
        cmd->add_option("--id", ma->ids, message("cli.opt_ids"))
            ->required()
            ->check(whole_number(1, kMaxId));
        auto* comment =
            cmd->add_option(step.reason ? "--reason" : "--comment", ma->comment,
                            message(step.reason ? "cli.opt_reason" : "cli.opt_comment"));
        if (step.reason) comment->required();
        const RequestState to = step.to;
        cmd->callback([ma, to, &exit_code] { exit_code = run_move(*ma, to); });
    }

    // audit
    CLI::App* audit = app.add_subcommand("audit", message("cli.audit_help"));
    audit->require_subcommand(1);
    auto aa = std::make_shared<std::pair<Common, std::string>>();
    CLI::App* verify = audit->add_subcommand("verify", message("cli.audit_verify_help"));
    verify->add_option("--db", aa->first.db, message("cli.opt_db"))->required();
    verify->add_option("--expect-head", aa->second, message("cli.opt_expect_head"));
    verify->callback([aa, &exit_code] { exit_code = run_audit_verify(aa->first, aa->second); });
    auto al = std::make_shared<Common>();
    CLI::App* alist = audit->add_subcommand("list", message("cli.audit_list_help"));
    alist->add_option("--db", al->db, message("cli.opt_db"))->required();
    alist->callback([al, &exit_code] {
        exit_code = with_session(al->db, {}, {}, [](Session& s) -> int {
            auto es = s.workflow->audit_entries();
            if (!es) return report(es.error());
            for (const auto& e : *es)
                std::printf("%lld\t%s\t%s\t%s\t%s\t%s\n", static_cast<long long>(e.seq),
                            e.at.c_str(), e.actor.c_str(), e.action.c_str(), e.object.c_str(),
                            e.detail.c_str());
            return 0;
        });
    });
}

}  // namespace kyso::cli
