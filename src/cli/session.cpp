// kyso cli — who is acting: the user named by --as, signed in with their password.
#include "cli/session.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "core/messages.h"
#include "workflow/access.h"
#include "workflow/password.h"
#include "workflow/sessions.h"

namespace kyso::cli {

Result<std::string> read_password(const std::string& file, const char* env_name) {
    std::string password;
    if (!file.empty()) {
        std::ifstream in(file, std::ios::binary);
        if (!in) return make_error("cli.password_file", Location{file, 0, {}, {}}, {file});
        // Read no more than a password can be, whatever the file holds.
        std::string head(workflow::kMaxPasswordLength + 2, '\0');
        in.read(head.data(), static_cast<std::streamsize>(head.size()));
        head.resize(static_cast<std::size_t>(in.gcount()));
        password = head.substr(0, head.find('\n'));
        if (!password.empty() && password.back() == '\r') password.pop_back();
    } else if (const char* env = std::getenv(env_name)) {
        password = env;
    } else {
        return make_error("cli.password_missing", Location{}, {env_name});
    }
    if (password.size() > workflow::kMaxPasswordLength)
        return make_error("password.too_long", Location{},
                          {std::to_string(workflow::kMaxPasswordLength)});
    return password;
}

Result<Session> open_session(const std::string& db, const std::string& username,
                             const std::string& password_file) {
    Session s;
    auto reg = store::open_store(db);
    if (!reg) return reg.error();
    s.registry = std::move(*reg);
    auto wf = store::open_workflow_store(db);
    if (!wf) return wf.error();
    s.workflow = std::move(*wf);
    auto acc = store::open_account_store(db);
    if (!acc) return acc.error();
    s.accounts = std::move(*acc);
    if (username.empty()) return s;
    auto password = read_password(password_file);
    if (!password) return password.error();
    // No client address on the command line: only the per-account limit applies.
    workflow::Sessions sessions(*s.registry, *s.workflow, *s.accounts);
    auto user = sessions.check_password(username, *password, {});
    if (!user) return user.error();
    s.user = std::move(*user);
    return s;
}

Result<std::string> register_writer(Session& session) {
    if (!session.user.username.empty()) {
        if (session.user.role != Role::admin && session.user.role != Role::dost_operator)
            return Error{
                "cli.register_role",
                message("cli.register_role",
                        {session.user.username, workflow::role_words(session.user.role, false)},
                        false),
                message("cli.register_role",
                        {session.user.username, workflow::role_words(session.user.role, true)},
                        true),
                Location{}};
        return session.user.username;
    }
    auto users = session.workflow->users();
    if (!users) return users.error();
    if (!users->empty()) return make_error("cli.register_needs_user", Location{}, {});
    return session_actor(session);
}

Result<std::string> signed_in_actor(Session& session) {
    if (!session.user.username.empty()) return session.user.username;
    auto users = session.workflow->users();
    if (!users) return users.error();
    if (!users->empty()) return make_error("cli.write_needs_user", Location{}, {});
    return session_actor(session);
}

std::string session_actor(const Session& session) {
    if (!session.user.username.empty()) return session.user.username;
    const char* login = std::getenv("USER");
    if (login == nullptr || *login == '\0') login = std::getenv("LOGNAME");
    if (login == nullptr || *login == '\0') {
        const passwd* pw = getpwuid(getuid());  // no login variables (a service, cron, CI)
        login = pw != nullptr ? pw->pw_name : nullptr;
    }
    return std::string("system:") + (login != nullptr && *login != '\0' ? login : "unknown");
}

void add_actor_options(CLI::App& cmd, std::string& username, std::string& password_file) {
    cmd.add_option("--as", username, message("cli.opt_as"));
    cmd.add_option("--password-file", password_file, message("cli.opt_password_file"));
}

std::string templates_dir(const std::string& option) {
    if (!option.empty()) return option;
    if (const char* env = std::getenv("KYSO_TEMPLATES")) return env;
    return KYSO_DEFAULT_TEMPLATES;
}

}  // namespace kyso::cli
