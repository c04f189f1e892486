// kyso store — the RegistryQuery interface: paginated, filtered, sorted and searched lists of the
// registry, one record with its ETag, and audited corrections and removals under If-Match.
// Every list runs in the database (never load_registry): filters, the organization subtree (a
// recursive query on the superior chain), search, sorting and the page are one query, and the
// total another. The interface has no back-end semantics: SQLite implements it with FTS5 over a
// tone-folded text; PostgreSQL can with full text or trigram over the same folded text.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/registry.h"
#include "core/result.h"
#include "store/store.h"

namespace kyso::store {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;

// What every list takes. `scope` is the signed-in user's organization (its subtree only; ""
// for a user who sees everything) and `org_subtree` the subtree asked for; a record must be in
// both. A person is in the subtree of the organization they are in now (after applied events),
// a certificate or device in that of its holder (the holder person's organization, or the holder
// organization itself); an unlinked certificate is in no subtree. `search` matches names
// without tone marks ("nguyen van a" finds "Nguyễn Văn A", đ → d), CCCD, email, serial (hex with
// or without colons, leading zero or not) and certificate subject; each word of it must match
// the start of a word of the record. `sort` is one of the list's whitelisted keys ("" for its
// default); pages count from 1 and hold 1..kMaxPageSize records.
struct ListQuery {
    std::string scope;
    std::string org_subtree;
    std::string search;
    std::string sort;
    bool descending = false;
    int page = 1;
    int page_size = kDefaultPageSize;
};

// Organizations in their current version. Sort keys: id (default), name, kind, valid_from.
struct OrganizationQuery : ListQuery {
    std::optional<bool> ceased;   // true: ceased only; false: existing only
    std::optional<OrgKind> kind;  // of the current version
    std::string superior_id;      // direct children of this one ("" = any)
};

// People with their current organization. Sort keys: id (default), name, cccd, org_id.
struct PersonQuery : ListQuery {
    std::string org_id;       // exactly this organization ("" = any)
    bool unassigned = false;  // only people without an organization
};

// Certificates (without their DER). Sort keys: serial (default), not_after, status, holder_id.
struct CertificateQuery : ListQuery {
    std::optional<CertStatus> status;
    std::optional<HolderType> holder_type;
    std::string holder_id;
    std::string device_id;
    bool unlinked = false;                // only certificates without a holder
    std::optional<Date> expiring_before;  // not_after_date < this day
};

// Devices. Sort keys: id (default), kind, serial, holder_id.
struct DeviceQuery : ListQuery {
    std::optional<DeviceKind> kind;
    std::optional<HolderType> holder_type;
    std::string holder_id;
};

template <typename T>
struct ListPage {
    std::vector<T> items;
    std::int64_t total = 0;  // records matching the query, over all pages
    int page = 1;
    int page_size = kDefaultPageSize;
};

// A record as stored now and its ETag: the SHA-256 (hex) of the record's stored content in a
// canonical form computed from the domain values (record_etag), so every back-end gives the
// same ETag for the same record.
template <typename T>
struct Versioned {
    T record;
    std::string etag;
};

// An applied or stored event that touched an organization: a version it wrote, its cessation.
struct OrgEventRef {
    std::string event_id;
    std::string type;  // EventType name ("" when the event is not stored)
    Date effective_date;
    bool applied = false;  // recorded as applied (`kyso events apply`)
    std::string role;      // "version" (wrote a version), "ceased" (ended it)
};

// An organization's history and lineage: all its versions (in Organization), the organizations
// whose successor it is (merged or renamed into it), what it became (Organization::successor_id,
// followed to the end of the chain in `became`), its direct children now, and the events.
struct OrganizationHistory {
    Organization organization;
    std::vector<std::string> predecessors;  // successor_id = this one, by id
    std::vector<std::string> became;        // successor, its successor, ...
    std::vector<std::string> children;      // current superior_id = this one, by id
    std::vector<OrgEventRef> events;        // by effective_date
};

struct PersonDetail {
    Person person;                  // org_id: the organization in force now
    std::string registered_org_id;  // as registered (before applied events)
    std::vector<PersonMove> moves;  // by valid_from
};

// Corrections of wrong data (not changes in time, which only events record). Absent fields are
// left as they are.
struct PersonPatch {
    std::optional<std::string> full_name, cccd, date_of_birth, email, phone, position;
    std::optional<std::string> cccd_issued_on, cccd_issued_by;
    std::optional<std::string> org_id;  // "" = unassigned; refused once events moved the person
};
// Rewrites the current version in place.
struct OrganizationPatch {
    std::optional<std::string> name, superior_id, province, agency_code, admin_unit;
    std::optional<OrgKind> kind;
};
struct CertificatePatch {
    std::optional<HolderRef> holder;       // id "" = unlink
    std::optional<std::string> device_id;  // "" = none
    std::optional<CertStatus> status;
    std::optional<std::string> revoked_on;  // YYYY-MM-DD, with status revoked
    std::optional<std::string> revocation_reason;
};
struct DevicePatch {
    std::optional<DeviceKind> kind;
    std::optional<std::string> serial, phone, carrier;
    std::optional<HolderRef> holder;
};

// Who changes a record and on what condition: `if_match` is the ETag the client read (empty:
// refused, store.precondition_required), `reason` why (required: store.reason_required),
// `actor` the signed-in user, written in the audit entry with the reason.
struct EditContext {
    std::string if_match;
    std::string reason;
    std::string actor;
};

enum class RecordKind { organization, person, certificate, device };
std::string_view to_string(RecordKind k);

// Audit actions of corrections and removals; object "<kind>:<id>", detail JSON
// {"reason", "before", "after"} (removal: "before" only).
inline constexpr std::string_view kAuditCorrect = "registry.correct";
inline constexpr std::string_view kAuditRemove = "registry.remove";

// Errors of every method: store.sqlite / store.busy from the back-end. Reads of one record:
// store.not_found when there is none. Edits: store.not_found, store.precondition_required,
// store.reason_required, store.etag_mismatch (another user changed the record since it was
// read: HTTP 412), store.invalid_field (a value kyso would refuse on import), store.foreign_key
// (a reference to nothing), store.superior_cycle, store.person_moved (the organization of a
// person moved by events is corrected through events), store.record_in_use (a removal of
// something still named). Each edit is one transaction with its audit entry. No method throws.
// One connection: use from one thread at a time.
class RegistryQuery {
public:
    RegistryQuery() = default;
    RegistryQuery(const RegistryQuery&) = delete;
    RegistryQuery& operator=(const RegistryQuery&) = delete;
    virtual ~RegistryQuery() = default;

    // store.invalid_query for a sort key not in the list's whitelist, a page < 1 or a page
    // size outside 1..kMaxPageSize.
    virtual Result<ListPage<Organization>> organizations(const OrganizationQuery& q) = 0;
    virtual Result<ListPage<Person>> people(const PersonQuery& q) = 0;
    virtual Result<ListPage<Certificate>> certificates(const CertificateQuery& q) = 0;
    virtual Result<ListPage<Device>> devices(const DeviceQuery& q) = 0;

    virtual Result<Versioned<Organization>> organization(const std::string& id) = 0;
    virtual Result<OrganizationHistory> organization_history(const std::string& id) = 0;
    virtual Result<Versioned<PersonDetail>> person(const std::string& id) = 0;
    virtual Result<Versioned<Certificate>> certificate(const std::string& serial) = 0;
    virtual Result<Versioned<Device>> device(const std::string& id) = 0;

    // Whether the record is in the subtree of `org_id` (see ListQuery); "" is everything.
    // store.not_found when there is no such record.
    virtual Result<bool> in_subtree(RecordKind kind, const std::string& id,
                                    const std::string& org_id) = 0;

    // Corrections: return the record's new ETag.
    virtual Result<std::string> correct_person(const std::string& id, const PersonPatch& patch,
                                               const EditContext& ctx) = 0;
    virtual Result<std::string> correct_organization(const std::string& id,
                                                     const OrganizationPatch& patch,
                                                     const EditContext& ctx) = 0;
    virtual Result<std::string> correct_certificate(const std::string& serial,
                                                    const CertificatePatch& patch,
                                                    const EditContext& ctx) = 0;
    virtual Result<std::string> correct_device(const std::string& id, const DevicePatch& patch,
                                               const EditContext& ctx) = 0;
    // Removal of a certificate (e.g. an orphan), a device or a person that nothing names any
    // more (store.record_in_use otherwise: a certificate named by a request, a device by a
    // certificate, a person by a certificate, device or event move). Organizations are not
    // removed (they cease through events): store.invalid_query.
    virtual Status remove(RecordKind kind, const std::string& id, const EditContext& ctx) = 0;
};

// Opens the query side of the store at `location` ("sqlite:PATH", a path, or a PostgreSQL
// location as open_store takes it; migrated as needed).
Result<std::unique_ptr<RegistryQuery>> open_registry_query(const std::string& location);

// The ETag of each record's stored content (portable across back-ends): SHA-256 hex over a
// canonical JSON of its fields. An organization's covers all its versions and its cessation; a
// person's covers the registered row and the moves.
std::string record_etag(const Organization& org);
std::string record_etag(const PersonDetail& person);
std::string record_etag(const Certificate& cert);
std::string record_etag(const Device& device);

// The search text of a record, folded (lower case, no tone or vowel marks, đ → d): what a
// back-end indexes for ListQuery::search.
std::string search_text(const Organization& org);
std::string search_text(const Person& person);
std::string search_text(const Certificate& cert);
std::string search_text(const Device& device);

// The words a search looks for, folded like search_text: a serial written with colons or
// spaces between its bytes ("0a:1b:2c") is one word ("0a1b2c"). Empty: no search.
std::vector<std::string> search_words(std::string_view search);

// One word of a search as the index is asked for it: its forms (any one may match; a hex word
// is also a serial with its leading zero: "a1b" → "0a1b") and whether a record's word may merely
// start with it.
struct SearchTerm {
    std::vector<std::string> forms;
    bool prefix = false;
};

// The least length of a last word that is searched as the start of a word: shorter ones ("an",
// "le") start too many words to be read quickly in a large register.
inline constexpr std::size_t kSearchPrefixMin = 3;
// The greatest length of a word's start that the indexes hold as a term of its own (SQLite:
// FTS5 prefix = '3 4 5 6'; PostgreSQL: the "thu*" lexemes, migrations 0012): a longer prefix
// is read by merging the few words that start with it.
inline constexpr std::size_t kSearchPrefixMax = 6;

// The terms of a search (search_words): every word must be a whole word of the record, except
// the last, which may also be the start of one when it has kSearchPrefixMin characters or more
// (a name or number being typed). Whole words are what keeps a search of a common name fast:
// the index reads one list per word instead of merging every word that starts alike.
std::vector<SearchTerm> search_terms(std::string_view search);

// Validates the paging and sort of a query against `sort_keys` (the first is the default).
Status check_list_query(const ListQuery& q, const std::vector<std::string_view>& sort_keys);

}  // namespace kyso::store
