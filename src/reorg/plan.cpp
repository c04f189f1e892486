// kyso reorg — the plan: what must be done for every certificate and device (FORMATS.md §3).
#include "reorg/plan.h"

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "core/subject_profile.h"
#include "core/values.h"

namespace kyso::reorg {

std::string_view to_string(ActionKind k) {
    switch (k) {
        case ActionKind::change_info:
            return "change_info";
        case ActionKind::revoke:
            return "revoke";
        case ActionKind::issue:
            return "issue";
        case ActionKind::review:
            return "review";
        case ActionKind::return_device:
            return "return_device";
    }
    return "";
}

Subject SubjectRef::materialize() const {
    Subject s = base ? *base : Subject{};
    if (!cn.empty()) s.push_back({"CN", std::string(cn)});
    if (!email.empty()) s.push_back({"E", std::string(email)});
    return s;
}

bool SubjectRef::operator==(const SubjectRef& other) const {
    if (!base || !other.base) return !base && !other.base;
    return (base == other.base || *base == *other.base) && cn == other.cn && email == other.email;
}

std::optional<Subject> PlanAction::old_subject() const {
    if (source) return source.materialize();
    if (cert == nullptr) return std::nullopt;
    if (!cert->subject.empty() || cert->subject_text.empty()) return cert->subject;
    auto parsed = parse_rfc4514(cert->subject_text);
    return parsed ? std::optional<Subject>(std::move(*parsed)) : std::nullopt;
}

std::optional<Subject> PlanAction::new_subject() const {
    if (!target) return std::nullopt;
    return target.materialize();
}

namespace {

std::optional<OrgView> replay_lookup(const void* ctx, std::string_view id) {
    const OrgState* o = static_cast<const Replay*>(ctx)->org(id);
    if (o == nullptr) return std::nullopt;
    return OrgView{o->name, o->superior_id, o->province};
}

// FORMATS.md §4 subjects of one state of the organizations (the registry before any event, or
// the replay's final state), computed once per organization and shared.
class SubjectCache {
public:
    SubjectCache(OrgLookup lookup, const void* ctx) : lookup_(lookup), ctx_(ctx) {}

    // C, L, O, OU… down to the organization itself: a person's subject without CN and E.
    std::shared_ptr<const Subject> person_base(std::string_view org_id) {
        return cached(people_, org_id, [&] {
            auto s = person_subject("", "", org_id, lookup_, ctx_);
            if (s) s->pop_back();  // the empty CN
            return s;
        });
    }
    // The organization's whole subject.
    std::shared_ptr<const Subject> org_full(std::string_view org_id) {
        return cached(orgs_, org_id, [&] { return org_subject(org_id, lookup_, ctx_); });
    }

    SubjectRef person(std::string_view org_id, const Person& p) {
        return SubjectRef{person_base(org_id), p.full_name, p.email};
    }
    SubjectRef org(std::string_view org_id) { return SubjectRef{org_full(org_id), {}, {}}; }

private:
    template <typename Make>
    std::shared_ptr<const Subject> cached(IdMap<std::shared_ptr<const Subject>>& map,
                                          std::string_view id, Make make) {
        if (auto it = map.find(id); it != map.end()) return it->second;
        auto s = make();
        auto ptr = s ? std::make_shared<const Subject>(std::move(*s)) : nullptr;
        map.emplace(std::string(id), ptr);
        return ptr;
    }

    OrgLookup lookup_;
    const void* ctx_;
    IdMap<std::shared_ptr<const Subject>> people_;
    IdMap<std::shared_ptr<const Subject>> orgs_;
};

// FORMATS.md §3 comparison of a certificate's subject with a computed one, without building it.
class SubjectComparer {
public:
    bool same(const Certificate& c, const SubjectRef& ref) {
        if (!ref) return false;
        if (!c.subject.empty()) {
            views_.clear();
            for (const Rdn& r : c.subject)
                views_.push_back(RdnView{r.type, r.value, r.joins_previous});
            return same_views(ref);
        }
        // Fast path: the subject column written exactly as kyso writes it.
        text_.clear();
        format_into(ref);
        if (text_ == c.subject_text) return true;
        if (!parse_rfc4514_views(c.subject_text, views_, scratch_))
            return false;  // unparseable differs
        return same_views(ref);
    }

private:
    // Computed subjects have one attribute per RDN (FORMATS.md §4), so an attribute of a
    // multi-valued RDN never matches.
    static bool rdn_equal(const RdnView& r, std::string_view type, std::string_view value) {
        return r.value == value && !r.joins_previous && same_attribute(r.type, type);
    }
    bool same_views(const SubjectRef& ref) const {
        const Subject& base = *ref.base;
        const std::size_t n = base.size() + (ref.cn.empty() ? 0 : 1) + (ref.email.empty() ? 0 : 1);
        if (views_.size() != n) return false;
        for (std::size_t i = 0; i < base.size(); ++i) {
            if (!rdn_equal(views_[i], base[i].type, base[i].value)) return false;
        }
        std::size_t i = base.size();
        if (!ref.cn.empty() && !rdn_equal(views_[i++], "CN", ref.cn)) return false;
        if (!ref.email.empty() && !rdn_equal(views_[i], "E", ref.email)) return false;
        return true;
    }
    void format_into(const SubjectRef& ref) {
        // RFC 4514 lists the leaf first.
        auto add = [&](std::string_view type, std::string_view value) {
            if (!text_.empty()) text_ += ',';
            text_ += type;
            text_ += '=';
            append_rfc4514_value(text_, value);
        };
        if (!ref.email.empty()) add("E", ref.email);
        if (!ref.cn.empty()) add("CN", ref.cn);
        for (auto it = ref.base->rbegin(); it != ref.base->rend(); ++it) add(it->type, it->value);
    }

    std::string text_;
    std::string scratch_;
    std::vector<RdnView> views_;
};

// FORMATS.md §4: values over their X.520 bound, e.g. "CN: 71 > 64"; empty when none.
std::string too_long(const SubjectRef& ref) {
    std::string detail;
    auto check = [&](std::string_view type, std::string_view value) {
        const std::size_t bound = attribute_upper_bound(type);
        const std::size_t len = utf8_length(value);
        if (bound > 0 && len > bound) {
            if (!detail.empty()) detail += "; ";
            detail +=
                std::string(type) + ": " + std::to_string(len) + " > " + std::to_string(bound);
        }
    };
    if (ref.base) {
        for (const Rdn& r : *ref.base) check(r.type, r.value);
    }
    if (!ref.cn.empty()) check("CN", ref.cn);
    return detail;
}

bool on_pki_sim(const Registry& reg, const Certificate& c) {
    return c.device_pos != Certificate::kNoPos &&
           reg.devices[c.device_pos].kind == DeviceKind::pki_sim;
}

// The most recent event that changed an organization's chain (memoized per organization).
class ChainEvents {
public:
    explicit ChainEvents(const Replay& rp) : rp_(rp) {
        for (std::size_t i = 0; i < rp.applied.size(); ++i) pos_.emplace(rp.applied[i]->id, i);
    }

    // The later of the chain's last event and `person_event`.
    std::string last(std::string_view org_id, std::string_view person_event) {
        const auto& [ev, p] = chain(org_id, 0);
        const std::size_t pp = position(person_event);
        if (pp != SIZE_MAX && (p == SIZE_MAX || pp > p)) return std::string(person_event);
        return ev;
    }

private:
    std::size_t position(std::string_view id) const {
        const auto* it = id.empty() ? nullptr : pos_.find(id);
        return it == nullptr ? SIZE_MAX : it->second;
    }
    const std::pair<std::string, std::size_t>& chain(std::string_view org_id, std::size_t depth) {
        static const std::pair<std::string, std::size_t> kNone{"", SIZE_MAX};
        const auto* it = rp_.org_index.find(org_id);
        if (it == nullptr || depth > rp_.orgs.size()) return kNone;
        if (auto m = memo_.find(it->second); m != memo_.end()) return m->second;
        const OrgState& o = rp_.orgs[it->second];
        std::pair<std::string, std::size_t> best{o.last_event, position(o.last_event)};
        const auto& up = chain(o.superior_id, depth + 1);
        if (up.second != SIZE_MAX && (best.second == SIZE_MAX || up.second > best.second))
            best = up;
        return memo_.emplace(it->second, std::move(best)).first->second;
    }

    const Replay& rp_;
    IdIndex pos_;
    std::unordered_map<std::size_t, std::pair<std::string, std::size_t>> memo_;
};

// Sort key of FORMATS.md §3 "Order": serial as a number, then device, then holder.
struct OrderKey {
    bool has_serial;
    bool negative;            // "-05": before every positive serial (values.h compare_serials)
    std::string_view serial;  // the magnitude without sign and leading zeros
    std::string_view device;
    std::string_view holder;
    int kind;
};

// A registry serial (normal form) as a sign and a magnitude without leading zeros.
std::pair<bool, std::string_view> serial_number(std::string_view s) {
    const bool negative = s.starts_with('-');
    if (negative) s.remove_prefix(1);
    while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
    return {negative, s};
}

OrderKey key_of(const PlanAction& a) {
    const auto [negative, s] = serial_number(a.certificate);
    return OrderKey{!a.certificate.empty(),
                    negative,
                    s,
                    a.device,
                    a.holder ? std::string_view(a.holder->id) : std::string_view(a.device),
                    static_cast<int>(a.action)};
}

// The magnitudes as numbers: shorter is smaller.
int compare_magnitudes(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a.compare(b);
}

bool key_less(const OrderKey& x, const OrderKey& y) {
    if (x.has_serial != y.has_serial) return !x.has_serial;
    if (x.negative != y.negative) return x.negative;
    if (const int c = compare_magnitudes(x.serial, y.serial); c != 0)
        return x.negative ? c > 0 : c < 0;
    if (const int c = x.device.compare(y.device); c != 0) return c < 0;
    if (const int c = x.holder.compare(y.holder); c != 0) return c < 0;
    return x.kind < y.kind;
}

// Orders `items` by `less` over precomputed keys, moving each element once.
template <typename T, typename Key, typename KeyOf, typename Less>
void sort_by_key(std::vector<T>& items, KeyOf key_of_item, Less less) {
    std::vector<std::pair<Key, std::size_t>> keys;
    keys.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) keys.emplace_back(key_of_item(items[i]), i);
    std::stable_sort(keys.begin(), keys.end(),
                     [&](const auto& a, const auto& b) { return less(a.first, b.first); });
    std::vector<T> sorted;
    sorted.reserve(items.size());
    for (const auto& k : keys) sorted.push_back(std::move(items[k.second]));
    items = std::move(sorted);
}

}  // namespace

Plan derive_plan(const Registry& reg, const Replay& rp) {
    Plan plan;
    plan.as_of = rp.as_of;
    std::vector<bool> revoked(reg.certificates.size(), false);
    ChainEvents chain_events(rp);
    SubjectCache before(registry_org_view, &reg);  // the registry before any event
    SubjectCache after(replay_lookup, &rp);        // the final state
    SubjectComparer compare;
    plan.actions.reserve(reg.certificates.size() / 2);

    for (std::size_t i = 0; i < reg.certificates.size(); ++i) {
        const Certificate& c = reg.certificates[i];
        const CertState& cs = rp.certs[i];
        // Unlinked certificates (FORMATS.md §1) are never considered: they have no holder. An
        // organization certificate whose holder only the events create (from a database: the
        // CA answered its issue) is planned against the organization the replay made.
        if (!cs.considered) {
            ++plan.summary.skipped;
            continue;
        }
        ++plan.summary.considered;
        const bool sim = on_pki_sim(reg, c);
        const bool is_org = c.holder.type == HolderType::org;
        const Person* person = is_org ? nullptr : &reg.people[c.holder_pos];

        // Warning: the subject differs from the one the registry gives before any event, unless
        // the certificate ends unchanged (FORMATS.md §3: e.g. re-issued after the events, it
        // already has the final subject). Added with each action that is not `unchanged`.
        const SubjectRef registered =
            is_org ? before.org(c.holder.id) : before.person(person->org_id, *person);
        const bool as_registered = registered && compare.same(c, registered);
        auto warn_mismatch = [&] {
            if (!registered || as_registered) return;
            plan.warnings.push_back(
                {"subject_mismatch", c.serial, std::nullopt,
                 c.subject_text + " ≠ " + format_rfc4514(registered.materialize())});
        };

        PlanAction a;
        a.certificate = c.serial;
        a.holder = c.holder;
        if (cs.end) {
            // Revocation carries the rule of the event that ended it.
            a.action = ActionKind::revoke;
            a.rule = std::string(cs.end->rule);
            a.reason = std::string(cs.end->reason);
            a.event = std::string(cs.end->event);
            revoked[i] = true;
            ++plan.summary.revoke;
            warn_mismatch();
            plan.actions.push_back(std::move(a));
            continue;
        }
        SubjectRef target;
        std::string event;
        if (is_org) {
            target = after.org(cs.org_holder);
            event = cs.carried ? std::string(cs.carried_by) : chain_events.last(cs.org_holder, {});
        } else {
            const PersonState& ps = rp.people[c.holder_pos];
            if (ps.org_id.empty()) {
                // Rule 1.2: left without organization by a dissolve and not transferred later.
                a.action = ActionKind::review;
                a.rule = sim ? "2.3" : "1.2";
                a.event = std::string(ps.unassigned_by);
                ++plan.summary.review;
                warn_mismatch();
                plan.actions.push_back(std::move(a));
                continue;
            }
            target = after.person(ps.org_id, *person);
            event = chain_events.last(ps.org_id, ps.last_event);
        }
        // When the subject column is the registered subject, comparing the two computed subjects
        // is the same as comparing with the column, and needs no parsing.
        if (!target || (as_registered ? registered == target : compare.same(c, target))) {
            ++plan.summary.unchanged;
            continue;
        }
        if (as_registered) a.source = registered;
        a.action = ActionKind::change_info;
        a.rule = is_org ? (cs.carried ? "1.1a" : "1.1c") : (sim ? "2.3" : "1.2");
        a.event = event;
        a.cert = &c;
        a.target = std::move(target);
        if (auto detail = too_long(a.target); !detail.empty()) {
            plan.warnings.push_back({"value_too_long", c.serial, c.holder, std::move(detail)});
        }
        ++plan.summary.change_info;
        warn_mismatch();
        plan.actions.push_back(std::move(a));
    }

    // Rule 1.1a: a new organization without any carried certificate that still exists gets one,
    // unless it already holds one in play (from a database, the one the CA issued it: the plan
    // shrinks as requests are completed).
    std::unordered_set<std::string_view> holding;
    for (std::size_t i = 0; i < reg.certificates.size(); ++i) {
        const CertState& cs = rp.certs[i];
        if (cs.considered && !cs.end && reg.certificates[i].holder.type == HolderType::org)
            holding.insert(cs.org_holder);
    }
    for (const PendingIssue& pi : rp.issues) {
        const OrgState* o = rp.org(pi.org_id);
        if (o == nullptr || !o->active || holding.count(o->id) > 0) continue;
        PlanAction a;
        a.action = ActionKind::issue;
        a.rule = "1.1a";
        a.event = pi.event;
        a.holder = HolderRef{HolderType::org, o->id};
        a.target = after.org(o->id);
        if (auto detail = too_long(a.target); !detail.empty()) {
            plan.warnings.push_back({"value_too_long", {}, a.holder, std::move(detail)});
        }
        ++plan.summary.issue;
        plan.actions.push_back(std::move(a));
    }

    // Rules 2.1/2.2: a token or HSM whose considered certificates are all revoked goes back.
    std::vector<std::vector<std::uint32_t>> by_device(reg.devices.size());
    for (std::size_t i = 0; i < reg.certificates.size(); ++i) {
        const Certificate& c = reg.certificates[i];
        if (rp.certs[i].considered && c.device_pos != Certificate::kNoPos) {
            by_device[c.device_pos].push_back(static_cast<std::uint32_t>(i));
        }
    }
    for (std::size_t di = 0; di < reg.devices.size(); ++di) {
        const Device& d = reg.devices[di];
        if (d.kind == DeviceKind::pki_sim) continue;  // rule 2.3: the SIM stays with its holder
        const auto& certs = by_device[di];
        if (certs.empty() ||
            !std::all_of(certs.begin(), certs.end(), [&](std::size_t i) { return revoked[i]; })) {
            continue;
        }
        PlanAction a;
        a.action = ActionKind::return_device;
        a.device = d.id;
        a.rule = d.holder.type == HolderType::person ? "2.2" : "2.1";
        for (std::size_t i : certs) a.certificates.push_back(reg.certificates[i].serial);
        std::sort(a.certificates.begin(), a.certificates.end(), SerialLess{});
        a.certificates.erase(std::unique(a.certificates.begin(), a.certificates.end()),
                             a.certificates.end());
        for (std::size_t i : certs) {
            if (rp.certs[i].end) a.event = rp.certs[i].end->event;  // the one that revoked the last
        }
        ++plan.summary.return_device;
        plan.actions.push_back(std::move(a));
    }

    // FORMATS.md §3 order: actions by serial as a number (without one first), then device, holder;
    // warnings by code, then serial, then holder.
    sort_by_key<PlanAction, OrderKey>(plan.actions, key_of, key_less);
    sort_by_key<PlanWarning, std::pair<std::string_view, OrderKey>>(
        plan.warnings,
        [](const PlanWarning& w) {
            const auto [negative, s] = serial_number(w.certificate);
            return std::pair<std::string_view, OrderKey>{
                w.code, OrderKey{!w.certificate.empty(),
                                 negative,
                                 s,
                                 {},
                                 w.holder ? std::string_view(w.holder->id) : "",
                                 0}};
        },
        [](const auto& x, const auto& y) {
            return x.first != y.first ? x.first < y.first : key_less(x.second, y.second);
        });
    return plan;
}

Result<Plan> make_plan(const Registry& registry, const std::vector<ReorgEvent>& events,
                       std::optional<Date> as_of) {
    auto rp = replay(registry, events, as_of.value_or(default_as_of(events)));
    if (!rp) return rp.error();
    return derive_plan(registry, *rp);
}

}  // namespace kyso::reorg
