// kyso intake — a row's certificate serials and device linked to the registry's records by
// serial (intake_records.h; docs/intake.md, "Serials").
#include <optional>

#include "core/messages.h"
#include "core/values.h"
#include "intake/intake_records.h"
#include "store/identity.h"
#include "text/nfc.h"

namespace kyso::intake {

namespace {

// The serials of a cell: several may be separated by ';' (intake joins ',', ';', '|' and line
// breaks into ';').
std::vector<std::string> split_serials(const std::string& cell) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= cell.size()) {
        const std::size_t end = std::min(cell.find(';', start), cell.size());
        std::string part = text::collapse_spaces(cell.substr(start, end - start));
        if (!part.empty()) out.push_back(std::move(part));
        start = end + 1;
    }
    return out;
}

enum class KindText { device, no_device, unknown };

// The national CA's sheet names devices TOKEN, SIM, HSM; SOFT and RSSP keep no key on a device.
KindText device_kind_from_text(const std::string& text, DeviceKind& kind) {
    const std::string k = text::fold_for_matching(text);
    if (k == "token" || k == "usb token" || k == "pki token" || k == "usb_token" ||
        k == "usb-token" || k == "hard token") {
        kind = DeviceKind::usb_token;
    } else if (k == "sim" || k == "sim pki" || k == "pki sim" || k == "pki_sim" || k == "sim ca") {
        kind = DeviceKind::pki_sim;
    } else if (k == "hsm") {
        kind = DeviceKind::hsm;
    } else if (k == "soft" || k == "rssp" || k == "remote signing" || k == "ky so tu xa") {
        return KindText::no_device;
    } else {
        return KindText::unknown;
    }
    return KindText::device;
}

std::string holder_text(const HolderRef& h) {
    return h.id;
}

// A SIM's ICCID (ITU-T E.118): 19 or 20 digits starting with the telecom prefix 89.
bool looks_like_iccid(const std::string& serial) {
    const std::string key = store::device_serial_key(serial);
    return (key.size() == 19 || key.size() == 20) && key.rfind("89", 0) == 0 &&
           key.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

// Each serial of the row: normalized (core normalize_serial) and looked up among the registry's
// certificates as an integer. A match held by nobody or by this holder is written to
// certificates.csv with this holder; a match held by someone else is an error finding
// `certificate_holder_conflict` and is not written (nothing moves in silence); no match is a
// warning `serial_not_found`, text that is not hex or a serial over 20 octets (RFC 5280
// §4.1.2.2) a warning `serial_invalid`. Returns the rows
// (in certificates_) of the row's linked certificates.
std::vector<std::size_t> IntakeRecords::link_certificates(const IntakeRow& r,
                                                          const HolderRef& holder,
                                                          const RecordRef& ref) {
    std::vector<std::size_t> linked;
    const std::string row = std::to_string(r.row);
    for (const std::string& written : split_serials(r[IntakeField::serial])) {
        ++serials_read_;
        const auto serial = normalize_serial(written);
        if (!serial) {
            finding("serial_invalid", checks::Severity::warning, ref, "serial",
                    message("intake.serial_invalid", {row, r.sheet, written}, false));
            continue;
        }
        if (!serial_fits(*serial)) {  // RFC 5280 §4.1.2.2: no registry certificate has one
            finding(
                "serial_invalid", checks::Severity::warning, ref, "serial",
                message("intake.serial_too_long",
                        {row, r.sheet, written, std::to_string(serial_octets(*serial))}, false));
            continue;
        }
        if (auto seen = certificate_rows_.find(*serial); seen != certificate_rows_.end()) {
            const Certificate& c = certificates_[seen->second];
            if (c.holder == holder) {
                linked.push_back(seen->second);
            } else {
                finding("certificate_holder_conflict", checks::Severity::error, ref, "serial",
                        message("intake.certificate_holder_conflict",
                                {row, r.sheet, c.serial, holder_text(c.holder), holder.id}, false));
            }
            continue;
        }
        const Certificate* known = keys_.certificate(*serial);
        if (known == nullptr) {
            finding("serial_not_found", checks::Severity::warning, ref, "serial",
                    message("intake.serial_not_found", {row, r.sheet, *serial}, false));
            continue;
        }
        if (!known->holder.id.empty() && !(known->holder == holder)) {
            finding("certificate_holder_conflict", checks::Severity::error, ref, "serial",
                    message("intake.certificate_holder_conflict",
                            {row, r.sheet, known->serial, holder_text(known->holder), holder.id},
                            false));
            continue;
        }
        Certificate c = *known;
        c.holder = holder;
        if (!c.device_id.empty()) include_registry_device(c.device_id);
        ++serials_linked_;
        certificate_rows_.emplace(c.serial, certificates_.size());
        linked.push_back(certificates_.size());
        certificates_.push_back(std::move(c));
    }
    return linked;
}

// A registry device a written certificate names, written as the registry has it (with its
// holder), so that the bundle's references resolve.
void IntakeRecords::include_registry_device(const std::string& id) {
    if (keys_.empty() || device_rows_.count(id) != 0) return;
    const Device* d = keys_.registry()->device(id);
    if (d == nullptr) return;
    if (d->holder.type == HolderType::person) include_registry_person(d->holder.id);
    device_rows_.emplace(id, devices_.size());
    devices_.push_back(*d);
}

std::string IntakeRecords::free_device_id(std::string id) const {
    const std::string base = id;
    auto taken = [&](const std::string& candidate) {
        return device_rows_.count(candidate) != 0 ||
               (!keys_.empty() && keys_.registry()->device(candidate) != nullptr);
    };
    for (int n = 2; taken(id); ++n) id = base + "-" + std::to_string(n);
    return id;
}

// The row's device: matched to the registry's device by serial (store device_serial_key), whose
// id is kept and whose holder must be this holder (else an error finding
// `device_holder_conflict`, and nothing is written); a device the registry lacks gets the id
// "d-<serial>" ("d-<holder id>" without a serial). Without a kind, a serial that is an ICCID is
// a PKI SIM; otherwise an unknown or missing kind is a warning `unknown_device_kind` and no
// device. The row's linked certificates without a device are put on
// it; one the registry puts on another device keeps it, with a warning `device_mismatch`.
void IntakeRecords::link_device(const IntakeRow& r, const HolderRef& holder, const RecordRef& ref,
                                const std::vector<std::size_t>& row_certificates) {
    using F = IntakeField;
    const std::string& kind_text = r[F::device_kind];
    const std::string& serial = r[F::device_serial];
    if (kind_text.empty() && serial.empty()) return;
    const std::string row = std::to_string(r.row);
    DeviceKind kind = DeviceKind::usb_token;
    KindText parsed =
        kind_text.empty() ? KindText::unknown : device_kind_from_text(kind_text, kind);
    if (kind_text.empty() && looks_like_iccid(serial)) {
        kind = DeviceKind::pki_sim;
        parsed = KindText::device;
    }
    if (parsed == KindText::no_device) return;
    const Device* known = serial.empty() ? nullptr : keys_.device_by_serial(serial);
    if (parsed == KindText::unknown) {
        if (kind_text.empty()) {
            finding("unknown_device_kind", checks::Severity::warning, ref, "device_kind",
                    message("intake.device_kind_missing", {row, r.sheet, serial}, false));
        } else {
            finding("unknown_device_kind", checks::Severity::warning, ref, "device_kind",
                    message("intake.unknown_device_kind", {kind_text}, false));
        }
        if (known == nullptr) return;
        kind = known->kind;
    }
    if (known != nullptr && !(known->holder == holder)) {
        finding("device_holder_conflict", checks::Severity::error, ref, "device_serial",
                message("intake.device_holder_conflict",
                        {row, r.sheet, serial, known->id, holder_text(known->holder), holder.id},
                        false));
        return;
    }
    Device d;
    if (known != nullptr) {
        d = *known;
    } else {
        d.id = free_device_id(serial.empty() ? "d-" + holder.id : device_id_from_serial(serial));
        d.serial = serial;
        d.holder = holder;
    }
    if (auto seen = device_rows_.find(d.id); seen != device_rows_.end()) {
        const Device& first = devices_[seen->second];
        if (!(first.holder == holder)) {
            finding("device_holder_conflict", checks::Severity::error, ref, "device_serial",
                    message("intake.device_holder_conflict",
                            {row, r.sheet, serial, first.id, holder_text(first.holder), holder.id},
                            false));
            return;
        }
    } else {
        d.kind = kind;
        if (kind == DeviceKind::pki_sim) {
            const std::string& phone = r[F::phone];
            if (!phone.empty()) d.phone = phone;
            if (!r[F::carrier].empty()) d.carrier = r[F::carrier];
        }
        device_rows_.emplace(d.id, devices_.size());
        devices_.push_back(d);
    }
    for (const std::size_t i : row_certificates) {
        Certificate& c = certificates_[i];
        if (c.device_id.empty()) {
            c.device_id = d.id;
        } else if (c.device_id != d.id) {
            finding("device_mismatch", checks::Severity::warning, ref, "device_serial",
                    message("intake.device_mismatch", {row, r.sheet, c.serial, c.device_id, d.id},
                            false));
        }
    }
}

}  // namespace kyso::intake
