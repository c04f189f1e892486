// kyso store — the scope words of the search index (migration 0012): each record's kind and the
// organizations it sits under now, indexed beside its text so that a search in an organization's
// subtree is one more word for the full-text index to match, not a check of every record the
// words found across the country.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kyso::store {

// The scope word of a record kind: "k" + kind ("kperson"). Letters only: one token for FTS5's
// unicode61 tokenizer and a plain lexeme for PostgreSQL.
std::string kind_word(std::string_view kind);

// The scope word of an organization: "o" + the lower-case hex of its id's UTF-8 bytes ("P01" →
// "o503031"), one token whatever the id holds ('-', '.', letters with marks).
std::string org_word(std::string_view org_id);

// SQL (the same on both back-ends) of the organization a record sits under now: a person's
// (person_current_org, migration 0010) for the person id `id` (a column or a parameter), and a
// certificate's or device's holder's for the table alias `x` ('' when there is none).
std::string person_org_sql(const std::string& id);
std::string holder_org_sql(const std::string& x);

// The organization chains now: each organization's superior in its current version
// (org_current), read on demand through `superior_of` and kept. `superior_of(id)` answers the
// superior id ("" at a root) or nullopt when there is no organization `id`.
class OrgChains {
public:
    using Lookup = std::function<Result<std::optional<std::string>>(const std::string&)>;
    explicit OrgChains(Lookup superior_of) : superior_of_(std::move(superior_of)) {}

    // The scope text of a record of `kind` under `org_id` ("" when it has none: an unassigned
    // person, an unlinked certificate): the kind word, then the words of org_id and of every
    // superior above it, space-separated ("kperson o50303153 o503031"). A chain stops at a root,
    // at an organization that does not exist (its word is kept) and at a cycle.
    Result<std::string> scope(std::string_view kind, const std::string& org_id);

private:
    Lookup superior_of_;
    std::map<std::string, std::optional<std::string>, std::less<>> superior_;
};

}  // namespace kyso::store
