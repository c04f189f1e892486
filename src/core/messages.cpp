// kyso core — the message catalog: every text a user reads, in Vietnamese and English.
#include "core/messages.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace kyso {

namespace {

struct Entry {
    std::string_view code;
    std::string_view vi;
    std::string_view en;
};

// Every layer keeps its own entries in core/catalog/<layer>.inc; order does not matter.
constexpr Entry kCatalog[] = {
#include "core/catalog/accounts.inc"
#include "core/catalog/auth.inc"
#include "core/catalog/bundle.inc"
#include "core/catalog/checks.inc"
#include "core/catalog/cli.inc"
#include "core/catalog/core.inc"
#include "core/catalog/docs.inc"
#include "core/catalog/intake.inc"
#include "core/catalog/reorg.inc"
#include "core/catalog/server.inc"
#include "core/catalog/store.inc"
#include "core/catalog/text.inc"
#include "core/catalog/workflow.inc"
#include "core/catalog/x509.inc"
};

const Entry* find(std::string_view code) {
    static const std::vector<const Entry*> index = [] {
        std::vector<const Entry*> v;
        for (const auto& e : kCatalog) v.push_back(&e);
        std::sort(v.begin(), v.end(),
                  [](const Entry* a, const Entry* b) { return a->code < b->code; });
        return v;
    }();
    const auto it =
        std::lower_bound(index.begin(), index.end(), code,
                         [](const Entry* e, std::string_view c) { return e->code < c; });
    return it != index.end() && (*it)->code == code ? *it : nullptr;
}

// Fills {N} with the N-th argument and {N:label} with the catalog entry "label.<argument>" in
// the same language (a role or record kind code shown as its name: {1:role} turns "unit_head"
// into "thủ trưởng đơn vị"); an argument without such an entry is shown as it is.
std::string fill(std::string_view pattern, std::initializer_list<std::string_view> args,
                 bool english) {
    std::string out;
    out.reserve(pattern.size() + 32);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{') {
            std::size_t j = i + 1;
            std::size_t n = 0;
            while (j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9') {
                n = n * 10 + static_cast<std::size_t>(pattern[j] - '0');
                ++j;
            }
            std::string_view label;
            if (j > i + 1 && j < pattern.size() && pattern[j] == ':') {
                const std::size_t end = pattern.find('}', j);
                if (end != std::string_view::npos) {
                    label = pattern.substr(j + 1, end - j - 1);
                    j = end;
                }
            }
            if (j > i + 1 && j < pattern.size() && pattern[j] == '}') {
                if (n < args.size()) {
                    const std::string_view arg = *(args.begin() + n);
                    const Entry* named =
                        label.empty() ? nullptr : find(std::string(label) + "." + std::string(arg));
                    out += named != nullptr ? (english ? named->en : named->vi) : arg;
                }
                i = j;
                continue;
            }
        }
        out += pattern[i];
    }
    return out;
}

}  // namespace

bool english_ui() {
    const char* lang = std::getenv("KYSO_LANG");
    return lang != nullptr && std::string_view(lang).starts_with("en");
}

std::string message(std::string_view code, std::initializer_list<std::string_view> args,
                    bool english) {
    const Entry* e = find(code);
    if (e == nullptr) {
        std::string out(code);
        for (auto a : args) {
            out += ' ';
            out += a;
        }
        return out;
    }
    return fill(english ? e->en : e->vi, args, english);
}

Error make_error(std::string_view code, Location where,
                 std::initializer_list<std::string_view> args) {
    return Error{std::string(code), message(code, args, false), message(code, args, true),
                 std::move(where)};
}

}  // namespace kyso
