// kyso store — the head file: the audit chain's head appended next to the database after
// every write (docs/audit.md "The head file").
#include "store/audit_anchor.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include "core/messages.h"
#include "core/unique_fd.h"

namespace kyso::store {

namespace {

constexpr std::size_t kMacDigits = 64;
constexpr std::size_t kTail = 4096;

Error file_error(std::string_view code, const std::string& path, const std::string& why) {
    return make_error(code, Location{path, 0, {}, {}}, {path, why});
}

// "<seq> <mac>" without its newline.
std::optional<AnchoredHead> parse_line(std::string_view text, std::int64_t line) {
    const auto space = text.find(' ');
    if (space == std::string_view::npos || space == 0) return std::nullopt;
    AnchoredHead h;
    h.line = line;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + space, h.seq);
    if (ec != std::errc() || end != text.data() + space || h.seq <= 0) return std::nullopt;
    const std::string_view mac = text.substr(space + 1);
    if (mac.size() != kMacDigits || !std::all_of(mac.begin(), mac.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        }))
        return std::nullopt;
    h.mac = std::string(mac);
    return h;
}

// Opens the file for reading; -1 with errno ENOENT when it does not exist.
Result<int> open_for_reading(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) return -1;
        if (errno == ELOOP) return file_error("audit.head_file_read", path, "symbolic link");
        return file_error("audit.head_file_read", path, std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return file_error("audit.head_file_read", path, "not a regular file");
    }
    return fd;
}

}  // namespace

std::string audit_head_file_path(const std::string& db_path) {
    return db_path + ".audithead";
}

Status create_head_file(const std::string& path) {
    UniqueFd f(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (f.fd < 0) return file_error("audit.head_file_write", path, std::strerror(errno));
    if (::fsync(f.fd) != 0) return file_error("audit.head_file_write", path, std::strerror(errno));
    // The new name too, so the file survives a power loss with the commit that follows.
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (dir.empty()) dir = ".";
    UniqueFd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (d.fd >= 0) ::fsync(d.fd);
    return Ok{};
}

Status append_head(const std::string& path, std::int64_t seq, const std::string& mac) {
    UniqueFd f(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (f.fd < 0) return file_error("audit.head_file_write", path, std::strerror(errno));
    const std::string line = std::to_string(seq) + " " + mac + "\n";
    ssize_t n = 0;
    do {
        n = ::write(f.fd, line.data(), line.size());
    } while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(line.size()) || ::fsync(f.fd) != 0)
        return file_error("audit.head_file_write", path, std::strerror(errno));
    return Ok{};
}

Result<std::optional<std::vector<AnchoredHead>>> read_heads(const std::string& path) {
    auto opened = open_for_reading(path);
    if (!opened) return opened.error();
    if (*opened < 0) return std::optional<std::vector<AnchoredHead>>();
    UniqueFd f(*opened);
    std::vector<AnchoredHead> out;
    std::string pending;  // a line not yet ended
    std::int64_t line = 0;
    char buf[65536];
    while (true) {
        const ssize_t n = ::read(f.fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return file_error("audit.head_file_read", path, std::strerror(errno));
        if (n == 0) break;
        std::string_view chunk(buf, static_cast<std::size_t>(n));
        while (!chunk.empty()) {
            const auto nl = chunk.find('\n');
            if (nl == std::string_view::npos) {
                pending.append(chunk);
                if (pending.size() > 2 * kMacDigits)  // no line is this long
                    return make_error("audit.head_file_line", Location{path, line + 1, {}, {}},
                                      {path, std::to_string(line + 1)});
                break;
            }
            pending.append(chunk.substr(0, nl));
            chunk.remove_prefix(nl + 1);
            ++line;
            auto head = parse_line(pending, line);
            if (!head)
                return make_error("audit.head_file_line", Location{path, line, {}, {}},
                                  {path, std::to_string(line)});
            out.push_back(std::move(*head));
            pending.clear();
        }
    }
    return std::optional<std::vector<AnchoredHead>>(std::move(out));
}

Result<std::optional<AnchoredHead>> newest_head(const std::string& path) {
    auto opened = open_for_reading(path);
    if (!opened) return opened.error();
    if (*opened < 0) return std::optional<AnchoredHead>();
    UniqueFd f(*opened);
    struct stat st {};
    if (::fstat(f.fd, &st) != 0)
        return file_error("audit.head_file_read", path, std::strerror(errno));
    const off_t size = st.st_size;
    const off_t from = size > static_cast<off_t>(kTail) ? size - static_cast<off_t>(kTail) : 0;
    std::string tail(static_cast<std::size_t>(size - from), '\0');
    std::size_t got = 0;
    while (got < tail.size()) {
        const ssize_t n =
            ::pread(f.fd, tail.data() + got, tail.size() - got, from + static_cast<off_t>(got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return file_error("audit.head_file_read", path, std::strerror(errno));
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    tail.resize(got);
    std::string_view text(tail);
    if (from > 0) {  // the first line of the tail may be cut: skip it
        const auto nl = text.find('\n');
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    }
    AnchoredHead newest;  // seq 0: an empty file
    while (!text.empty()) {
        const auto nl = text.find('\n');
        if (nl == std::string_view::npos) break;  // a torn last line
        auto head = parse_line(text.substr(0, nl), 0);
        if (!head)
            return make_error("audit.head_file_line", Location{path, 0, {}, {}}, {path, "?"});
        if (head->seq > newest.seq) newest = std::move(*head);
        text.remove_prefix(nl + 1);
    }
    return std::optional<AnchoredHead>(std::move(newest));
}

}  // namespace kyso::store
