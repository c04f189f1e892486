// Tests: one generated bundle shared by the demo tests (generating it takes a moment).
#pragma once

#include <gtest/gtest.h>

#include "demo/demo.h"

namespace kyso::demo::testing {

// Scale 5000, seed 7: a few provinces, every event type.
inline const bundle::Bundle& sample() {
    static const bundle::Bundle b = [] {
        auto r = generate(DemoOptions{5000, 7});
        EXPECT_TRUE(r.ok());
        return std::move(r).value();
    }();
    return b;
}

}  // namespace kyso::demo::testing
