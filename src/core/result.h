// kyso core — Error and Result<T>: errors are values across layers.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace kyso {

// Where a problem is: the file, the 1-based data row, the field (column) and the record id.
struct Location {
    std::string file;
    std::int64_t row = 0;  // 0: not row-specific
    std::string field;
    std::string id;
};

// A user-facing error: a stable code, a message in each language, and where it happened.
// Messages are produced by the catalog (messages.h), never written inline at call sites.
struct Error {
    std::string code;     // stable machine code, e.g. "csv.missing_column"
    std::string message;  // Vietnamese (the user's language)
    std::string message_en;
    Location where;

    // "file, row N, field F, id I: message" in the chosen language.
    [[nodiscard]] std::string describe(bool english = false) const;
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<1>(v_); }
    Error& error() { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace kyso
