// kyso core — IdIndex: a flat hash index from string ids to positions (no allocation per key).
#include "core/id_index.h"

#include <cstring>
#include <functional>

namespace kyso {

namespace {
constexpr std::size_t kBlock = 1 << 20;

std::uint64_t hash_of(std::string_view s) {
    return std::hash<std::string_view>{}(s);
}
std::uint32_t tag_of(std::uint64_t h) {
    return static_cast<std::uint32_t>(h >> 32) | 1u;
}
}  // namespace

IdIndex::IdIndex(const IdIndex& other) {
    *this = other;
}

IdIndex& IdIndex::operator=(const IdIndex& other) {
    if (this == &other) return *this;
    clear();
    reserve(other.size_);
    for (const Slot& slot : other.slots_) {
        if (slot.tag != 0) try_emplace(slot.first, slot.second);
    }
    return *this;
}

std::string_view IdIndex::store(std::string_view key) {
    if (key.size() > block_left_) {
        const std::size_t size = key.size() > kBlock ? key.size() : kBlock;
        blocks_.push_back(std::make_unique<char[]>(size));
        block_next_ = blocks_.back().get();
        block_left_ = size;
    }
    if (!key.empty()) std::memcpy(block_next_, key.data(), key.size());
    std::string_view stored(block_next_, key.size());
    block_next_ += key.size();
    block_left_ -= key.size();
    return stored;
}

std::size_t IdIndex::probe(std::string_view key, std::uint32_t tag) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(hash_of(key)) & mask;
    while (slots_[i].tag != 0) {
        if (slots_[i].tag == tag && slots_[i].first == key) return i;
        i = (i + 1) & mask;
    }
    return i;
}

const IdIndex::Slot* IdIndex::find(std::string_view key) const {
    if (size_ == 0) return nullptr;
    const std::size_t i = probe(key, tag_of(hash_of(key)));
    return slots_[i].tag != 0 ? &slots_[i] : nullptr;
}

void IdIndex::grow(std::size_t min_slots) {
    std::size_t n = 16;
    while (n < min_slots) n <<= 1;
    if (n <= slots_.size()) return;
    std::vector<Slot> old_slots = std::move(slots_);
    slots_.assign(n, Slot{});
    for (const Slot& slot : old_slots) {
        if (slot.tag != 0) slots_[probe(slot.first, slot.tag)] = slot;
    }
}

void IdIndex::reserve(std::size_t n) {
    grow(n + n / 2);
}

std::pair<const IdIndex::Slot*, bool> IdIndex::try_emplace(std::string_view key,
                                                           std::size_t value) {
    // Load factor at most 3/4.
    if ((size_ + 1) * 4 > slots_.size() * 3) grow((size_ + 1) * 2);
    const std::uint32_t tag = tag_of(hash_of(key));
    const std::size_t i = probe(key, tag);
    if (slots_[i].tag != 0) return {&slots_[i], false};
    slots_[i] = Slot{store(key), static_cast<std::uint32_t>(value), tag};
    ++size_;
    return {&slots_[i], true};
}

void IdIndex::clear() {
    slots_.clear();
    blocks_.clear();
    block_left_ = 0;
    block_next_ = nullptr;
    size_ = 0;
}

}  // namespace kyso
