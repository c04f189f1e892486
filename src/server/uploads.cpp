// kyso server — uploaded files (uploads.h).
#include "server/uploads.h"

#include <openssl/evp.h>

#include "jobs/job_kinds.h"
#include "server/records.h"

namespace kyso::server {

using nlohmann::json;

// Decoded base64 (RFC 4648 §4, no line breaks), or nullopt.
std::optional<std::string> from_base64(const std::string& text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    std::size_t pad = 0;
    if (!text.empty() && text.back() == '=') ++pad;
    if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

std::optional<Response> read_files(Context& ctx, const json& list, const std::string& field,
                                   const std::string& prefix, std::vector<store::JobFile>& files) {
    for (const json& f : list) {
        if (!f.is_object() || !f.contains("name") || !f["name"].is_string() ||
            !f.contains("content_base64") || !f["content_base64"].is_string())
            return ctx.fail(400, "server.field_value",
                            {field, f.dump().substr(0, 80), "{\"name\", \"content_base64\"}"},
                            field);
        const std::string name = f["name"].get<std::string>();
        if (!jobs::safe_job_file_name(prefix + name))
            return ctx.fail(400, "job.bad_file_name", {name}, field);
        auto content = from_base64(f["content_base64"].get<std::string>());
        if (!content) return ctx.fail(400, "job.bad_base64", {name}, field);
        files.push_back({prefix + name, std::move(*content)});
    }
    return std::nullopt;
}

json upload_schema() {
    return object_schema({{"name", str_schema()}, {"content_base64", str_schema()}},
                         {"name", "content_base64"});
}

}  // namespace kyso::server
