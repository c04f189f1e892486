// Sign-in with a public-service certificate over mutual TLS (issue 13 "Sign-in"), against the
// real binary with --tls-cert, --tls-key and --client-ca: a client CA and client certificates
// issued here by OpenSSL; the valid certificate of the person linked to a user signs that user
// in; the same person's revoked certificate (status in the registry), a certificate of the CA
// that the registry does not know, and one of another CA are refused; without a certificate,
// the password still works.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "core/subject.h"
#include "serve_process.h"
#include "server_harness.h"
#include "store/account_store.h"
#include "store/registered_state.h"
#include "x509/certificate.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

int sh(const std::string& command) {
    return std::system((command + " >/dev/null 2>&1").c_str());
}

// A key and a certificate `name`.pem/.key under `dir`, issued by `ca` (ca.pem, ca.key) with
// serial `serial` (hex), valid from yesterday for two days.
bool issue(const fs::path& dir, const std::string& name, const std::string& ca,
           const std::string& serial) {
    const std::string p = (dir / name).string(), c = (dir / ca).string();
    return sh("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/C=VN/CN=" +
              name + "' -keyout " + p + ".key -out " + p + ".csr") == 0 &&
           sh("openssl x509 -req -in " + p + ".csr -CA " + c + ".pem -CAkey " + c +
              ".key -set_serial 0x" + serial + " -days 2 -out " + p + ".pem") == 0;
}

bool make_ca(const fs::path& dir, const std::string& name) {
    const std::string p = (dir / name).string();
    return sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "
              "'/C=VN/O=Test/CN=" +
              name + "' -days 3 -keyout " + p + ".key -out " + p + ".pem") == 0;
}

// The certificate file `pem` entered in the registry as held by `person`, with `status`.
void register_certificate(const std::string& db, const std::string& pem, const std::string& person,
                          CertStatus status) {
    auto infos = x509::read_certificate_file(pem);
    ASSERT_TRUE(infos) << infos.error().describe(true);
    const x509::CertInfo& info = infos->front();
    Certificate c;
    c.serial = info.serial;
    c.holder = HolderRef{HolderType::person, person};
    c.subject = info.subject;
    c.subject_text = format_rfc4514(info.subject);
    c.issuer_text = format_rfc4514(info.issuer);
    c.not_before = info.not_before;
    c.not_after = info.not_after;
    c.not_after_date = info.not_after_date;
    c.status = status;
    c.sha256_cert = info.sha256_cert;
    c.sha256_key = info.sha256_key;
    c.der = info.der;
    auto st = store::open_store(db);
    ASSERT_TRUE(st);
    auto state = store::load_registered_state(**st);
    ASSERT_TRUE(state) << state.error().describe(true);
    state->registry.certificates.push_back(std::move(c));
    auto ok = (*st)->import_registry(state->registry, state->events, "test", "test:mtls");
    ASSERT_TRUE(ok) << ok.error().describe(true);
}

struct Answer {
    int status = 0;  // 0: no answer (the handshake failed)
    std::string body, cookie;
    std::string me;  // GET /api/v1/session with the cookie, after a sign-in
};

Answer certificate_sign_in(int port, const fs::path& dir, const std::string& client) {
    std::unique_ptr<httplib::SSLClient> c;
    if (client.empty()) {
        c = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
    } else {
        c = std::make_unique<httplib::SSLClient>("127.0.0.1", port,
                                                 (dir / (client + ".pem")).string(),
                                                 (dir / (client + ".key")).string());
    }
    c->set_ca_cert_path((dir / "server.pem").c_str());
    c->enable_server_certificate_verification(true);
    Answer a;
    auto r = c->Post("/api/v1/session/certificate", "{}", "application/json");
    if (!r) return a;
    a.status = r->status;
    a.body = r->body;
    a.cookie = r->get_header_value("Set-Cookie");
    if (a.status == 201) {
        auto me = c->Get("/api/v1/session", {{"Cookie", a.cookie.substr(0, a.cookie.find(';'))}});
        if (me) a.me = me->body;
    }
    return a;
}

TEST(ServeMutualTls, TheLinkedPersonsValidCertificateSignsInAndTheOthersAreRefused) {
    ServerFixture fx;
    fx.stop();
    const fs::path dir = fs::path(fx.db()).parent_path();
    ASSERT_EQ(sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
                 "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -days 2 -keyout " +
                 (dir / "server.key").string() + " -out " + (dir / "server.pem").string()),
              0);
    ASSERT_TRUE(make_ca(dir, "client-ca"));
    ASSERT_TRUE(make_ca(dir, "other-ca"));
    ASSERT_TRUE(issue(dir, "valid", "client-ca", "5A0001"));
    ASSERT_TRUE(issue(dir, "revoked", "client-ca", "5A0002"));
    ASSERT_TRUE(issue(dir, "unknown", "client-ca", "5A0003"));
    ASSERT_TRUE(issue(dir, "foreign", "other-ca", "5A0004"));
    register_certificate(fx.db(), (dir / "valid.pem").string(), fx.person(), CertStatus::valid);
    register_certificate(fx.db(), (dir / "revoked.pem").string(), fx.person(), CertStatus::revoked);
    {
        auto accounts = store::open_account_store(fx.db());
        ASSERT_TRUE(accounts);
        auto linked = (*accounts)->link_person(
            "officer", fx.person(), store::AuditNote{"admin", "user.person", "user:officer", "{}"});
        ASSERT_TRUE(linked) << linked.error().describe(true);
    }

    ServeProcess p(dir, {"--db", fx.db(), "--listen", "127.0.0.1:0", "--tls-cert",
                         (dir / "server.pem").string(), "--tls-key", (dir / "server.key").string(),
                         "--client-ca", (dir / "client-ca.pem").string()});
    const int port = p.port();
    ASSERT_GT(port, 0) << p.err();

    const Answer valid = certificate_sign_in(port, dir, "valid");
    ASSERT_EQ(valid.status, 201) << valid.body;
    EXPECT_NE(valid.cookie.find("; Secure"), std::string::npos);
    EXPECT_EQ(json::parse(valid.body, nullptr, false)["method"], "certificate") << valid.body;
    const json me = json::parse(valid.me, nullptr, false);
    EXPECT_EQ(me["user"]["username"], "officer") << valid.me;

    for (const char* refused : {"revoked", "unknown"}) {
        const Answer a = certificate_sign_in(port, dir, refused);
        EXPECT_EQ(a.status, 401) << refused << ": " << a.body;
        EXPECT_EQ(json::parse(a.body, nullptr, false)["error"]["code"], "auth.certificate_refused")
            << refused;
        EXPECT_TRUE(a.cookie.empty()) << refused;
    }
    // Another CA's certificate fails the handshake or is refused; never signs in.
    const Answer foreign = certificate_sign_in(port, dir, "foreign");
    EXPECT_NE(foreign.status, 201);
    // No client certificate: the certificate sign-in is refused, the password one still works.
    EXPECT_EQ(certificate_sign_in(port, dir, "").status, 401);
    httplib::SSLClient c("127.0.0.1", port);
    c.set_ca_cert_path((dir / "server.pem").c_str());
    auto pw = c.Post("/api/v1/session", json{{"username", "head"}, {"password", kPassword}}.dump(),
                     "application/json");
    ASSERT_TRUE(pw);
    EXPECT_EQ(pw->status, 201);
    EXPECT_EQ(p.terminate(), 0);

    // The refusals are audited with their reason (not told to the client).
    auto wf = store::open_workflow_store(fx.db());
    ASSERT_TRUE(wf);
    auto entries = (*wf)->audit_entries();
    ASSERT_TRUE(entries);
    std::string reasons;
    for (const auto& e : *entries)
        if (e.action == "session.sign_in_failed")
            reasons += json::parse(e.detail, nullptr, false).value("reason", "") + " ";
    EXPECT_NE(reasons.find("revoked"), std::string::npos) << reasons;
    EXPECT_NE(reasons.find("unknown"), std::string::npos) << reasons;
}

}  // namespace

}  // namespace kyso::server::test
