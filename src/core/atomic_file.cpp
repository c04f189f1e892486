// kyso core — one file written all or nothing (temporary file, fsync, rename, fsync the folder).
#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/messages.h"

namespace kyso {

namespace fs = std::filesystem;

namespace {

Error write_error(const std::string& path, int err) {
    return make_error("file.write", Location{path, 0, {}, {}}, {std::strerror(err)});
}

// The process's umask without changing it (Linux ≥ 4.7 prints it in /proc/self/status).
unsigned current_umask() {
    static const unsigned mask = [] {
        std::ifstream status("/proc/self/status");
        std::string line;
        while (std::getline(status, line)) {
            if (line.rfind("Umask:", 0) == 0)
                return static_cast<unsigned>(std::stoul(line.substr(6), nullptr, 8));
        }
        const mode_t old = ::umask(022);
        ::umask(old);
        return static_cast<unsigned>(old);
    }();
    return mask;
}

std::string random_suffix() {
    static constexpr std::string_view kChars = "abcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_int_distribution<std::size_t> pick(0, kChars.size() - 1);
    std::string s(10, 'a');
    for (char& c : s) c = kChars[pick(engine)];
    return s;
}

fs::path folder_of(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? fs::path(".") : parent;
}

// Retries a write(2) cut short or interrupted; errno on failure, 0 on success.
int write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}

}  // namespace

unsigned file_mode() {
    return 0644U & ~current_umask();
}

unsigned folder_mode() {
    return 0755U & ~current_umask();
}

std::string temp_prefix(std::string_view name) {
    return "." + std::string(name) + ".kyso-" + std::to_string(::getpid()) + "-";
}

void remove_stale_temps(const std::string& path) {
    const std::string start = "." + fs::path(path).filename().string() + ".kyso-";
    std::error_code ec;
    for (fs::directory_iterator it(folder_of(path), ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(start, 0) != 0) continue;
        const std::size_t dash = name.find('-', start.size());
        if (dash == std::string::npos || dash == start.size()) continue;
        const std::string digits = name.substr(start.size(), dash - start.size());
        if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9)
            continue;
        const auto pid = static_cast<pid_t>(std::stol(digits));
        if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
        std::error_code ignored;
        fs::remove_all(it->path(), ignored);  // a link is removed, never followed
    }
}

int sync_folder_of(const std::string& path, bool folder) {
    const std::string dir = folder ? path : folder_of(path).string();
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno;
    const int rc = ::fsync(fd) == 0 ? 0 : errno;
    ::close(fd);
    return rc;
}

AtomicFile::AtomicFile(std::string path, std::string temp, int fd)
    : path_(std::move(path)), temp_(std::move(temp)), fd_(fd) {
    buffer_.reserve(1 << 16);
}

AtomicFile::AtomicFile(AtomicFile&& o) noexcept
    : path_(std::move(o.path_)),
      temp_(std::move(o.temp_)),
      fd_(o.fd_),
      error_(o.error_),
      buffer_(std::move(o.buffer_)) {
    o.fd_ = -1;
    o.temp_.clear();
}

AtomicFile& AtomicFile::operator=(AtomicFile&& o) noexcept {
    if (this != &o) {
        discard();
        path_ = std::move(o.path_);
        temp_ = std::move(o.temp_);
        fd_ = o.fd_;
        error_ = o.error_;
        buffer_ = std::move(o.buffer_);
        o.fd_ = -1;
        o.temp_.clear();
    }
    return *this;
}

AtomicFile::~AtomicFile() {
    discard();
}

void AtomicFile::discard() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (!temp_.empty()) ::unlink(temp_.c_str());
    temp_.clear();
}

Result<AtomicFile> AtomicFile::create(std::string path, const TempSuffix& suffix) {
    const std::string name = fs::path(path).filename().string();
    if (name.empty() || name == "." || name == "..") return write_error(path, EISDIR);
    remove_stale_temps(path);
    const fs::path dir = folder_of(path);
    for (int attempt = 0; attempt < 100; ++attempt) {
        const std::string temp =
            (dir / (temp_prefix(name) + (suffix ? suffix() : random_suffix()))).string();
        const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                              static_cast<mode_t>(file_mode()));
        if (fd >= 0) return AtomicFile(std::move(path), temp, fd);
        if (errno != EEXIST) return write_error(path, errno);
    }
    return write_error(path, EEXIST);
}

void AtomicFile::flush() {
    if (error_ == 0 && fd_ >= 0) error_ = write_all(fd_, buffer_);
    buffer_.clear();
}

void AtomicFile::write(std::string_view bytes) {
    if (error_ != 0) return;
    if (buffer_.size() + bytes.size() > (1 << 16)) {
        flush();
        if (bytes.size() >= (1 << 16)) {
            if (error_ == 0) error_ = write_all(fd_, bytes);
            return;
        }
    }
    buffer_.append(bytes);
}

Status AtomicFile::commit() {
    if (fd_ < 0) return write_error(path_, EBADF);
    flush();
    if (error_ == 0 && ::fsync(fd_) != 0) error_ = errno;
    if (::close(fd_) != 0 && error_ == 0) error_ = errno;
    fd_ = -1;
    // rename(2) replaces whatever `path` names (a symlink itself, not its target) in one step.
    if (error_ == 0 && ::rename(temp_.c_str(), path_.c_str()) != 0) error_ = errno;
    if (error_ != 0) {
        discard();
        return write_error(path_, error_);
    }
    temp_.clear();
    if (const int e = sync_folder_of(path_); e != 0) return write_error(path_, e);
    return Ok{};
}

Status write_file_atomically(const std::string& path, std::string_view content) {
    auto file = AtomicFile::create(path);
    if (!file) return file.error();
    file->write(content);
    return file->commit();
}

Status write_new_file(const std::string& path, std::string_view content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                          static_cast<mode_t>(file_mode()));
    if (fd < 0) return write_error(path, errno);
    int e = write_all(fd, content);
    if (::close(fd) != 0 && e == 0) e = errno;
    if (e != 0) {
        ::unlink(path.c_str());
        return write_error(path, e);
    }
    return Ok{};
}

Status write_file_atomically_via(const std::string& path,
                                 const std::function<Status(const std::string& temp)>& write) {
    const std::string name = fs::path(path).filename().string();
    if (name.empty() || name == "." || name == "..") return write_error(path, EISDIR);
    remove_stale_temps(path);
    const fs::path dir = folder_of(path);
    std::string folder;
    for (int attempt = 0; attempt < 100 && folder.empty(); ++attempt) {
        const std::string candidate = (dir / (temp_prefix(name) + random_suffix())).string();
        if (::mkdir(candidate.c_str(), 0700) == 0) {
            folder = candidate;
        } else if (errno != EEXIST) {
            return write_error(path, errno);
        }
    }
    if (folder.empty()) return write_error(path, EEXIST);
    const std::string temp = (fs::path(folder) / name).string();
    Status result = write(temp);
    if (!result && result.error().where.file == temp) result.error().where.file = path;
    if (result) {
        // The writer's file, as a regular file it left there (never through a link), on disk.
        const int fd = ::open(temp.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        struct stat st {};
        int e = fd < 0 ? errno : 0;
        if (e == 0 && (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) e = EINVAL;
        if (e == 0 && ::fchmod(fd, static_cast<mode_t>(file_mode())) != 0) e = errno;
        if (e == 0 && ::fsync(fd) != 0) e = errno;
        if (fd >= 0) ::close(fd);
        if (e == 0 && ::rename(temp.c_str(), path.c_str()) != 0) e = errno;
        if (e == 0) e = sync_folder_of(path);
        if (e != 0) result = write_error(path, e);
    }
    std::error_code ignored;
    fs::remove_all(folder, ignored);
    return result;
}

}  // namespace kyso
