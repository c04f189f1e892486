// kyso core — a folder of files replaced as a whole (staging folder, fsync, RENAME_EXCHANGE).
#include "core/output_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include "core/atomic_file.h"
#include "core/messages.h"

namespace kyso {

namespace fs = std::filesystem;

namespace {

Error write_error(const std::string& path, int err) {
    return make_error("file.write", Location{path, 0, {}, {}}, {std::strerror(err)});
}

std::string random_name() {
    static constexpr std::string_view kChars = "abcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_int_distribution<std::size_t> pick(0, kChars.size() - 1);
    std::string s(10, 'a');
    for (char& c : s) c = kChars[pick(engine)];
    return s;
}

// Every file and folder under `root` on disk: one syncfs(2) of its file system (an exported
// bundle holds tens of thousands of PEM files; one fsync each would take minutes), then an
// fsync of `root`. errno of the first failure.
int sync_tree(const std::string& root) {
    const int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno;
    int rc = ::syncfs(fd) == 0 ? 0 : errno;
    if (rc == 0 && ::fsync(fd) != 0) rc = errno;
    ::close(fd);
    return rc;
}

}  // namespace

OutputDir::OutputDir(std::string dir, std::string staging)
    : dir_(std::move(dir)), staging_(std::move(staging)) {}

OutputDir::OutputDir(OutputDir&& o) noexcept
    : dir_(std::move(o.dir_)), staging_(std::move(o.staging_)) {
    o.staging_.clear();
}

OutputDir& OutputDir::operator=(OutputDir&& o) noexcept {
    if (this != &o) {
        discard();
        dir_ = std::move(o.dir_);
        staging_ = std::move(o.staging_);
        o.staging_.clear();
    }
    return *this;
}

OutputDir::~OutputDir() {
    discard();
}

void OutputDir::discard() {
    if (staging_.empty()) return;
    std::error_code ignored;
    fs::remove_all(staging_, ignored);
    staging_.clear();
}

Result<OutputDir> OutputDir::create(std::string dir, std::vector<std::string> own) {
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    const fs::path path(dir);
    const std::string name = path.filename().string();
    if (name.empty() || name == "." || name == "..")
        return make_error("file.unnamed_folder", Location{dir, 0, {}, {}}, {});
    const fs::path parent = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) return write_error(dir, ec.value());
    struct stat st {};
    if (::lstat(dir.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
                const std::string entry = it->path().filename().string();
                if (std::find(own.begin(), own.end(), entry) == own.end()) {
                    return make_error("file.foreign_entries", Location{dir, 0, {}, {}}, {entry});
                }
            }
            if (ec) return write_error(dir, ec.value());
        } else if (!S_ISLNK(st.st_mode)) {
            return make_error("file.not_folder", Location{dir, 0, {}, {}}, {});
        }
    } else if (errno != ENOENT) {
        return write_error(dir, errno);
    }
    remove_stale_temps(dir);
    for (int attempt = 0; attempt < 100; ++attempt) {
        const std::string staging = (parent / (temp_prefix(name) + random_name())).string();
        // mkdir never reuses an existing name nor follows a link there; 0755 less the umask,
        // writable by kyso alone.
        if (::mkdir(staging.c_str(), static_cast<mode_t>(folder_mode()) | 0700) == 0) {
            return OutputDir(std::move(dir), staging);
        }
        if (errno != EEXIST) return write_error(dir, errno);
    }
    return write_error(dir, EEXIST);
}

std::string OutputDir::path(std::string_view name) const {
    return (fs::path(staging_) / name).string();
}

std::string OutputDir::final_path(std::string_view name) const {
    return (fs::path(dir_) / name).string();
}

Status OutputDir::commit() {
    if (staging_.empty()) return write_error(dir_, EBADF);
    if (const int e = sync_tree(staging_); e != 0) {
        discard();
        return write_error(dir_, e);
    }
    struct stat st {};
    const bool exists = ::lstat(dir_.c_str(), &st) == 0;
    if (!exists) {
        if (::rename(staging_.c_str(), dir_.c_str()) != 0) {
            const int e = errno;
            discard();
            return write_error(dir_, e);
        }
        staging_.clear();
        sync_folder_of(dir_);
        return Ok{};
    }
    // One step: `dir` names the new set and the staging name the old one.
    if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, dir_.c_str(), RENAME_EXCHANGE) != 0) {
        if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
            const int e = errno;
            discard();
            return write_error(dir_, e);
        }
        // No exchange on this file system: the old set aside (still complete), then the new in.
        const std::string aside = staging_ + "-old";
        if (::rename(dir_.c_str(), aside.c_str()) != 0) {
            const int e = errno;
            discard();
            return write_error(dir_, e);
        }
        if (::rename(staging_.c_str(), dir_.c_str()) != 0) {
            const int e = errno;
            ::rename(aside.c_str(), dir_.c_str());
            discard();
            return write_error(dir_, e);
        }
        staging_ = aside;
    }
    sync_folder_of(dir_);
    discard();  // the old set, now under the staging name
    return Ok{};
}

}  // namespace kyso
