// kyso intake — certificate files into the register (certificate_files.h).
#include "intake/certificate_files.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "accounts/register_scope.h"
#include "core/messages.h"
#include "core/subject_profile.h"
#include "core/values.h"
#include "x509/certificate.h"

namespace kyso::intake {

namespace fs = std::filesystem;

namespace {

// Every certificate file under the given paths (files as given; folders recursively, sorted).
// A path that names nothing is a failure of its own (x509.not_found), not the end of the import.
std::vector<fs::path> certificate_files(const std::vector<std::string>& paths,
                                        std::vector<Error>& failed) {
    std::vector<fs::path> files;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<fs::path> found;
            for (const auto& entry : fs::recursive_directory_iterator(p, ec)) {
                if (entry.is_regular_file()) found.push_back(entry.path());
            }
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else if (fs::is_regular_file(p, ec)) {
            files.emplace_back(p);
        } else {
            failed.push_back(make_error("x509.not_found", Location{p, 0, {}, {}}, {}));
        }
    }
    return files;
}

// The subject as a lookup key: canonical attribute names, values as they are (NFC), and where
// an RDN is multi-valued (so `CN=A+E=a` is not the profile's `E=a,CN=A`).
std::string subject_key(const Subject& s) {
    std::string k;
    for (const auto& r : s) {
        if (r.joins_previous) k += '+';
        k += canonical_attribute(r.type);
        k += '=';
        k += r.value;
        k += '\x1f';
    }
    return k;
}

std::string holder_text(const HolderRef& h) {
    return std::string(to_string(h.type)) + " " + h.id;
}

}  // namespace

Result<CertificateFilesImport> import_certificate_files(store::Store& st, const User& user,
                                                        const std::string& actor,
                                                        const std::vector<std::string>& paths,
                                                        const std::string& source) {
    CertificateFilesImport out;
    const std::vector<fs::path> files = certificate_files(paths, out.failed);
    std::vector<x509::CertInfo> infos;
    for (const auto& f : files) {
        auto certs = x509::read_certificate_file(f.string());
        if (!certs) {
            out.failed.push_back(std::move(certs.error()));
            continue;
        }
        ++out.files_read;
        for (auto& c : *certs) infos.push_back(std::move(c));
    }
    auto reg = st.load_registry();
    if (!reg) return reg.error();
    // Holders by the subject the registry gives them (FORMATS.md §4).
    std::unordered_map<std::string, std::vector<HolderRef>> by_subject;
    for (const auto& org : reg->organizations) {
        if (auto s = registry_org_subject(*reg, org.id))
            by_subject[subject_key(*s)].push_back({HolderType::org, org.id});
    }
    for (const auto& p : reg->people) {
        if (auto s = registry_person_subject(*reg, p))
            by_subject[subject_key(*s)].push_back({HolderType::person, p.id});
    }
    // One certificate per integer serial, however many files carry it.
    std::map<std::string, const x509::CertInfo*, SerialLess> unique;
    for (const auto& c : infos) unique.emplace(c.serial, &c);
    std::vector<Certificate> written;
    for (const auto& [serial, info] : unique) {
        const auto it = by_subject.find(subject_key(info->subject));
        const HolderRef* match =
            it != by_subject.end() && it->second.size() == 1 ? &it->second.front() : nullptr;
        const Certificate* known = reg->certificate(serial);
        Certificate c = known != nullptr ? *known : Certificate{};
        c.serial = serial;
        // How the holder was found: the subject (FORMATS.md §4), or the registry, which a file
        // never overrides.
        std::string linked_by;
        if (known != nullptr && !known->unlinked()) {
            linked_by = match != nullptr && *match == known->holder ? "subject" : "registry";
            if (match != nullptr && !(*match == known->holder)) {
                out.kept.push_back(
                    message("intake.certs_holder_kept",
                            {serial, holder_text(known->holder), holder_text(*match)}));
            }
        } else if (match != nullptr) {
            c.holder = *match;
            linked_by = "subject";
        }
        c.subject = info->subject;
        c.subject_text = format_rfc4514(info->subject);
        c.not_before = info->not_before;
        c.not_after = info->not_after;
        c.not_after_date = info->not_after_date;
        c.issuer_text = format_rfc4514(info->issuer);
        c.sha256_cert = info->sha256_cert;
        c.sha256_key = info->sha256_key;
        c.der = info->der;
        CertificateFileEntry entry{serial, std::nullopt, linked_by, info->subject};
        if (!c.unlinked()) {
            if (linked_by == "subject") {
                ++out.linked;
            } else {
                out.registered.push_back(serial + "  " + c.subject_text);
            }
            entry.holder = c.holder;
        } else {
            out.unmatched.push_back(serial + "  " + c.subject_text);
        }
        out.certificates.push_back(std::move(entry));
        written.push_back(std::move(c));
    }
    if (!user.org_id.empty()) {  // a scoped writer: every holder written, in scope
        Registry incoming;
        incoming.certificates = written;
        incoming.reindex();
        if (auto in_scope = accounts::check_register_scope(*reg, incoming, {}, user); !in_scope)
            return in_scope.error();
    }
    if (!written.empty()) {
        if (auto s = st.upsert_certificates(written, actor, source); !s) return s.error();
    }
    return out;
}

std::string certificate_files_report(const CertificateFilesImport& result) {
    nlohmann::ordered_json rep = nlohmann::ordered_json::object();
    for (const CertificateFileEntry& e : result.certificates) {
        nlohmann::ordered_json subj = nlohmann::ordered_json::array();
        for (const auto& r : e.subject) {
            // The second and later attributes of a multi-valued RDN carry a third item, "+".
            if (r.joins_previous) {
                subj.push_back({r.type, r.value, "+"});
            } else {
                subj.push_back({r.type, r.value});
            }
        }
        if (e.holder) {
            rep[e.serial] = {{"holder", {std::string(to_string(e.holder->type)), e.holder->id}},
                             {"linked_by", e.linked_by},
                             {"subject", subj}};
        } else {
            rep[e.serial] = {{"holder", nullptr}, {"subject", subj}};
        }
    }
    return rep.dump(1) + "\n";
}

}  // namespace kyso::intake
