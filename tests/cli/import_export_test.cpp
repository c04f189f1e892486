// Tests: `kyso import --bundle` / `kyso export` through the real binary (FORMATS.md §1).
#include <map>

#include "bundle/bundle.h"
#include "cli_harness.h"
#include "text/csv.h"

using namespace kyso::testing;

namespace {

// A CSV file as records keyed by their first column, restricted to the columns of `like`.
std::map<std::string, std::map<std::string, std::string>> records(
    const std::string& path, const std::vector<std::string>& columns) {
    std::map<std::string, std::map<std::string, std::string>> out;
    auto r = kyso::text::CsvReader::open(path, path);
    EXPECT_TRUE(r) << path;
    if (!r) return out;
    while (true) {
        auto more = r->next();
        if (!more || !*more) break;
        std::map<std::string, std::string> rec;
        for (const auto& c : columns) rec[c] = r->fields()[*r->column(c)];
        out[r->fields()[0]] = rec;
    }
    return out;
}

std::vector<std::string> header_of(const std::string& path) {
    auto r = kyso::text::CsvReader::open(path, path);
    return r ? r->header() : std::vector<std::string>{};
}

}  // namespace

class ImportExport : public ScratchDir {};

TEST_F(ImportExport, SampleRoundTripIsLossless) {
    ASSERT_EQ(run_kyso("import --db " + path("a.db") + " --bundle " + kSampleBundle).exit_code, 0);
    auto exp = run_kyso("export --db " + path("a.db") + " --bundle " + path("out"));
    ASSERT_EQ(exp.exit_code, 0) << exp.out;
    for (const char* file :
         {"organizations.csv", "people.csv", "devices.csv", "certificates.csv"}) {
        const std::string original = kSampleBundle + "/" + file;
        const auto columns = header_of(original);
        EXPECT_EQ(records(original, columns), records(path("out/") + file, columns)) << file;
    }
    auto a = kyso::bundle::read_bundle(kSampleBundle);
    auto b = kyso::bundle::read_bundle(path("out"));
    ASSERT_TRUE(a && b);
    EXPECT_EQ(kyso::bundle::read_bundle(kSampleBundle)->events.size(), b->events.size());
    // Export → import → export gives the same bytes.
    ASSERT_EQ(run_kyso("import --db " + path("b.db") + " --bundle " + path("out")).exit_code, 0);
    ASSERT_EQ(run_kyso("export --db " + path("b.db") + " --bundle " + path("out2")).exit_code, 0);
    for (const char* file :
         {"organizations.csv", "people.csv", "devices.csv", "certificates.csv", "events.json"}) {
        EXPECT_EQ(read_file(path("out/") + file), read_file(path("out2/") + file)) << file;
    }
}

TEST_F(ImportExport, ReimportingTheSameBundleChangesNothing) {
    auto first = run_kyso("import --db " + path("a.db") + " --bundle " + kSampleBundle);
    ASSERT_EQ(first.exit_code, 0) << first.out;
    EXPECT_NE(first.out.find("certificates: 370 new, 0 updated, 0 unchanged"), std::string::npos)
        << first.out;
    auto second = run_kyso("import --db " + path("a.db") + " --bundle " + kSampleBundle);
    ASSERT_EQ(second.exit_code, 0);
    for (const char* kind : {"organizations", "people", "devices", "certificates", "events"}) {
        EXPECT_NE(second.out.find(std::string(kind) + ": 0 new, 0 updated"), std::string::npos)
            << second.out;
    }
}

TEST_F(ImportExport, StatusSummarizesTheDatabase) {
    ASSERT_EQ(run_kyso("import --db " + path("a.db") + " --bundle " + kSampleBundle).exit_code, 0);
    auto st = run_kyso("status --db " + path("a.db"));
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_NE(st.out.find("organizations: 98"), std::string::npos) << st.out;
    EXPECT_NE(st.out.find("people: 303"), std::string::npos);
    EXPECT_NE(st.out.find("devices: 370 (332 USB tokens, 38 PKI SIMs, 0 HSMs)"), std::string::npos);
    EXPECT_NE(st.out.find("certificates: 370 (363 valid, 7 revoked)"), std::string::npos);
    auto vi = run_kyso("status --db " + path("a.db"), "KYSO_LANG=vi");
    EXPECT_NE(vi.out.find("cơ quan, tổ chức: 98"), std::string::npos) << vi.out;
}
