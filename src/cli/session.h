// kyso cli — who is acting: the user named by --as, signed in with their password, and the two
// stores of the database.
#pragma once

#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/request.h"
#include "core/result.h"
#include "store/account_store.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::cli {

struct Session {
    std::unique_ptr<store::Store> registry;
    std::unique_ptr<store::WorkflowStore> workflow;
    std::unique_ptr<store::AccountStore> accounts;  // sign-in: rate limit, person links
    User user;                                      // empty username when nobody signed in
};

// Opens the database. With a username, signs in: the password comes from `password_file`
// (first line) or else the environment variable KYSO_PASSWORD — never from the command line,
// where other users of the machine could read it. The password is checked as the server checks
// it (workflow::Sessions::check_password): failures count towards the account's rate limit and
// are audited, and a locked account is refused (auth.rate_limited) before its password is tried.
Result<Session> open_session(const std::string& db, const std::string& username,
                             const std::string& password_file);

// Who writes to the register (import, events apply, and every other change of organizations,
// people, devices or certificates): before any user exists, the operating-system account as
// "system:<login>"; once users exist, the user signed in with --as, whose role must be admin or
// dost_operator (the DoST keeps the province's register). Errors: cli.register_needs_user (no
// --as), cli.register_role (a role that may not change the register).
Result<std::string> register_writer(Session& session);

// The actor of a write that any role may make (e.g. rendering a batch's letters): once users
// exist, the user signed in with --as (error cli.write_needs_user otherwise); before, as
// session_actor.
Result<std::string> signed_in_actor(Session& session);

// The actor named in the audit log: the signed-in user, else "system:<login>".
std::string session_actor(const Session& session);

// The --as and --password-file options of every command that writes, bound to `username` and
// `password_file`.
void add_actor_options(CLI::App& cmd, std::string& username, std::string& password_file);

// Opens the session (open_session), runs `body` with it and gives its exit status; an error
// opening it is reported and gives 2.
template <typename Body>
int with_session(const std::string& db, const std::string& username,
                 const std::string& password_file, Body&& body) {
    auto session = open_session(db, username, password_file);
    if (!session) return report(session.error());
    return body(*session);
}

// A password from a file (first line) or KYSO_PASSWORD / `env_name`; bounded in size.
Result<std::string> read_password(const std::string& file, const char* env_name = "KYSO_PASSWORD");

// Where letter templates are: --templates, else KYSO_TEMPLATES, else the source tree's.
std::string templates_dir(const std::string& option);

}  // namespace kyso::cli
