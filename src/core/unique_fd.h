// kyso core — a POSIX file descriptor closed when its owner goes out of scope (close(2)).
#pragma once

#include <unistd.h>

namespace kyso {

// Owns `fd` (-1: none) and closes it once; neither copied nor moved.
struct UniqueFd {
    int fd = -1;
    explicit UniqueFd(int f) : fd(f) {}
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace kyso
