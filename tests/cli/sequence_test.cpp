// Tests: model-based sequences of kyso commands on small registries (issue 10, item 1). Random
// sequences of imports (bundles, certificate files, intake output), events apply and export /
// re-import, each step followed by the invariants: `plan --db` and `check --db` work, export →
// import → export is identical, `audit verify` is intact, a refused step changes nothing, and no
// certificate or device changes holder unless an import said so. Commands run in this process
// (kyso::cli::run) with a fixed seed; KYSO_SEQUENCES sets how many (default 200).
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <random>
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
};

std::vector<Scenario> scenarios() {
    return {
        {"merge-new-department",
         kWorld + "/intake-after-events-apply/bundle",
         {},
         {kWorld + "/intake-after-events-apply/danh-sach-snnmt.xlsx"},
         ""},
        {"results",
         kWorld + "/results-then-check/bundle",
         {kWorld + "/results-then-check/ket-qua/moi"},
         {},
         ""},
        {"unlinked-ca",
         kWorld + "/unlinked-ca-certificate/registry",
         {kWorld + "/unlinked-ca-certificate/ca.pem"},
         {},
         ""},
        {"serials",
         kWorld + "/serial-leading-zeros/registry-with-certs",
         {kWorld + "/serial-leading-zeros/highbit.cer",
          kWorld + "/serial-leading-zeros/lowlead.pem"},
         {},
         ""},
        {"resent-sheet",
         kWorld + "/intake-resent-sheet/registry",
         {kWorld + "/intake-resent-sheet/certs"},
         {kWorld + "/intake-resent-sheet/danh-sach-lan-1.xlsx",
          kWorld + "/intake-resent-sheet/danh-sach-lan-2.xlsx"},
         kWorld + "/intake-resent-sheet/cot.txt"},
    };
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
    int kyso(std::vector<std::string> args) {
        args.insert(args.begin(), "kyso");
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        std::fflush(stdout);
        std::fflush(stderr);
        const int out = dup(1), err = dup(2);
        const int f = open(log().c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
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
        fs::remove(copy);
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
    for (int seq = 0; seq < count && !HasFailure(); ++seq) {
        const Scenario& sc = all[rng() % all.size()];
        const std::string db = path("s" + std::to_string(seq) + ".db");
        const int length = 3 + static_cast<int>(rng() % 6);
        std::string trace = "sequence " + std::to_string(seq) + " (" + sc.name + "):";
        int intakes = 0;
        for (int step = 0; step < length && !HasFailure(); ++step) {
            const auto before = snapshot(db, "before");
            const auto certs_before = holders(path("before/certificates.csv"), "serial");
            const auto devices_before = holders(path("before/devices.csv"), "id");
            int rc = 0;
            std::string what;
            switch (rng() % 5) {
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
                default:
                    what = "export + re-import";
                    if (before.empty()) continue;
                    rc = kyso({"import", "--db", db, "--bundle", path("before")});
                    break;
            }
            ++steps_run;
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
    std::cout << count << " sequences, " << steps_run << " steps, " << refused << " refused\n";
    EXPECT_GT(steps_run, count);  // the sequences really ran
}

}  // namespace

}  // namespace kyso::testing
