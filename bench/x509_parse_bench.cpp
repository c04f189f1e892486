// kyso bench — parsing DER certificates: bare OpenSSL d2i_X509 against kyso::x509::parse_der.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "x509/certificate.h"
#include "x509/handles.h"
#include "x509/name.h"

namespace {

using kyso::x509::EvpPkeyPtr;
using kyso::x509::X509Ptr;

constexpr int kCertificates = 2000;

[[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "bench setup failed: %s\n", what);
    std::exit(1);
}

kyso::x509::X509NamePtr name(const kyso::Subject& subject) {
    auto built = kyso::x509::build_name(subject);
    if (!built) die(built.error().message_en.c_str());
    return std::move(*built);
}

kyso::Subject person_subject(int i) {
    static const char* const kFamily[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng"};
    static const char* const kGiven[] = {"Văn Ấn", "Thị Bích Ngọc", "Đức Ước", "Quang Trường"};
    const std::string n = std::to_string(i);
    return {{"C", "VN"},
            {"L", "Tỉnh Sông Lam"},
            {"O", "Ủy ban nhân dân tỉnh Sông Lam"},
            {"OU", "Sở Thông tin và Truyền thông tỉnh Sông Lam"},
            {"OU", "Trung tâm Công nghệ thông tin số " + n},
            {"CN", std::string(kFamily[i % 7]) + " " + kGiven[i % 4]},
            {"E", "canbo." + n + "@songlam.gov.vn"}};
}

// kCertificates EC P-256 certificates issued by one CA, as DER, made once.
const std::vector<std::vector<std::uint8_t>>& certificates() {
    static const std::vector<std::vector<std::uint8_t>> ders = [] {
        const EvpPkeyPtr ca_key(EVP_EC_gen("P-256"));
        if (!ca_key) die("CA key");
        const auto issuer = name({{"C", "VN"},
                                  {"O", "Cơ quan chứng thực thử nghiệm"},
                                  {"CN", "CA thử nghiệm chữ ký số chuyên dùng"}});
        std::vector<std::vector<std::uint8_t>> out;
        out.reserve(kCertificates);
        for (int i = 0; i < kCertificates; ++i) {
            const EvpPkeyPtr key(EVP_EC_gen("P-256"));
            const X509Ptr cert(X509_new());
            if (!key || !cert) die("key");
            unsigned char serial[16];
            RAND_bytes(serial, sizeof serial);
            serial[0] &= 0x7F;
            const kyso::x509::BignumPtr bn(BN_bin2bn(serial, sizeof serial, nullptr));
            const kyso::x509::Asn1IntegerPtr asn1_serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
            const auto subject = name(person_subject(i));
            X509_set_version(cert.get(), X509_VERSION_3);
            X509_set_serialNumber(cert.get(), asn1_serial.get());
            X509_set_subject_name(cert.get(), subject.get());
            X509_set_issuer_name(cert.get(), issuer.get());
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
            X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3L * 365 * 24 * 3600);
            X509_set_pubkey(cert.get(), key.get());
            const kyso::x509::X509ExtensionPtr usage(X509V3_EXT_conf_nid(
                nullptr, nullptr, NID_key_usage, "critical,digitalSignature,nonRepudiation"));
            if (!usage || X509_add_ext(cert.get(), usage.get(), -1) != 1) die("keyUsage");
            if (X509_sign(cert.get(), ca_key.get(), EVP_sha256()) <= 0) die("sign");
            unsigned char* der = nullptr;
            const int n = i2d_X509(cert.get(), &der);
            if (n <= 0) die("i2d_X509");
            out.emplace_back(der, der + n);
            OPENSSL_free(der);
        }
        return out;
    }();
    return ders;
}

void BM_RawD2iX509(benchmark::State& state) {
    const auto& ders = certificates();
    for (auto _ : state) {
        for (const auto& der : ders) {
            const unsigned char* p = der.data();
            X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
            benchmark::DoNotOptimize(cert);
            X509_free(cert);
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ders.size()));
}
BENCHMARK(BM_RawD2iX509)->Unit(benchmark::kMillisecond);

void BM_KysoParseDer(benchmark::State& state) {
    const auto& ders = certificates();
    for (auto _ : state) {
        for (const auto& der : ders) {
            auto info = kyso::x509::parse_der(der);
            if (!info) state.SkipWithError("parse_der failed");
            benchmark::DoNotOptimize(info);
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ders.size()));
}
BENCHMARK(BM_KysoParseDer)->Unit(benchmark::kMillisecond);

// The same certificates as one PEM bundle: adds base64 and block scanning.
void BM_KysoReadPemBundle(benchmark::State& state) {
    const auto& ders = certificates();
    std::string bundle;
    for (const auto& der : ders) bundle += kyso::x509::to_pem(der);
    for (auto _ : state) {
        auto certs = kyso::x509::read_certificates(bundle, "bench.pem");
        if (!certs || certs->size() != ders.size()) state.SkipWithError("read_certificates failed");
        benchmark::DoNotOptimize(certs);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ders.size()));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bundle.size()));
}
BENCHMARK(BM_KysoReadPemBundle)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
