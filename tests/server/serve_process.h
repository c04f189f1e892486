// kyso server tests — `kyso serve` as the real binary in a child process (its stdout and
// stderr in files), for the tests that need the process itself: logs, kyso.toml, HTTPS with
// client certificates, SIGTERM and SIGKILL.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace kyso::server::test {

// The binary running `kyso serve` with `args`; stdout and stderr into files of `dir`.
class ServeProcess {
public:
    // `env`: variables set in the child only (NAME → value).
    ServeProcess(const std::filesystem::path& dir, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env = {})
        : dir_(dir) {
        std::fflush(nullptr);  // nothing buffered is written twice (by the child's freopen)
        pid_ = ::fork();
        if (pid_ == 0) {
            for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
            std::freopen((dir / "out.txt").c_str(), "w", stdout);
            std::freopen((dir / "err.txt").c_str(), "w", stderr);
            std::vector<char*> argv;
            std::string bin = KYSO_BINARY, serve = "serve";
            argv.push_back(bin.data());
            argv.push_back(serve.data());
            std::vector<std::string> copy = args;
            for (auto& a : copy) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(KYSO_BINARY, argv.data());
            ::_exit(127);
        }
    }
    ~ServeProcess() {
        if (pid_ > 0 && !waited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    // The port from the line "… http(s)://127.0.0.1:PORT" on stdout (0 after 20 s without).
    int port() {
        for (int i = 0; i < 200; ++i) {
            std::ifstream in(dir_ / "out.txt");
            std::string text((std::istreambuf_iterator<char>(in)), {});
            const auto at = text.find("127.0.0.1:");
            if (at != std::string::npos) return std::atoi(text.c_str() + at + 10);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return 0;
    }
    // SIGTERM, then the exit status (-1 when it did not exit in 20 s).
    int terminate() {
        ::kill(pid_, SIGTERM);
        return wait();
    }
    // The exit status, without a signal (-1 when it did not exit in 20 s).
    int wait() {
        for (int i = 0; i < 200; ++i) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                waited_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return -1;
    }
    // SIGKILL (no clean-up at all), then waits; true when it was still running.
    bool kill9() {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        waited_ = true;
        return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    }
    std::string err() const {
        std::ifstream in(dir_ / "err.txt");
        return std::string((std::istreambuf_iterator<char>(in)), {});
    }

private:
    std::filesystem::path dir_;
    pid_t pid_ = -1;
    bool waited_ = false;
};

}  // namespace kyso::server::test
