// kyso bundle — the `pem` column of certificates.csv (FORMATS.md §1): the file, read and compared.
#include "bundle/pem_column.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/messages.h"
#include "core/subject.h"
#include "core/unique_fd.h"
#include "core/values.h"
#include "text/nfc.h"

namespace kyso::bundle {

namespace {

// FORMATS.md §3: the row's subject, parsed and NFC, against the file's (already NFC).
bool same_subject_text(std::string_view text, const Subject& from_file) {
    auto parsed = parse_rfc4514(text);
    if (!parsed) return false;  // an unparseable subject differs
    for (Rdn& r : *parsed) text::normalize_nfc(r.value);
    return same_subject(*parsed, from_file);
}

// A row's date or date-time against the file's time, as UTC calendar days.
bool same_day(std::string_view written, const Date& from_file) {
    const auto day = Date::parse_date_or_datetime(written);
    return day && *day == from_file;
}

// Closes a file descriptor when it goes out of scope.
Error outside(const std::string& pem, std::string_view why) {
    return make_error("bundle.pem_outside", {}, {pem, message(why)});
}

Error unreadable(const std::string& pem, int err) {
    return make_error("bundle.pem_unreadable", {},
                      {pem, err == ENOENT ? message("x509.not_found") : std::strerror(err)});
}

// Opens `pem` beneath `dir` only. Lexically first (no absolute path, no ".."), then by the kernel:
// openat2 with RESOLVE_BENEATH (Linux 5.6) refuses a symbolic link anywhere on the way that leads
// out of the folder, with no window between the check and the open. Where openat2 is missing, the
// resolved path (std::filesystem::canonical) must lie in the resolved folder, compared component
// by component. O_NONBLOCK: a FIFO does not block the open; it is then refused as not a file.
Result<int> open_beneath(const std::filesystem::path& dir, const std::string& pem) {
    namespace fs = std::filesystem;
    const fs::path rel(pem);
    if (rel.has_root_name() || rel.has_root_directory()) return outside(pem, "bundle.pem_absolute");
    if (std::any_of(rel.begin(), rel.end(), [](const fs::path& part) { return part == ".."; }))
        return outside(pem, "bundle.pem_dotdot");
    const UniqueFd dirfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dirfd.fd < 0) return unreadable(pem, errno);
    constexpr int kFlags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    open_how how{};
    how.flags = kFlags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    const long fd = ::syscall(SYS_openat2, dirfd.fd, pem.c_str(), &how, sizeof how);
    if (fd >= 0) return static_cast<int>(fd);
    if (errno == EXDEV || errno == ELOOP) return outside(pem, "bundle.pem_symlink");
    if (errno != ENOSYS && errno != EPERM && errno != E2BIG) return unreadable(pem, errno);
    // No openat2 (old kernel, or a seccomp filter that refuses it).
    std::error_code ec;
    const fs::path root = fs::canonical(dir, ec);
    if (ec) return unreadable(pem, ec.value());
    const fs::path target = fs::canonical(root / rel, ec);
    if (ec) return unreadable(pem, ec.value());
    if (std::mismatch(root.begin(), root.end(), target.begin(), target.end()).first != root.end())
        return outside(pem, "bundle.pem_symlink");
    const int plain = ::open(target.c_str(), kFlags | O_NOFOLLOW);
    if (plain < 0) return unreadable(pem, errno);
    return plain;
}

// The bytes of the file `pem` names inside `dir`: a regular file of at most
// x509::kMaxCertificateFile bytes.
Result<std::string> read_beneath(const std::filesystem::path& dir, const std::string& pem) {
    auto opened = open_beneath(dir, pem);
    if (!opened) return opened.error();
    const UniqueFd fd(*opened);
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0) return unreadable(pem, errno);
    if (!S_ISREG(st.st_mode))
        return make_error("bundle.pem_unreadable", {}, {pem, message("x509.not_a_file")});
    std::string bytes;
    char chunk[1 << 16];
    while (bytes.size() <= x509::kMaxCertificateFile) {
        const ssize_t n = ::read(fd.fd, chunk, sizeof chunk);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n < 0) return unreadable(pem, errno);
        if (n == 0) break;
        bytes.append(chunk, static_cast<std::size_t>(n));
    }
    return bytes;
}

}  // namespace

Result<x509::CertInfo> read_pem_column(const std::filesystem::path& dir, std::string_view pem,
                                       const PemRow& row) {
    const std::string name(pem);
    auto bytes = read_beneath(dir, name);
    if (!bytes) return bytes.error();
    auto certs = x509::read_certificates(*bytes, name);
    if (!certs) {
        const Error& why = certs.error();
        return make_error("bundle.pem_unreadable", {},
                          {name, english_ui() ? why.message_en : why.message});
    }
    if (certs->size() != 1) {
        return make_error("bundle.pem_unreadable", {},
                          {name, std::to_string(certs->size()) + " certificates"});
    }
    x509::CertInfo& info = certs->front();
    std::string diff;
    if (!same_serial(info.serial, row.serial)) {
        diff = "serial " + info.serial;
    } else if (!same_subject_text(row.subject, info.subject)) {
        diff = "subject " + format_rfc4514(info.subject);
    } else if (!same_day(row.not_before, info.not_before_date)) {
        diff = "not_before " + info.not_before;
    } else if (!same_day(row.not_after, info.not_after_date)) {
        diff = "not_after " + info.not_after;
    }
    if (!diff.empty()) return make_error("bundle.pem_mismatch", {}, {name, diff});
    return std::move(info);
}

}  // namespace kyso::bundle
