// kyso store — the AccountStore interface: opening by location, the stored form of tokens.
#include "store/account_store.h"

#include <span>

#include "core/messages.h"
#include "x509/fingerprint.h"

namespace kyso::store {

namespace sqlite {
Result<std::unique_ptr<AccountStore>> open_sqlite_account_store(const std::string& path);
}

Result<std::unique_ptr<AccountStore>> open_account_store(const std::string& location) {
    const std::string_view loc(location);
    if (loc.starts_with("postgres://") || loc.starts_with("postgresql://"))
        return make_error("store.unsupported", Location{}, {location});
    constexpr std::string_view kSqlite = "sqlite:";
    if (loc.starts_with(kSqlite))
        return sqlite::open_sqlite_account_store(location.substr(kSqlite.size()));
    return sqlite::open_sqlite_account_store(location);
}

std::string token_hash(std::string_view raw) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(raw.data());
    auto hex = x509::sha256_hex(std::span<const std::uint8_t>(bytes, raw.size()));
    return hex ? *hex : std::string();
}

}  // namespace kyso::store
