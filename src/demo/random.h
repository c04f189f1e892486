// kyso demo — a small portable pseudo-random generator (xoshiro256**, seeded by splitmix64).
#pragma once

#include <array>
#include <cstdint>

namespace kyso::demo {

// The standard distributions differ between library implementations, so the generator draws
// every number itself: the same seed gives the same bundle on every platform.
class Rng {
public:
    explicit Rng(std::uint64_t seed) {
        std::uint64_t x = seed;
        for (auto& word : s_) word = splitmix64(x);
    }

    static std::uint64_t splitmix64(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, n); n > 0. Rejection keeps it unbiased.
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t threshold = (0 - n) % n;
        while (true) {
            const std::uint64_t r = next();
            if (r >= threshold) return r % n;
        }
    }

    // Uniform in [lo, hi].
    int between(int lo, int hi) {
        return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }

    // True with probability p/1000.
    bool per_mille(unsigned p) { return below(1000) < p; }

    // Uniform in [0, 1) with 53 bits.
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // An independent generator for one part of the work, so that changing one part of the
    // generator does not shift the numbers every later part draws.
    Rng fork(std::uint64_t salt) const {
        std::uint64_t x = s_[0] ^ rotl(s_[3], 13) ^ (salt * 0xD1B54A32D192ED03ULL);
        return Rng(splitmix64(x));
    }

    // Picks one element of a non-empty array-like range.
    template <typename Range>
    const auto& pick(const Range& range) {
        return range[static_cast<std::size_t>(below(range.size()))];
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<std::uint64_t, 4> s_{};
};

// Distinct numbers below a power of ten without remembering the ones given: a walk whose
// stride (about 0.618 of the modulus, odd and not a multiple of 5) is coprime to the modulus
// visits every residue once before it repeats.
class DistinctWalk {
public:
    DistinctWalk() = default;
    DistinctWalk(std::uint64_t start, std::uint64_t power_of_ten)
        : value_(start % power_of_ten),
          modulus_(power_of_ten),
          stride_(
              static_cast<std::uint64_t>(static_cast<double>(power_of_ten) * 0.6180339887498949)) {
        while (stride_ % 2 == 0 || stride_ % 5 == 0) ++stride_;
    }
    std::uint64_t next() {
        const std::uint64_t v = value_;
        value_ = (value_ + stride_) % modulus_;
        return v;
    }

private:
    std::uint64_t value_ = 0;
    std::uint64_t modulus_ = 1;
    std::uint64_t stride_ = 1;
};

// A bijection of 32-bit numbers (xorshift-multiply steps are each invertible): distinct
// counters give distinct, random-looking values.
inline std::uint32_t scramble32(std::uint32_t x) {
    x ^= x >> 16;
    x *= 0x7FEB352DU;
    x ^= x >> 15;
    x *= 0x846CA68BU;
    x ^= x >> 16;
    return x;
}

}  // namespace kyso::demo
