// Tests: `kyso demo-data` output imports and plans through the real binary.
#include <nlohmann/json.hpp>

#include "cli_harness.h"

using namespace kyso::testing;

class DemoCli : public ScratchDir {};

TEST_F(DemoCli, DemoDataImportsAndPlans) {
    auto gen = run_kyso("demo-data --out " + path("b") + " --scale 3000 --seed 3");
    ASSERT_EQ(gen.exit_code, 0) << gen.out;
    auto imp = run_kyso("import --db " + path("a.db") + " --bundle " + path("b"));
    ASSERT_EQ(imp.exit_code, 0) << imp.out;
    auto plan = run_kyso("plan --bundle " + path("b") + " --out " + path("plan.json"));
    ASSERT_EQ(plan.exit_code, 0) << plan.out;
    const auto p = nlohmann::json::parse(read_file(path("plan.json")));
    const auto& s = p["summary"];
    EXPECT_GT(s["change_info"].get<int>(), 0);
    EXPECT_GT(s["revoke"].get<int>(), 0);
    EXPECT_GT(s["return_device"].get<int>(), 0);
    EXPECT_EQ(s["considered"].get<int>(), s["change_info"].get<int>() + s["revoke"].get<int>() +
                                              s["review"].get<int>() + s["unchanged"].get<int>());
}
