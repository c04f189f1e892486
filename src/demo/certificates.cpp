// kyso demo — key devices (USB tokens, PKI SIMs, HSMs) and the certificates on them.
#include <algorithm>
#include <array>
#include <cstdio>

#include "core/subject_profile.h"
#include "demo/generator.h"
#include "demo/names.h"

namespace kyso::demo::detail {

namespace {

constexpr Date kFirstIssue{2022, 1, 1};
constexpr Date kLastIssue{2025, 6, 30};
constexpr Date kOldFirstIssue{2019, 1, 1};
constexpr Date kOldLastIssue{2021, 12, 31};

// A person's subject is the levels of the organization (computed once per organization by the
// profile) followed by CN and E; its RFC 4514 text is E, CN, then the organization's text.
struct PersonSubjects {
    Subject levels;           // C, L, O, OU... of the people of one organization
    std::string levels_text;  // format_rfc4514(levels)

    void reset(const Registry& reg, const std::string& org_id) {
        Person probe;
        probe.org_id = org_id;
        levels = *registry_person_subject(reg, probe);
        levels.pop_back();  // the empty CN of the probe
        levels_text = format_rfc4514(levels);
    }

    Subject full(const Person& p) const {
        Subject s = levels;
        s.push_back({"CN", p.full_name});
        if (!p.email.empty()) s.push_back({"E", p.email});
        return s;
    }

    void text(const Person& p, std::string& out) const {
        out.clear();
        out.reserve(p.email.size() + p.full_name.size() + levels_text.size() + 12);
        if (!p.email.empty()) {
            out += "E=";
            out += escape_rfc4514_value(p.email);
            out += ',';
        }
        out += "CN=";
        out += escape_rfc4514_value(p.full_name);
        out += ',';
        out += levels_text;
    }
};

struct CertMaker {
    World& w;
    Rng& rng;
    std::uint32_t token_salt = 0;
    std::uint32_t tokens = 0;
    std::array<DistinctWalk, kPkiSimCarriers> iccid_walks;
    char buf[80];

    std::string add_device(DeviceKind kind, const HolderRef& holder, const Person* person) {
        Device& d = w.registry.devices.emplace_back();
        d.id = numbered("d", w.registry.devices.size(), 7);
        d.kind = kind;
        d.holder = holder;
        if (kind == DeviceKind::pki_sim) {
            // ICCID: 89 (telecom) 84 (Viet Nam), the issuer, 13 digits: 19 digits in all.
            const std::size_t c =
                w.person_carrier[static_cast<std::size_t>(person - w.registry.people.data())];
            const Carrier& carrier = carriers()[c];
            std::snprintf(buf, sizeof buf, "8984%.2s%013llu", carrier.iccid_issuer.data(),
                          static_cast<unsigned long long>(iccid_walks[c].next()));
            d.serial = buf;
            d.phone = person->phone;
            d.carrier = carrier.name;
        } else {
            const std::uint32_t serial = scramble32(token_salt + tokens++);
            std::snprintf(buf, sizeof buf, kind == DeviceKind::hsm ? "HSM-%08X" : "%08X", serial);
            d.serial = buf;
        }
        return d.id;
    }

    // 16 random bytes as 32 uppercase hex digits; the first nibble 1–7 keeps it positive
    // (RFC 5280 §4.1.2.2) and without a leading zero.
    void serial(std::string& out) {
        const std::uint64_t hi = rng.next();
        const std::uint64_t lo = rng.next();
        std::snprintf(buf, sizeof buf, "%X%015llX%016llX", static_cast<unsigned>(1 + rng.below(7)),
                      static_cast<unsigned long long>(hi >> 4),
                      static_cast<unsigned long long>(lo));
        out = buf;
    }

    Date day_between(const Date& from, const Date& to) {
        const auto span = static_cast<std::uint64_t>(to.days() - from.days() + 1);
        return Date::from_days(from.days() + static_cast<std::int64_t>(rng.below(span)));
    }

    void validity(Certificate& c, bool old) {
        const Date nb =
            old ? day_between(kOldFirstIssue, kOldLastIssue) : day_between(kFirstIssue, kLastIssue);
        int years = 3;
        if (!old) {
            const auto r = rng.below(100);
            years = r < 20 ? 2 : r < 65 ? 3 : r < 80 ? 4 : 5;
        }
        const int y = nb.year + years;
        const Date na{y, nb.month, std::min(nb.day, days_in_month(y, nb.month))};
        c.not_after_date = na;
        if (rng.per_mille(50)) {
            // Some rows carry the time of issue, as read from the certificate (UTC).
            // (One draw per statement: the order of evaluating arguments is unspecified.)
            const int hour = rng.between(0, 23);
            const int minute = rng.between(0, 59);
            const int second = rng.between(0, 59);
            std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", hour, minute, second);
            c.not_before = nb.str() + buf;
            c.not_after = na.str() + buf;
        } else {
            c.not_before = nb.str();
            c.not_after = na.str();
        }
    }

    // FORMATS.md §3 `subject_mismatch`: a level missing, or the name in capitals.
    void spoil(Subject& s) {
        auto last_ou =
            std::find_if(s.rbegin(), s.rend(), [](const Rdn& r) { return r.type == "OU"; });
        if (last_ou != s.rend() && rng.per_mille(500)) {
            s.erase(std::next(last_ou).base());
            return;
        }
        for (Rdn& r : s) {
            if (r.type == "CN") r.value = vietnamese_upper(r.value);
        }
    }

    // The subject computed from the registry (FORMATS.md §4), or now and then a spoiled one.
    void set_subject(Certificate& c, const Subject& subject) {
        if (rng.per_mille(10)) {
            Subject spoiled = subject;
            spoil(spoiled);
            c.subject_text = format_rfc4514(spoiled);
            if (!w.lean) c.subject = std::move(spoiled);
        } else {
            c.subject_text = format_rfc4514(subject);
            if (!w.lean) c.subject = subject;
        }
    }

    // The same for a person, without building the RDN list when only the text is needed.
    void set_subject(Certificate& c, const PersonSubjects& subjects, const Person& p,
                     bool may_spoil) {
        if (may_spoil && rng.per_mille(10)) {
            Subject spoiled = subjects.full(p);
            spoil(spoiled);
            c.subject_text = format_rfc4514(spoiled);
            if (!w.lean) c.subject = std::move(spoiled);
            return;
        }
        subjects.text(p, c.subject_text);
        if (!w.lean) c.subject = subjects.full(p);
    }

    Certificate& add_certificate(const HolderRef& holder, const std::string& device, bool old) {
        Certificate& c = w.registry.certificates.emplace_back();
        serial(c.serial);
        c.holder = holder;
        c.device_id = device;
        validity(c, old);
        c.status = (old ? rng.per_mille(500) : rng.per_mille(30)) ? CertStatus::revoked
                                                                  : CertStatus::valid;
        return c;
    }
};

}  // namespace

void build_certificates(World& w, Rng rng) {
    Registry& reg = w.registry;
    // The subject profile looks organizations up by id; only their index is needed here.
    reg.org_index.clear();
    reg.org_index.reserve(reg.organizations.size());
    for (std::size_t i = 0; i < reg.organizations.size(); ++i) {
        reg.org_index.try_emplace(reg.organizations[i].id, i);
    }

    const std::size_t expected = reg.people.size() + reg.organizations.size();
    reg.certificates.reserve(expected + expected / 50);
    reg.devices.reserve(expected + expected / 50);
    CertMaker maker{w, rng, static_cast<std::uint32_t>(rng.next()), 0, {}, {}};
    for (auto& walk : maker.iccid_walks) walk = DistinctWalk(rng.next(), 10'000'000'000'000ULL);

    PersonSubjects subjects;
    HolderRef holder;
    for (std::size_t o = 0; o < reg.organizations.size(); ++o) {
        const Organization& org = reg.organizations[o];
        // Every province committee has a certificate; a few other organizations have none yet
        // (so that some merges under a new name need an `issue`, FORMATS.md §3 rule 1.1a).
        const bool committee = org.current().kind == OrgKind::people_committee;
        if (org.current().superior_id.empty() || rng.per_mille(committee ? 940 : 890)) {
            holder = {HolderType::org, org.id};
            // Some provincial committees keep their key in an HSM.
            const bool hsm = org.current().superior_id.empty() && w.org_province[o] % 3 == 0;
            const std::string device =
                maker.add_device(hsm ? DeviceKind::hsm : DeviceKind::usb_token, holder, nullptr);
            Certificate& c = maker.add_certificate(holder, device, false);
            maker.set_subject(c, *registry_holder_subject(reg, holder));
        }
        if (w.staff_begin[o] == w.staff_begin[o + 1]) continue;
        subjects.reset(reg, org.id);
        for (std::size_t i = w.staff_begin[o]; i < w.staff_begin[o + 1]; ++i) {
            if (rng.per_mille(20)) continue;  // not (yet) a subscriber
            const Person& person = reg.people[i];
            holder = {HolderType::person, person.id};
            const bool sim_capable = w.person_carrier[i] < kPkiSimCarriers;
            std::string device;
            Certificate* old = nullptr;
            if (sim_capable && rng.per_mille(105)) {
                device = maker.add_device(DeviceKind::pki_sim, holder, &person);
            } else if (!rng.per_mille(3)) {
                device = maker.add_device(DeviceKind::usb_token, holder, nullptr);
                // A token renewed in place still holds its expired or revoked first certificate.
                if (rng.per_mille(12)) old = &maker.add_certificate(holder, device, true);
            }
            if (old != nullptr) maker.set_subject(*old, subjects, person, false);
            Certificate& c = maker.add_certificate(holder, device, false);
            maker.set_subject(c, subjects, person, true);
        }
    }
}

}  // namespace kyso::demo::detail
