// kyso store — the secret key of the audit chain, kept in a file outside the database, and the
// HMAC of an audit entry (docs/audit.md "The key").
#include "store/audit_key.h"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/messages.h"
#include "core/unique_fd.h"

namespace kyso::store {

namespace {

std::string& key_file_override() {
    static std::string path;
    return path;
}

// Closes a file descriptor when it goes out of scope.
constexpr char kHex[] = "0123456789abcdef";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Error key_error(std::string_view code, const std::string& path, std::string detail = {}) {
    return make_error(code, Location{path, 0, {}, {}}, {path, detail});
}

// Syncs the folder holding `path`, so a new name in it survives a power loss.
void sync_parent(const std::string& path) {
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (dir.empty()) dir = ".";
    UniqueFd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (d.fd >= 0) ::fsync(d.fd);
}

}  // namespace

void set_audit_key_file(std::string path) {
    key_file_override() = std::move(path);
}

std::string configured_audit_key_path() {
    if (!key_file_override().empty()) return key_file_override();
    if (const char* env = std::getenv("KYSO_AUDIT_KEY"); env != nullptr && *env != '\0') return env;
    return {};
}

std::string audit_key_path(const std::string& db_path) {
    std::string configured = configured_audit_key_path();
    return configured.empty() ? db_path + ".auditkey" : configured;
}

bool is_memory_database(const std::string& db_path) {
    return db_path.empty() || db_path == ":memory:";
}

std::string audit_mac_input(const AuditEntry& e) {
    std::string text = "kyso-audit-hmac-v1\n";
    for (const std::string& field :
         {e.prev_hash, std::to_string(e.seq), e.at, e.actor, e.action, e.object, e.detail}) {
        text += std::to_string(field.size());
        text += ':';
        text += field;
        text += '\n';
    }
    return text;
}

Result<std::optional<AuditKey>> AuditKey::load(const std::string& path) {
    UniqueFd f(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (f.fd < 0) {
        if (errno == ENOENT) return std::optional<AuditKey>();
        if (errno == ELOOP) return key_error("audit.key_symlink", path);
        return key_error("audit.key_read", path, std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) return key_error("audit.key_read", path, std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return key_error("audit.key_read", path, "not a regular file");
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return key_error("audit.key_mode", path, mode);
    }
    char buf[2 * kAuditKeyBytes + 64];
    std::size_t got = 0;
    while (got < sizeof buf) {
        const ssize_t n = ::read(f.fd, buf + got, sizeof buf - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return key_error("audit.key_read", path, std::strerror(errno));
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    if (got == sizeof buf) return key_error("audit.key_format", path);
    std::string_view text(buf, got);
    if (text.ends_with('\n')) text.remove_suffix(1);
    AuditKey key;
    // An optional second line "keyed_from N": where the keyed chain starts (create()).
    if (const auto nl = text.find('\n'); nl != std::string_view::npos) {
        std::string_view rest = text.substr(nl + 1);
        text = text.substr(0, nl);
        constexpr std::string_view kTag = "keyed_from ";
        if (!rest.starts_with(kTag)) return key_error("audit.key_format", path);
        rest.remove_prefix(kTag.size());
        const auto [end, ec] =
            std::from_chars(rest.data(), rest.data() + rest.size(), key.keyed_from_);
        if (ec != std::errc{} || end != rest.data() + rest.size() || key.keyed_from_ < 1)
            return key_error("audit.key_format", path);
    }
    if (text.size() != 2 * kAuditKeyBytes) return key_error("audit.key_format", path);
    for (std::size_t i = 0; i < kAuditKeyBytes; ++i) {
        const int hi = hex_value(text[2 * i]);
        const int lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return key_error("audit.key_format", path);
        key.bytes_[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
    if (auto s = key.prepare(); !s) return s.error();
    return std::optional<AuditKey>(std::move(key));
}

Result<AuditKey> AuditKey::create(const std::string& path, std::int64_t keyed_from) {
    auto fresh = ephemeral();
    if (!fresh) return fresh.error();
    std::string text;
    for (unsigned char b : fresh->bytes_) {
        text += kHex[b >> 4];
        text += kHex[b & 15];
    }
    text += '\n';
    if (keyed_from > 0) text += "keyed_from " + std::to_string(keyed_from) + '\n';
    unsigned char nonce[8];
    if (RAND_bytes(nonce, sizeof nonce) != 1)
        return key_error("audit.key_create", path, "RAND_bytes failed");
    std::string tmp = path + ".tmp.";
    for (unsigned char b : nonce) {
        tmp += kHex[b >> 4];
        tmp += kHex[b & 15];
    }
    {
        UniqueFd f(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0400));
        if (f.fd < 0) return key_error("audit.key_create", path, std::strerror(errno));
        const bool written =
            ::write(f.fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
        if (!written || ::fsync(f.fd) != 0) {
            const std::string why = std::strerror(errno);
            ::unlink(tmp.c_str());
            return key_error("audit.key_create", path, why);
        }
    }
    // link() never replaces an existing file: a key made meanwhile by another process wins.
    const int linked = ::link(tmp.c_str(), path.c_str());
    const int link_errno = errno;
    ::unlink(tmp.c_str());
    if (linked != 0 && link_errno != EEXIST)
        return key_error("audit.key_create", path, std::strerror(link_errno));
    sync_parent(path);
    auto stored = load(path);
    if (!stored) return stored.error();
    if (!*stored) return key_error("audit.key_create", path, "the file vanished");
    return **stored;
}

Result<AuditKey> AuditKey::ephemeral() {
    AuditKey key;
    if (RAND_bytes(key.bytes_.data(), static_cast<int>(key.bytes_.size())) != 1)
        return make_error("audit.key_create", Location{}, {"", "RAND_bytes failed"});
    if (auto s = key.prepare(); !s) return s.error();
    return key;
}

Status AuditKey::prepare() {
    std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> hmac(EVP_MAC_fetch(nullptr, "HMAC", nullptr),
                                                           &EVP_MAC_free);
    if (!hmac) return make_error("audit.key_create", Location{}, {"", "no HMAC in OpenSSL"});
    std::shared_ptr<EVP_MAC_CTX> ctx(EVP_MAC_CTX_new(hmac.get()), &EVP_MAC_CTX_free);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_END};
    if (!ctx || EVP_MAC_init(ctx.get(), bytes_.data(), bytes_.size(), params) != 1)
        return make_error("audit.key_create", Location{}, {"", "HMAC-SHA-256 init failed"});
    keyed_ = std::static_pointer_cast<void>(ctx);
    return Ok{};
}

std::string AuditKey::mac(const AuditEntry& entry) const {
    if (!keyed_) return {};
    const std::string input = audit_mac_input(entry);
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(
        EVP_MAC_CTX_dup(static_cast<const EVP_MAC_CTX*>(keyed_.get())), &EVP_MAC_CTX_free);
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    if (!ctx ||
        EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) != 1 ||
        EVP_MAC_final(ctx.get(), out, &len, sizeof out) != 1)
        return {};
    std::string hex;
    hex.reserve(2 * len);
    for (std::size_t i = 0; i < len; ++i) {
        hex += kHex[out[i] >> 4];
        hex += kHex[out[i] & 15];
    }
    return hex;
}

}  // namespace kyso::store
