// Tests: `kyso plan --bundle` on shared/data/reorg-sample equals expected-plan.json (FORMATS.md
// §3).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json load(const fs::path& p) {
    std::ifstream in(p);
    return json::parse(in);
}

// Actions and warnings compared as sets, without the informative `event` and `detail`.
std::multiset<std::string> as_set(const json& items) {
    std::multiset<std::string> out;
    for (json item : items) {
        item.erase("event");
        item.erase("detail");
        out.insert(item.dump());
    }
    return out;
}

std::string run(const std::string& args) {
    const fs::path out =
        fs::temp_directory_path() / ("kyso-plan-" + std::to_string(::getpid()) + ".json");
    const std::string cmd =
        std::string(KYSO_BINARY) + " plan " + args + " --out " + out.string() + " > /dev/null";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::ifstream in(out, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    fs::remove(out);
    return bytes;
}

const std::string kSample = std::string(KYSO_TEST_DATA) + "/reorg-sample";

}  // namespace

TEST(PlanSample, MatchesExpectedPlan) {
    const json got = json::parse(run("--bundle " + kSample));
    const json want = load(fs::path(kSample) / "expected-plan.json");
    EXPECT_EQ(got["as_of"], want["as_of"]);
    EXPECT_EQ(got["summary"], want["summary"]);
    const auto got_actions = as_set(got["actions"]);
    const auto want_actions = as_set(want["actions"]);
    for (const auto& a : want_actions) EXPECT_TRUE(got_actions.count(a)) << "missing: " << a;
    for (const auto& a : got_actions) EXPECT_TRUE(want_actions.count(a)) << "unexpected: " << a;
    EXPECT_EQ(as_set(got["warnings"]), as_set(want["warnings"]));
}

TEST(PlanSample, SameBundleGivesSameBytes) {
    EXPECT_EQ(run("--bundle " + kSample), run("--bundle " + kSample));
}

TEST(PlanSample, ActionsAreOrderedBySerialThenDeviceThenHolder) {
    const json got = json::parse(run("--bundle " + kSample));
    std::vector<json> actions(got["actions"].begin(), got["actions"].end());
    ASSERT_FALSE(actions.empty());
    bool seen_serial = false;
    std::string last_serial;
    for (const auto& a : actions) {
        if (!a.contains("certificate")) {
            EXPECT_FALSE(seen_serial) << "an action without a serial after one with a serial";
            continue;
        }
        const std::string s = a["certificate"];
        if (seen_serial) {
            const bool longer = s.size() > last_serial.size();
            EXPECT_TRUE(longer || (s.size() == last_serial.size() && s >= last_serial))
                << s << " after " << last_serial;
        }
        seen_serial = true;
        last_serial = s;
    }
}

TEST(PlanSample, AsOfBeforeTheJulyEventsGivesAnEarlierPlan) {
    const json got = json::parse(run("--bundle " + kSample + " --as-of 2025-03-01"));
    EXPECT_EQ(got["as_of"], "2025-03-01");
    const auto& s = got["summary"];
    EXPECT_EQ(s["considered"].get<int>(), s["change_info"].get<int>() + s["revoke"].get<int>() +
                                              s["review"].get<int>() + s["unchanged"].get<int>());
    EXPECT_EQ(s["review"], 0);  // no district was dissolved yet
}
