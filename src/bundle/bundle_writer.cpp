// kyso bundle — writing a registry bundle (FORMATS.md §1) and its events.json.
#include <filesystem>

#include "bundle/bundle.h"
#include "bundle/events_json.h"
#include "core/atomic_file.h"
#include "core/messages.h"
#include "core/output_dir.h"
#include "text/csv_writer.h"
#include "x509/certificate.h"

namespace kyso::bundle {

namespace fs = std::filesystem;

namespace {

Status write_files(const fs::path& root, const Registry& reg, const std::vector<ReorgEvent>& events,
                   bool with_pem) {
    std::error_code ec;

    text::CsvWriter orgs((root / "organizations.csv").string());
    orgs.row({"id", "name", "superior_id", "province", "agency_code", "kind", "admin_unit"});
    for (const auto& o : reg.organizations) {
        // The registered state; later versions come from the events, which are written too. An
        // organization that an applied event created is left for that event to create again.
        const OrgVersion& v = o.versions.front();
        if (!v.event_id.empty()) continue;
        orgs.row({o.id, v.name, v.superior_id, v.province, v.agency_code, to_string(v.kind),
                  v.admin_unit});
    }
    if (auto s = orgs.close(); !s) return s;

    text::CsvWriter people((root / "people.csv").string());
    people.row({"id", "full_name", "cccd", "date_of_birth", "email", "phone", "org_id", "position",
                "cccd_issued_on", "cccd_issued_by"});
    for (const auto& p : reg.people) {
        people.row({p.id, p.full_name, p.cccd, p.date_of_birth, p.email, p.phone, p.org_id,
                    p.position, p.cccd_issued_on, p.cccd_issued_by});
    }
    if (auto s = people.close(); !s) return s;

    text::CsvWriter devices((root / "devices.csv").string());
    devices.row({"id", "kind", "serial", "phone", "carrier", "holder_type", "holder_id"});
    for (const auto& d : reg.devices) {
        devices.row({d.id, to_string(d.kind), d.serial, d.phone, d.carrier,
                     to_string(d.holder.type), d.holder.id});
    }
    if (auto s = devices.close(); !s) return s;

    if (with_pem) fs::create_directories(root / "certs", ec);
    if (ec)
        return make_error("csv.write", Location{(root / "certs").string(), 0, {}, {}},
                          {ec.message()});
    text::CsvWriter certs((root / "certificates.csv").string());
    certs.row({"serial", "holder_type", "holder_id", "device_id", "subject", "not_before",
               "not_after", "status", "pem"});
    for (const auto& c : reg.certificates) {
        std::string pem = c.pem;
        if (with_pem && !c.der.empty()) {
            pem = "certs/" + c.serial + ".pem";
            if (auto s = write_new_file((root / pem).string(), x509::to_pem(c.der)); !s) return s;
        }
        // An unlinked certificate has both holder fields empty (FORMATS.md §1).
        const std::string_view holder_type = c.unlinked() ? "" : to_string(c.holder.type);
        certs.row({c.serial, holder_type, c.holder.id, c.device_id, c.subject_text, c.not_before,
                   c.not_after, to_string(c.status), pem});
    }
    if (auto s = certs.close(); !s) return s;

    return write_new_file((root / "events.json").string(), events_to_json(events));
}

}  // namespace

Status write_bundle(const std::string& dir, const Registry& reg,
                    const std::vector<ReorgEvent>& events, bool with_pem) {
    auto staged = OutputDir::create(dir, {"organizations.csv", "people.csv", "devices.csv",
                                          "certificates.csv", "events.json", "certs"});
    if (!staged) return staged.error();
    if (auto s = write_files(staged->staging(), reg, events, with_pem); !s) {
        Error e = s.error();
        if (e.where.file.rfind(staged->staging(), 0) == 0)
            e.where.file = dir + e.where.file.substr(staged->staging().size());
        return e;
    }
    return staged->commit();
}

}  // namespace kyso::bundle
