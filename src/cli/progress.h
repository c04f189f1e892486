// kyso cli — a progress bar on the terminal for steps that take over a second.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace kyso::cli {

// Draws "label [#####     ]  42%" on stderr when stderr is a terminal and the step has run for
// over a second; silent otherwise (pipes, CI logs).
class Progress {
public:
    explicit Progress(std::string label);
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    ~Progress();

    void update(std::size_t done, std::size_t total);
    void finish();

private:
    std::string label_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_{};
    bool tty_ = false;
    bool drawn_ = false;
};

}  // namespace kyso::cli
