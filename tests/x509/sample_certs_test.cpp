// Tests: every file of the shared sample certificates is read and matches expected.json.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/subject.h"
#include "x509/certificate.h"

namespace {

const std::filesystem::path kSamples = KYSO_TEST_DATA "/sample-certs";

std::map<std::string, kyso::Subject> expected_subjects() {
    std::ifstream in(kSamples / "expected.json");
    const auto json = nlohmann::json::parse(in);
    std::map<std::string, kyso::Subject> out;
    for (const auto& [serial, entry] : json.items()) {
        kyso::Subject subject;
        for (const auto& rdn : entry.at("subject")) {
            subject.push_back({rdn.at(0).get<std::string>(), rdn.at(1).get<std::string>()});
        }
        out.emplace(serial, std::move(subject));
    }
    return out;
}

TEST(SampleCertificates, EveryFileReadsAndSubjectsMatchExpected) {
    ASSERT_TRUE(std::filesystem::is_directory(kSamples / "files")) << kSamples;
    const auto expected = expected_subjects();
    ASSERT_FALSE(expected.empty());

    std::set<std::string> seen;
    std::map<std::string, int> files_by_kind;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(kSamples / "files")) {
        if (!entry.is_regular_file()) continue;
        const std::string file = entry.path().string();
        const std::string ext = entry.path().extension().string();
        ++files_by_kind[ext];
        auto certs = kyso::x509::read_certificate_file(file);
        ASSERT_TRUE(certs) << certs.error().describe(true);
        ASSERT_FALSE(certs->empty()) << file;
        if (ext == ".cer" || entry.path().parent_path().filename() == "pem") {
            EXPECT_EQ(certs->size(), 1U) << file;
        }
        for (const auto& c : *certs) {
            seen.insert(c.serial);
            const auto it = expected.find(c.serial);
            ASSERT_NE(it, expected.end()) << file << ": unexpected serial " << c.serial;
            EXPECT_EQ(c.subject, it->second) << file << ": " << kyso::format_rfc4514(c.subject);
            EXPECT_EQ(c.sha256_cert.size(), 64U);
            EXPECT_EQ(c.sha256_key.size(), 64U);
            EXPECT_LT(c.not_before_date, c.not_after_date);
        }
    }
    EXPECT_GT(files_by_kind[".pem"], 0);
    EXPECT_GT(files_by_kind[".crt"], 0);
    EXPECT_GT(files_by_kind[".cer"], 0);
    EXPECT_GT(files_by_kind[".p7b"], 0);

    std::set<std::string> keys;
    for (const auto& [serial, subject] : expected) keys.insert(serial);
    EXPECT_EQ(seen, keys);
}

}  // namespace
