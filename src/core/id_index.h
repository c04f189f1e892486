// kyso core — IdIndex: a flat hash index from string ids to positions (no allocation per key).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace kyso {

// Open addressing with linear probing; keys are copied into large blocks; positions < 2^32. It
// answers the few questions the registry asks of an id map (find, try_emplace, reserve) an order of
// magnitude faster than std::unordered_map at a million ids. Copies rebuild their own key storage.
class IdIndex {
public:
    struct Slot {
        std::string_view first;    // the id
        std::uint32_t second = 0;  // its position
        std::uint32_t tag = 0;     // 0: empty; else a fragment of the hash (never 0)
    };

    IdIndex() = default;
    IdIndex(const IdIndex& other);
    IdIndex& operator=(const IdIndex& other);
    IdIndex(IdIndex&&) noexcept = default;
    IdIndex& operator=(IdIndex&&) noexcept = default;
    ~IdIndex() = default;

    // nullptr (== end()) when absent.
    const Slot* find(std::string_view key) const;
    const Slot* end() const { return nullptr; }
    std::size_t count(std::string_view key) const { return find(key) != nullptr ? 1 : 0; }
    // The first insertion of a key wins; {slot, inserted}.
    std::pair<const Slot*, bool> try_emplace(std::string_view key, std::size_t value);
    std::pair<const Slot*, bool> emplace(std::string_view key, std::size_t value) {
        return try_emplace(key, value);
    }
    void reserve(std::size_t n);
    void clear();
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

private:
    std::string_view store(std::string_view key);
    void grow(std::size_t min_slots);
    std::size_t probe(std::string_view key, std::uint32_t tag) const;

    std::vector<Slot> slots_;
    std::vector<std::unique_ptr<char[]>> blocks_;
    std::size_t block_left_ = 0;
    char* block_next_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace kyso
