// kyso cli — who is acting: the user named by --as, signed in with their password, and the two
// stores of the database.
#pragma once

#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/request.h"
#include "core/result.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::cli {

struct Session {
    std::unique_ptr<store::Store> registry;
    std::unique_ptr<store::WorkflowStore> workflow;
    User user;  // empty username when nobody signed in
};

// Opens the database. With a username, signs in: the password comes from `password_file`
// (first line) or else the environment variable KYSO_PASSWORD — never from the command line,
// where other users of the machine could read it.
Result<Session> open_session(const std::string& db, const std::string& username,
                             const std::string& password_file);

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
