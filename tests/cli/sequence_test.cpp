// Tests: model-based sequences of kyso commands on small registries (issue 10, item 1). Random
// sequences of imports (bundles, certificate files, intake output), events apply and export /
// re-import, each step followed by the invariants: `plan --db` and `check --db` work, export →
// import → export is identical, `audit verify` is intact, a refused step changes nothing, and no
// certificate or device changes holder unless an import said so. Commands run in this process
// (kyso::cli::run) with a fixed seed; KYSO_SEQUENCES sets how many (default 200).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <vector>

#include "cli/commands.h"
#include "cli_harness.h"

namespace kyso::testing {

namespace {

const std::string kWorld = std::string(KYSO_TEST_DATA) + "/real-world";

// One small registry and the inputs that belong with it.
struct Scenario {
    std::string name;
    std::string bundle;                    // imported as the register
    std::vector<std::string> cert_inputs;  // files or folders for `import --certs`
    std::vector<std::string> sheets;       // spreadsheets for `intake --registry DB`
    std::string mapping;                   // intake --mapping, optional
    std::string results;                   // the national CA's answers (results import), optional
    std::string results_certs;             // the new certificates they name
};

std::vector<Scenario> scenarios() {
    return {{"merge-new-department",
             kWorld + "/intake-after-events-apply/bundle",
             {},
             {kWorld + "/intake-after-events-apply/danh-sach-snnmt.xlsx"},
             "",
             "",
             ""},
            {"results",
             kWorld + "/results-then-check/bundle",
             {kWorld + "/results-then-check/ket-qua/moi"},
             {},
             "",
             kWorld + "/results-then-check/ket-qua/ket-qua.csv",
             kWorld + "/results-then-check/ket-qua/moi"},
            {"unlinked-ca",
             kWorld + "/unlinked-ca-certificate/registry",
             {kWorld + "/unlinked-ca-certificate/ca.pem"},
             {},
             "",
             "",
             ""},
            {"serials",
             kWorld + "/serial-leading-zeros/registry-with-certs",
             {kWorld + "/serial-leading-zeros/highbit.cer",
              kWorld + "/serial-leading-zeros/lowlead.pem"},
             {},
             "",
             "",
             ""},
            {"resent-sheet",
             kWorld + "/intake-resent-sheet/registry",
             {kWorld + "/intake-resent-sheet/certs"},
             {kWorld + "/intake-resent-sheet/danh-sach-lan-1.xlsx",
              kWorld + "/intake-resent-sheet/danh-sach-lan-2.xlsx"},
             kWorld + "/intake-resent-sheet/cot.txt",
             "",
             ""}};
}

// Minimal RFC 4180 reading of an exported file: rows of fields.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().push_back(std::move(field));
            field.clear();
        } else if (c == '\n') {
            rows.back().push_back(std::move(field));
            field.clear();
            rows.emplace_back();
        } else if (c != '\r') {
            field += c;
        }
    }
    if (!field.empty() || !rows.back().empty()) rows.back().push_back(std::move(field));
    if (rows.back().empty()) rows.pop_back();
    return rows;
}

// key column -> "holder_type:holder_id" of an exported certificates.csv or devices.csv.
std::map<std::string, std::string> holders(const fs::path& file, const std::string& key) {
    std::map<std::string, std::string> out;
    if (!fs::exists(file)) return out;
    const auto rows = parse_csv(read_file(file));
    if (rows.empty()) return out;
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < rows[0].size(); ++i) col[rows[0][i]] = i;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        if (row.size() < rows[0].size()) continue;
        out[row[col[key]]] = row[col["holder_type"]] + ":" + row[col["holder_id"]];
    }
    return out;
}

// Every file of a folder, by name.
std::map<std::string, std::string> folder(const fs::path& dir) {
    std::map<std::string, std::string> out;
    if (!fs::exists(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir))
        out[e.path().filename()] = read_file(e.path());
    return out;
}

class Sequences : public ScratchDir {
protected:
    // Runs kyso in this process with its output appended to log(); the exit status.
    int kyso(std::vector<std::string> args, const std::string& output = {}) {
        // Once users exist, register writes are made by the signed-in admin.
        if (users_ && (args[0] == "import" || (args[0] == "events" && args[1] == "apply")) &&
            std::find(args.begin(), args.end(), copy_db_) == args.end()) {
            args.push_back("--as");
            args.push_back("admin");
        }
        args.insert(args.begin(), "kyso");
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        std::fflush(stdout);
        std::fflush(stderr);
        const int out = dup(1), err = dup(2);
        const std::string to = output.empty() ? log() : output;
        const int f = open(to.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        dup2(f, 1);
        dup2(f, 2);
        close(f);
        const int rc = kyso::cli::run(static_cast<int>(args.size()), argv.data());
        std::fflush(stdout);
        std::fflush(stderr);
        dup2(out, 1);
        dup2(err, 2);
        close(out);
        close(err);
        return rc;
    }
    std::string log() const { return path("commands.log"); }

    // The workflow of the results-then-check case up to the national CA's answers: users (once
    // per database), requests from the plan, validated, approved, batched, submitted, combined by
    // the DoST, and the CA's results file imported. Steps that find nothing to do may refuse
    // (exit 2); the invariants after the step hold either way. The exit status of the import.
    int workflow_to_results(const std::string& db, const Scenario& sc) {
        setenv("KYSO_PASSWORD", "sequence-pass-1", 1);
        setenv("KYSO_NEW_PASSWORD", "sequence-pass-1", 1);
        if (!users_) {
            if (kyso({"users", "add", "--db", db, "--username", "admin", "--full-name", "Quản trị",
                      "--role", "admin", "--scope", "all"}) != 0)
                return 2;
            users_ = true;
            for (const auto& [name, role, org] :
                 std::vector<std::array<std::string, 3>>{{"officer", "unit_officer", "T01"},
                                                         {"head", "unit_head", "T01"},
                                                         {"dost", "dost_operator", "T01"},
                                                         {"ca", "ca_operator", ""}}) {
                std::vector<std::string> a{"users",       "add",   "--db",       db,
                                           "--as",        "admin", "--username", name,
                                           "--full-name", name,    "--role",     role};
                a.push_back(org.empty() ? "--scope" : "--org");
                a.push_back(org.empty() ? "all" : org);
                if (kyso(a) != 0) return 2;
            }
        }
        kyso({"requests", "from-plan", "--db", db, "--as", "officer"});
        kyso({"requests", "validate", "--db", db, "--as", "officer"});
        const std::string listing = path("validated.txt");
        std::vector<std::string> approve{"requests", "approve", "--db", db, "--as", "head", "--id"};
        {
            fs::remove(listing);
            kyso({"requests", "list", "--db", db, "--state", "validated"}, listing);
            // The ids are the first column of the listing's lines after its heading.
            std::istringstream lines(read_file(listing));
            std::string line;
            while (std::getline(lines, line)) {
                const auto tab = line.find(' ');
                if (tab == std::string::npos || tab == 0) continue;
                const std::string id = line.substr(0, tab);
                if (id.find_first_not_of("0123456789") == std::string::npos) approve.push_back(id);
            }
        }
        if (approve.size() > 7) kyso(approve);
        for (const char* kind : {"revoke", "change_info", "device_handover"})
            kyso({"batch", "create", "--db", db, "--as", "officer", "--symbol", "UBND", "--kind",
                  kind});
        kyso({"batch", "submit", "--db", db, "--as", "officer", "--all"});
        for (const char* form : {"mau-04", "mau-05", "ban-giao-thiet-bi"})
            kyso({"batch", "combine", "--db", db, "--as", "dost", "--issuer", "T01-skhcn",
                  "--symbol", "SKHCN", "--form", form});
        return kyso({"results", "import", "--db", db, "--as", "ca", "--file", sc.results, "--certs",
                     sc.results_certs});
    }

    bool users_ = false;   // the sequence's database has users: writes need --as
    std::string copy_db_;  // the round-trip copy, which has none

    // The state as an export (registered state + events); empty when the export fails.
    std::map<std::string, std::string> snapshot(const std::string& db, const std::string& name) {
        fs::remove_all(path(name));
        if (kyso({"export", "--db", db, "--bundle", path(name)}) != 0) return {};
        return folder(path(name));
    }

    // The invariants after a step; `trace` says which sequence and step.
    void invariants(const std::string& db, const std::string& trace) {
        const std::string plan = path("plan.json");
        EXPECT_EQ(kyso({"plan", "--db", db, "--out", plan}), 0) << trace;
        const int check = kyso({"check", "--db", db, "--out", path("findings.json")});
        EXPECT_LE(check, 1) << trace;
        EXPECT_EQ(kyso({"audit", "verify", "--db", db}), 0) << trace;
        const auto first = snapshot(db, "export1");
        ASSERT_FALSE(first.empty()) << trace;
        const std::string copy = path("copy.db");
        copy_db_ = copy;
        fs::remove(copy);  // a new database: its audit key and head file go too (docs/audit.md)
        fs::remove(copy + ".auditkey");
        fs::remove(copy + ".audithead");
        ASSERT_EQ(kyso({"import", "--db", copy, "--bundle", path("export1")}), 0) << trace;
        const auto second = snapshot(copy, "export2");
        EXPECT_EQ(first, second) << trace << ": export -> import -> export differs";
    }
};

TEST_F(Sequences, RandomCommandSequencesKeepTheDatabaseSound) {
    const char* env = std::getenv("KYSO_SEQUENCES");
    const int count = env != nullptr ? std::atoi(env) : 200;
    std::mt19937 rng(20251129);
    const auto all = scenarios();
    int steps_run = 0, refused = 0;
    std::map<std::string, int> kinds;  // steps run, by kind
    for (int seq = 0; seq < count && !HasFailure(); ++seq) {
        const Scenario& sc = all[rng() % all.size()];
        const std::string db = path("s" + std::to_string(seq) + ".db");
        users_ = false;
        const int length = 3 + static_cast<int>(rng() % 6);
        std::string trace = "sequence " + std::to_string(seq) + " (" + sc.name + "):";
        int intakes = 0;
        for (int step = 0; step < length && !HasFailure(); ++step) {
            const auto before = snapshot(db, "before");
            const auto certs_before = holders(path("before/certificates.csv"), "serial");
            const auto devices_before = holders(path("before/devices.csv"), "id");
            int rc = 0;
            std::string what;
            switch (rng() % 6) {
                case 0:
                    what = "import bundle";
                    rc = kyso({"import", "--db", db, "--bundle", sc.bundle});
                    break;
                case 1:
                    what = "events apply";
                    rc = kyso({"events", "apply", "--db", db});
                    break;
                case 2: {
                    if (sc.cert_inputs.empty()) continue;
                    what = "import certs";
                    std::vector<std::string> args{"import", "--db", db, "--certs"};
                    for (const auto& c : sc.cert_inputs) args.push_back(c);
                    rc = kyso(args);
                    break;
                }
                case 3: {
                    if (sc.sheets.empty()) continue;
                    const std::string sheet = sc.sheets[rng() % sc.sheets.size()];
                    what = "intake " + fs::path(sheet).filename().string() + " + import";
                    const std::string out =
                        path("intake" + std::to_string(seq) + "-" + std::to_string(intakes++));
                    std::vector<std::string> args{"intake", "--xlsx",     sheet,         "--out",
                                                  out,      "--province", "Tỉnh Phú Sơn"};
                    if (fs::exists(db)) {
                        args.push_back("--registry");
                        args.push_back(db);
                    }
                    if (!sc.mapping.empty()) {
                        args.push_back("--mapping");
                        args.push_back(sc.mapping);
                    }
                    if (kyso(args) > 1) continue;  // refused: nothing to import
                    rc = kyso({"import", "--db", db, "--bundle", out});
                    break;
                }
                case 4: {
                    if (sc.results.empty()) continue;
                    what = "workflow + results import";
                    rc = workflow_to_results(db, sc);
                    // A results file with nothing to answer is refused; a results file partly
                    // answered reports its problem rows (1).
                    if (rc == 1) rc = 0;
                    break;
                }
                default:
                    what = "export + re-import";
                    if (before.empty()) continue;
                    rc = kyso({"import", "--db", db, "--bundle", path("before")});
                    break;
            }
            ++steps_run;
            ++kinds[what.substr(0, what.find(' ', 7))];
            trace += " " + what + "=" + std::to_string(rc);
            if (rc != 0) {
                ++refused;
                EXPECT_EQ(rc, 2) << trace;
                EXPECT_EQ(snapshot(db, "after"), before) << trace << ": a refused step wrote";
                continue;
            }
            invariants(db, trace);
            // No certificate or device changes holder unless an import named it so: these
            // inputs never reassign one, so a holder once set stays (linking an unlinked
            // certificate is allowed).
            const auto certs_after = holders(path("export1/certificates.csv"), "serial");
            for (const auto& [serial, holder] : certs_before) {
                if (holder == ":") continue;
                const auto it = certs_after.find(serial);
                ASSERT_NE(it, certs_after.end()) << trace << ": certificate " << serial << " lost";
                EXPECT_EQ(it->second, holder) << trace << ": certificate " << serial << " moved";
            }
            const auto devices_after = holders(path("export1/devices.csv"), "id");
            for (const auto& [id, holder] : devices_before) {
                const auto it = devices_after.find(id);
                ASSERT_NE(it, devices_after.end()) << trace << ": device " << id << " lost";
                EXPECT_EQ(it->second, holder) << trace << ": device " << id << " moved";
            }
        }
        if (HasFailure()) std::cerr << read_file(log()) << "\n" << trace << "\n";
        fs::remove(log());
    }
    std::cout << count << " sequences, " << steps_run << " steps, " << refused << " refused:";
    for (const auto& [kind, n] : kinds) std::cout << " " << kind << " " << n << ";";
    std::cout << "\n";
    EXPECT_GT(steps_run, count);  // the sequences really ran
}

}  // namespace

}  // namespace kyso::testing
