// kyso workflow — sign-in with the user's own public-service certificate over mutual TLS
// (issue 13 "Sign-in"): the TLS layer has checked the chain to --client-ca; here the
// certificate is checked against the registry and its holder's link to a user.
#include <nlohmann/json.hpp>

#include <ctime>
#include <span>

#include "core/messages.h"
#include "core/subject.h"
#include "workflow/sessions.h"
#include "x509/certificate.h"
#include "x509/handles.h"

namespace kyso::workflow {

namespace {

// The presented certificate equals the stored one: by fingerprint when the registry holds the
// certificate file, else by subject (FORMATS.md §3 same_subject over the parsed forms).
bool same_certificate(const store::StoredCertificate& stored, const x509::CertInfo& presented) {
    if (!stored.sha256_cert.empty()) return stored.sha256_cert == presented.sha256_cert;
    auto subject = parse_rfc4514(stored.subject_text);
    return subject && same_subject(*subject, presented.subject);
}

}  // namespace

Result<SignedIn> Sessions::sign_in_certificate(X509* client_cert, std::string_view address_in) {
    std::string address(address_in.substr(0, 64));
    if (auto s = rate_limited({}, address, "certificate"); !s) return s.error();
    std::string serial;
    const auto refuse = [&](std::string_view reason) -> Result<SignedIn> {
        std::vector<std::string> keys;
        if (!address.empty()) keys.push_back("addr:" + address);
        nlohmann::json detail = {
            {"method", "certificate"}, {"address", address}, {"reason", reason}};
        store::AuditNote note{
            "system:sign-in", "session.sign_in_failed",
            serial.empty() ? "session" : "certificate:" + serial,
            detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
        if (auto s = accounts_.record_failures(keys, clock_(), note); !s) return s.error();
        return make_error("auth.certificate_refused", Location{}, {});
    };
    if (client_cert == nullptr) return refuse("no_certificate");
    unsigned char* der = nullptr;
    const int size = i2d_X509(client_cert, &der);
    const x509::OpenSslBytes owned(der);
    if (size <= 0 || der == nullptr) return refuse("unreadable");
    auto info = x509::parse_der(std::span<const std::uint8_t>(der, static_cast<std::size_t>(size)));
    if (!info) return refuse("unreadable");
    serial = info->serial;

    auto stored = accounts_.certificate(serial);
    if (!stored) return stored.error();
    if (!*stored) return refuse("unknown");
    if (!same_certificate(**stored, *info)) return refuse("mismatch");
    if ((*stored)->status != "valid") return refuse("revoked");

    // RFC 5280 §4.1.2.5: valid from notBefore to notAfter inclusive.
    std::time_t now = static_cast<std::time_t>(clock_());
    const int from = X509_cmp_time(X509_get0_notBefore(client_cert), &now);
    const int until = X509_cmp_time(X509_get0_notAfter(client_cert), &now);
    if (from == 0 || until == 0) return refuse("unreadable");
    if (from > 0) return refuse("not_yet_valid");
    if (until < 0) return refuse("expired");

    if ((*stored)->holder_type != "person" || (*stored)->holder_id.empty())
        return refuse("not_a_person");
    auto user = accounts_.user_of_person((*stored)->holder_id);
    if (!user) return user.error();
    if (!*user) return refuse("not_linked");
    if ((*user)->disabled) return refuse("disabled");
    return open_session(**user, "certificate", address, serial);
}

}  // namespace kyso::workflow
