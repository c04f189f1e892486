// kyso checks — `kyso fix`: apply the safe repairs of `kyso check` to a copy of a bundle.
#include "checks/fix.h"

#include <filesystem>

#include "core/messages.h"
#include "core/output_dir.h"
#include "text/csv.h"
#include "text/csv_writer.h"
#include "text/legacy.h"
#include "text/nfc.h"

namespace kyso::checks {

namespace fs = std::filesystem;

namespace {

// The id column of each file and its name column (legacy repairs apply to names only).
struct FileSpec {
    const char* file;
    const char* id;
    const char* name;
};
constexpr FileSpec kFiles[] = {{"organizations.csv", "id", "name"},
                               {"people.csv", "id", "full_name"},
                               {"devices.csv", "id", nullptr},
                               {"certificates.csv", "serial", nullptr}};

Status fix_file(const fs::path& src, const fs::path& dst, const FileSpec& spec,
                std::vector<Fix>& fixes) {
    auto reader = text::CsvReader::open(src.string(), spec.file);
    if (!reader) return reader.error();
    const auto id_col = reader->column(spec.id);
    const auto name_col = spec.name != nullptr ? reader->column(spec.name) : std::nullopt;
    text::CsvWriter out(dst.string());
    out.row(reader->header());
    while (true) {
        auto more = reader->next();
        if (!more) return more.error();
        if (!*more) break;
        std::vector<std::string> cells = reader->fields();
        const std::string id = id_col ? text::to_nfc(cells[*id_col]) : std::string();
        for (std::size_t c = 0; c < cells.size(); ++c) {
            // The repairs `kyso check` suggests, in order; each change is one line of fixes.csv.
            auto apply = [&](std::string value, const char* code) {
                if (value == cells[c]) return;
                fixes.push_back(
                    Fix{spec.file, reader->row(), reader->header()[c], id, cells[c], value, code});
                cells[c] = std::move(value);
            };
            const bool name = name_col && c == *name_col;
            if (name) {
                const bool person = spec.file == std::string_view("people.csv");
                if (auto repaired = text::repair_legacy(
                        cells[c], person ? text::NameKind::person : text::NameKind::organization))
                    apply(*repaired, "legacy_encoding");
            }
            apply(text::to_nfc(cells[c]), "not_nfc");
            if (!name) continue;
            apply(text::collapse_spaces(cells[c]), "stray_spaces");
            if (spec.file == std::string_view("people.csv") && text::all_capitals(cells[c]))
                apply(text::title_case(cells[c]), "all_capitals");
        }
        out.row(cells);
    }
    return out.close();
}

}  // namespace

Result<std::vector<Fix>> fix_bundle(const std::string& from_text, const std::string& to_text) {
    const fs::path from(from_text), to(to_text);
    std::error_code ec;
    if (!fs::is_directory(from, ec))
        return make_error("bundle.no_dir", Location{from_text, 0, {}, {}}, {from_text});
    if (!fs::exists(from / "organizations.csv", ec)) {
        return make_error("bundle.no_organizations", Location{"organizations.csv", 0, {}, {}},
                          {from_text});
    }
    // A target inside the source would be copied into itself.
    const std::string src_abs = fs::weakly_canonical(from, ec).string() + "/";
    if (fs::weakly_canonical(to, ec).string().rfind(src_abs, 0) == 0) {
        return make_error("fix.target_inside", Location{to_text, 0, {}, {}}, {to_text, from_text});
    }
    if (fs::exists(to, ec) && !fs::is_empty(to, ec)) {
        return make_error("fix.target_not_empty", Location{to_text, 0, {}, {}}, {to_text});
    }
    // The fixed bundle is written into a staging folder and put at `to` whole
    // (core/output_dir.h): nothing half-written is ever at `to`.
    auto staged = OutputDir::create(to_text, {});
    if (!staged) return staged.error();
    const fs::path work(staged->staging());
    fs::copy(from, work, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
    if (ec) return make_error("csv.write", Location{to_text, 0, {}, {}}, {ec.message()});
    std::vector<Fix> fixes;
    for (const FileSpec& spec : kFiles) {
        if (!fs::exists(from / spec.file, ec)) continue;
        if (auto s = fix_file(from / spec.file, work / spec.file, spec, fixes); !s) {
            return s.error();
        }
    }
    text::CsvWriter log((work / "fixes.csv").string(), text::CsvWriter::Neutralized{});
    log.row({"file", "row", "field", "id", "code", "before", "after"});
    for (const Fix& f : fixes)
        log.row({f.file, std::to_string(f.row), f.field, f.id, f.code, f.before, f.after});
    if (auto s = log.close(); !s) return s.error();
    if (auto s = staged->commit(); !s) return s.error();
    return fixes;
}

}  // namespace kyso::checks
