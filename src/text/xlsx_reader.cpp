// kyso text — reading the cells of an .xlsx workbook (libzip + pugixml) as NFC UTF-8 text.
#include "text/xlsx_reader.h"

#include <unicode/utf8.h>
#include <zip.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <pugixml.hpp>
#include <unordered_map>
#include <utility>

#include "core/messages.h"
#include "text/nfc.h"

namespace kyso::text {

namespace {

// ---- the package: a ZIP read from memory -------------------------------------------------------

struct ZipDiscard {
    void operator()(zip_t* z) const { zip_discard(z); }  // read-only: never write anything back
};
struct ZipSourceFree {
    void operator()(zip_source_t* s) const { zip_source_free(s); }
};
struct ZipFileClose {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct ZipErrorScope {
    zip_error_t error;
    ZipErrorScope() { zip_error_init(&error); }
    ZipErrorScope(const ZipErrorScope&) = delete;
    ZipErrorScope& operator=(const ZipErrorScope&) = delete;
    ~ZipErrorScope() { zip_error_fini(&error); }
};

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

class Package {
public:
    // `bytes` must outlive the package: libzip reads them in place.
    static Result<Package> open(std::string_view bytes, const std::string& name,
                                const XlsxLimits& limits) {
        ZipErrorScope err;
        // libzip opens zero bytes as a new, empty archive; the smallest real ZIP is its 22-byte
        // end-of-directory record.
        if (bytes.size() < 22) {
            zip_error_set(&err.error, ZIP_ER_NOZIP, 0);
            return make_error("xlsx.not_zip", Location{name, 0, "", ""},
                              {zip_error_strerror(&err.error)});
        }
        std::unique_ptr<zip_source_t, ZipSourceFree> source(
            zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err.error));
        if (!source) {
            return make_error("xlsx.not_zip", Location{name, 0, "", ""},
                              {zip_error_strerror(&err.error)});
        }
        zip_t* archive = zip_open_from_source(source.get(), ZIP_RDONLY, &err.error);
        if (archive == nullptr) {
            return make_error("xlsx.not_zip", Location{name, 0, "", ""},
                              {zip_error_strerror(&err.error)});
        }
        source.release();  // the archive owns the source now
        Package p(std::unique_ptr<zip_t, ZipDiscard>(archive), name, limits);
        // OPC (ECMA-376 Part 2 §6.2.2.3): part names compare case-insensitively. One index up
        // front, so a workbook with many sheets does not scan the directory once per sheet.
        const zip_int64_t entries = zip_get_num_entries(archive, 0);
        for (zip_int64_t i = 0; i < entries; ++i) {
            const char* entry = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0);
            if (entry != nullptr)
                p.index_.emplace(lower_ascii(entry), static_cast<zip_uint64_t>(i));
        }
        return p;
    }

    // The uncompressed bytes of `part` ("xl/workbook.xml"); nullopt when there is no such entry.
    Result<std::optional<std::string>> read(const std::string& part) {
        const auto it = index_.find(lower_ascii(part));
        if (it == index_.end()) return std::optional<std::string>();
        const Location where{name_, 0, "", ""};
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(zip_.get(), it->second, 0, &st) != 0)
            return make_error("xlsx.zip_read", where, {part, zip_strerror(zip_.get())});
        // Zip-bomb guard, first on the size the directory declares ...
        const std::size_t limit = limits_.max_part_bytes;
        if ((st.valid & ZIP_STAT_SIZE) != 0 && st.size > limit)
            return make_error("xlsx.part_too_large", where, {part, std::to_string(limit)});
        std::unique_ptr<zip_file_t, ZipFileClose> file(zip_fopen_index(zip_.get(), it->second, 0));
        if (!file) return make_error("xlsx.zip_read", where, {part, zip_strerror(zip_.get())});
        // ... then on what actually comes out, which a forged directory can understate.
        std::string data;
        if ((st.valid & ZIP_STAT_SIZE) != 0) data.reserve(st.size);  // at most `limit`
        std::array<char, 64 << 10> chunk;
        while (true) {
            const zip_int64_t n = zip_fread(file.get(), chunk.data(), chunk.size());
            if (n < 0) {
                return make_error("xlsx.zip_read", where, {part, zip_file_strerror(file.get())});
            }
            if (n == 0) break;
            const auto got = static_cast<std::size_t>(n);
            if (data.size() + got > limit)
                return make_error("xlsx.part_too_large", where, {part, std::to_string(limit)});
            if (inflated_ + data.size() + got > limits_.max_inflated_bytes) {
                return make_error("xlsx.too_much_data", where,
                                  {std::to_string(limits_.max_inflated_bytes)});
            }
            data.append(chunk.data(), got);
        }
        inflated_ += data.size();
        return std::optional<std::string>(std::move(data));
    }

private:
    Package(std::unique_ptr<zip_t, ZipDiscard> zip, std::string name, XlsxLimits limits)
        : zip_(std::move(zip)), name_(std::move(name)), limits_(limits) {}

    std::unique_ptr<zip_t, ZipDiscard> zip_;
    std::string name_;
    XlsxLimits limits_;
    std::unordered_map<std::string, zip_uint64_t> index_;
    std::size_t inflated_ = 0;  // bytes of all parts read so far
};

// ---- XML --------------------------------------------------------------------------------------

// pugixml neither loads DTDs nor expands custom entities, so there are no external-entity or
// entity-expansion attacks. Whitespace-only text is kept when it is the whole element (a cell
// holding " "); indentation between elements is dropped. The first text of an element is kept in
// the element itself, not a node of its own (parse_embed_pcdata): a cell's <v> then costs one
// node, not two, and the parsed sheet a third less.
constexpr unsigned kParseOptions =
    pugi::parse_default | pugi::parse_ws_pcdata_single | pugi::parse_embed_pcdata;

// The memory pugixml holds, counted by its allocation functions (set once for the process, before
// main: pugixml must free with the function that allocated). While an XmlBudget is alive on a
// thread, an allocation that would take the count past its cap fails, and pugixml reports
// status_out_of_memory: a document never grows past the cap, whatever the shape of the XML.
std::atomic<std::size_t> g_xml_live{0};
thread_local std::size_t t_xml_cap = 0;  // 0: no cap on this thread

constexpr std::size_t kAllocHeader = alignof(std::max_align_t);

void* xml_allocate(std::size_t size) {
    const std::size_t live = g_xml_live.load(std::memory_order_relaxed);
    if (t_xml_cap != 0 && (size > t_xml_cap || live > t_xml_cap - size)) return nullptr;
    auto* p = static_cast<unsigned char*>(std::malloc(size + kAllocHeader));
    if (p == nullptr) return nullptr;
    std::memcpy(p, &size, sizeof size);
    g_xml_live.fetch_add(size, std::memory_order_relaxed);
    return p + kAllocHeader;
}

void xml_deallocate(void* ptr) {
    if (ptr == nullptr) return;
    auto* p = static_cast<unsigned char*>(ptr) - kAllocHeader;
    std::size_t size = 0;
    std::memcpy(&size, p, sizeof size);
    g_xml_live.fetch_sub(size, std::memory_order_relaxed);
    std::free(p);
}

[[maybe_unused]] const bool g_xml_allocator_set = [] {
    pugi::set_memory_management_functions(xml_allocate, xml_deallocate);
    return true;
}();

// Caps pugixml's memory on this thread for the life of the object.
class XmlBudget {
public:
    explicit XmlBudget(std::size_t cap) : saved_(t_xml_cap) { t_xml_cap = cap; }
    XmlBudget(const XmlBudget&) = delete;
    XmlBudget& operator=(const XmlBudget&) = delete;
    ~XmlBudget() { t_xml_cap = saved_; }

private:
    std::size_t saved_;
};

struct XmlPart {
    std::string buffer;  // parsed in place: the document points into it
    pugi::xml_document doc;
};

Result<std::unique_ptr<XmlPart>> parse_xml(std::string data, const std::string& part,
                                           const std::string& name, std::size_t budget) {
    auto xml = std::make_unique<XmlPart>();
    xml->buffer = std::move(data);
    const pugi::xml_parse_result r = xml->doc.load_buffer_inplace(
        xml->buffer.data(), xml->buffer.size(), kParseOptions, pugi::encoding_auto);
    if (r.status == pugi::status_out_of_memory) {
        return make_error("xlsx.xml_too_large", Location{name, 0, "", ""},
                          {part, std::to_string(budget >> 20)});
    }
    if (!r) {
        return make_error("xlsx.bad_xml", Location{name, 0, "", ""},
                          {part, std::to_string(r.offset), r.description()});
    }
    return xml;
}

// Element and attribute names without their namespace prefix: producers differ ("x:row" from
// the .NET Open XML SDK, "row" from Excel).
std::string_view local_name(const char* qualified) {
    const std::string_view s(qualified);
    const auto colon = s.rfind(':');
    return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node parent, std::string_view local) {
    for (pugi::xml_node n = parent.first_child(); n; n = n.next_sibling()) {
        if (n.type() == pugi::node_element && local_name(n.name()) == local) return n;
    }
    return {};
}

// The root element, whatever it is called.
pugi::xml_node root(const XmlPart& xml) {
    for (pugi::xml_node n = xml.doc.first_child(); n; n = n.next_sibling()) {
        if (n.type() == pugi::node_element) return n;
    }
    return {};
}

std::string_view attr(pugi::xml_node node, std::string_view local) {
    for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
        if (local_name(a.name()) == local) return a.value();
    }
    return {};
}

bool has_attr(pugi::xml_node node, std::string_view local) {
    for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
        if (local_name(a.name()) == local) return true;
    }
    return false;
}

// All character data directly inside `node` (text and CDATA pieces together): the embedded first
// text, then the pieces after it.
void append_text(std::string& out, pugi::xml_node node) {
    if (node.type() == pugi::node_element) out += node.value();
    for (pugi::xml_node n = node.first_child(); n; n = n.next_sibling()) {
        if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) out += n.value();
    }
}

// A string item (<si> or <is>): its own <t>, or the <t> of each rich text run <r>. Phonetic
// guides (<rPh>) repeat the text in kana and are not part of the value.
std::string string_item(pugi::xml_node item) {
    std::string out;
    for (pugi::xml_node n = item.first_child(); n; n = n.next_sibling()) {
        if (n.type() != pugi::node_element) continue;
        const std::string_view kind = local_name(n.name());
        if (kind == "t") {
            append_text(out, n);
        } else if (kind == "r") {
            append_text(out, child(n, "t"));
        }
    }
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// ECMA-376 Part 1 §22.4.2.4 (ST_Xstring): characters XML cannot hold are written _xHHHH_ (a
// carriage return is _x000D_, a literal "_x" is escaped as _x005F_x).
std::string decode_xstring(std::string_view s) {
    if (s.find("_x") == std::string_view::npos) return std::string(s);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '_' && i + 7 <= s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
            int code = 0;
            bool hex = true;
            for (std::size_t k = i + 2; k < i + 6; ++k) {
                const int d = hex_digit(s[k]);
                hex = hex && d >= 0;
                code = code * 16 + d;
            }
            if (hex && code != 0 && (code < 0xD800 || code > 0xDFFF)) {
                char buf[U8_MAX_LENGTH];
                std::int32_t n = 0;
                U8_APPEND_UNSAFE(buf, n, code);
                out.append(buf, static_cast<std::size_t>(n));
                i += 6;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

// ---- relationships and part names --------------------------------------------------------------

struct Relationship {
    std::string type;
    std::string target;  // resolved part name, no leading "/"
    bool external = false;
};
using Relationships = std::map<std::string, Relationship>;  // by Id: a deterministic choice

std::string folder_of(std::string_view part) {
    const auto slash = part.rfind('/');
    return slash == std::string_view::npos ? std::string() : std::string(part.substr(0, slash + 1));
}

// OPC: a target is a URI relative to the folder of the part that holds the relationship;
// "/xl/worksheets/sheet1.xml" starts from the package root. Percent escapes and "." / ".."
// segments are resolved; ".." never climbs above the root.
std::string resolve_target(std::string_view source_folder, std::string_view target) {
    std::string raw = target.starts_with('/') ? std::string(target.substr(1))
                                              : std::string(source_folder) + std::string(target);
    std::string decoded;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '%' && i + 2 < raw.size() && hex_digit(raw[i + 1]) >= 0 &&
            hex_digit(raw[i + 2]) >= 0) {
            decoded += static_cast<char>(hex_digit(raw[i + 1]) * 16 + hex_digit(raw[i + 2]));
            i += 2;
        } else {
            decoded += raw[i];
        }
    }
    std::vector<std::string_view> segments;
    std::string_view rest(decoded);
    while (!rest.empty()) {
        const auto slash = rest.find('/');
        const std::string_view seg = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        if (seg.empty() || seg == ".") continue;
        if (seg == "..") {
            if (!segments.empty()) segments.pop_back();
            continue;
        }
        segments.push_back(seg);
    }
    std::string out;
    for (const auto seg : segments) {
        if (!out.empty()) out += '/';
        out += seg;
    }
    return out;
}

// "xl/workbook.xml" → "xl/_rels/workbook.xml.rels".
std::string rels_part_of(std::string_view part) {
    const auto slash = part.rfind('/');
    const std::string_view file = slash == std::string_view::npos ? part : part.substr(slash + 1);
    return folder_of(part) + "_rels/" + std::string(file) + ".rels";
}

bool type_is(std::string_view type, std::string_view last_segment) {
    // Transitional and Strict OOXML differ in the namespace, not in the last segment.
    return type.size() > last_segment.size() && type.ends_with(last_segment) &&
           type[type.size() - last_segment.size() - 1] == '/';
}

// ---- cells ------------------------------------------------------------------------------------

// Excel's grid: columns A..XFD, so at most three letters.
constexpr std::size_t kExcelColumns = 16384;

struct CellRef {
    std::size_t column = 0;  // 1-based
    std::size_t row = 0;     // 1-based
};

// "B7" (letters then a row number without leading zeros); nullopt for anything else.
std::optional<CellRef> parse_cell_ref(std::string_view s) {
    CellRef ref;
    std::size_t i = 0;
    for (; i < s.size() && i < 4; ++i) {
        char c = s[i];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') break;
        ref.column = ref.column * 26 + static_cast<std::size_t>(c - 'A' + 1);
    }
    if (i == 0 || ref.column > kExcelColumns) return std::nullopt;
    const std::string_view digits = s.substr(i);
    if (digits.empty() || digits.size() > 9 || digits[0] == '0') return std::nullopt;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        ref.row = ref.row * 10 + static_cast<std::size_t>(c - '0');
    }
    return ref;
}

// A decimal number without sign or leading zeros, below 10^9 (row numbers, string indexes).
std::optional<std::size_t> parse_number(std::string_view s) {
    if (s.empty() || s.size() > 9 || (s[0] == '0' && s.size() > 1)) return std::nullopt;
    std::size_t n = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    return n;
}

// How Excel writes a sheet in a reference: quoted when the name is not a plain word.
std::string sheet_prefix(std::string_view sheet) {
    bool plain = !sheet.empty();
    for (char c : sheet) {
        const auto u = static_cast<unsigned char>(c);
        plain = plain && (u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                          (c >= 'a' && c <= 'z') || c == '_' || c == '.');
    }
    if (plain) return std::string(sheet) + "!";
    std::string out = "'";
    for (char c : sheet) {
        out += c;
        if (c == '\'') out += '\'';
    }
    return out + "'!";
}

class WorkbookReader {
public:
    WorkbookReader(Package package, std::string name, const XlsxLimits& limits)
        : package_(std::move(package)), name_(std::move(name)), limits_(limits) {}

    Result<std::vector<Sheet>> read() {
        auto workbook_part = find_workbook();
        if (!workbook_part) return workbook_part.error();
        auto workbook = load_xml(*workbook_part);
        if (!workbook) return workbook.error();
        // Any OPC package (.docx too) has a main part; only a workbook has <workbook>.
        if (!*workbook || local_name(root(**workbook).name()) != "workbook")
            return make_error("xlsx.no_workbook", Location{name_, 0, "", ""});
        const std::string rels_part = rels_part_of(*workbook_part);
        auto rels = load_relationships(rels_part, folder_of(*workbook_part));
        if (!rels) return rels.error();

        if (auto st = load_shared_strings(*rels); !st.ok()) return st.error();

        auto date1904 = date_system(root(**workbook), *workbook_part);
        if (!date1904) return date1904.error();
        std::vector<Sheet> sheets;
        std::size_t listed = 0;
        const pugi::xml_node sheets_node = child(root(**workbook), "sheets");
        for (pugi::xml_node n = sheets_node.first_child(); n; n = n.next_sibling()) {
            if (n.type() != pugi::node_element || local_name(n.name()) != "sheet") continue;
            if (++listed > limits_.max_sheets) {
                return make_error("xlsx.too_many_sheets", Location{name_, 0, "", ""},
                                  {std::to_string(limits_.max_sheets)});
            }
            Sheet sheet;
            auto sheet_name = text_value(attr(n, "name"), *workbook_part);
            if (!sheet_name) return sheet_name.error();
            sheet.name = std::move(sheet_name).value();
            auto state = sheet_state(n, sheet.name);
            if (!state) return state.error();
            sheet.state = *state;
            sheet.date1904 = *date1904;
            // r:id, the relationship to the sheet's part ("id" in the relationships namespace).
            std::string_view rid;
            for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
                const std::string_view qualified = a.name();
                if (qualified != "id" && local_name(a.name()) == "id") rid = a.value();
            }
            const auto rel = rels->find(std::string(rid));
            if (rel == rels->end() || rel->second.external) {
                return make_error("xlsx.missing_relationship", Location{name_, 0, "", ""},
                                  {sheet.name, rid, rels_part});
            }
            if (!type_is(rel->second.type, "worksheet")) continue;  // chart or dialog sheet
            auto st = read_worksheet(rel->second.target, sheet);
            if (!st) return st.error();
            sheets.push_back(std::move(sheet));
        }
        return sheets;
    }

private:
    // <workbookPr date1904="..."/> (ECMA-376 Part 1 §18.2.28), an xsd:boolean; absent: 1900.
    Result<bool> date_system(pugi::xml_node workbook, const std::string& part) const {
        const pugi::xml_node pr = child(workbook, "workbookPr");
        if (!pr || !has_attr(pr, "date1904")) return false;
        const std::string_view v = attr(pr, "date1904");
        if (v == "1" || v == "true") return true;
        if (v == "0" || v == "false") return false;
        return make_error("xlsx.bad_attribute", Location{name_, 0, "", ""},
                          {"date1904", std::string(v).substr(0, 64), part});
    }

    // `state` of a <sheet> (§18.18.68): visible (also when absent), hidden or veryHidden.
    Result<SheetState> sheet_state(pugi::xml_node sheet, const std::string& sheet_name) const {
        if (!has_attr(sheet, "state")) return SheetState::visible;
        const std::string_view v = attr(sheet, "state");
        if (v == "visible") return SheetState::visible;
        if (v == "hidden") return SheetState::hidden;
        if (v == "veryHidden") return SheetState::very_hidden;
        return make_error("xlsx.bad_attribute", Location{name_, 0, "", sheet_name},
                          {"state", std::string(v).substr(0, 64), sheet_name});
    }

    Location cell_location(std::string_view sheet, std::size_t column, std::size_t row) const {
        const std::string letters = column_letters(column);
        return Location{name_, static_cast<std::int64_t>(row), letters,
                        sheet_prefix(sheet) + letters + std::to_string(row)};
    }

    // The workbook part: the package's officeDocument relationship (_rels/.rels), else the
    // conventional xl/workbook.xml.
    Result<std::string> find_workbook() {
        auto rels = load_relationships("_rels/.rels", "");
        if (!rels) return rels.error();
        for (const auto& [id, rel] : *rels) {
            if (!rel.external && type_is(rel.type, "officeDocument")) return rel.target;
        }
        return std::string("xl/workbook.xml");
    }

    // nullptr when the part does not exist.
    Result<std::unique_ptr<XmlPart>> load_xml(const std::string& part) {
        auto data = package_.read(part);
        if (!data) return data.error();
        if (!*data) return std::unique_ptr<XmlPart>();
        return parse_xml(std::move(**data), part, name_, limits_.max_xml_memory);
    }

    // A missing .rels part means no relationships.
    Result<Relationships> load_relationships(const std::string& part, const std::string& folder) {
        auto xml = load_xml(part);
        if (!xml) return xml.error();
        Relationships rels;
        if (!*xml) return rels;
        const pugi::xml_node top = root(**xml);
        for (pugi::xml_node n = top.first_child(); n; n = n.next_sibling()) {
            if (n.type() != pugi::node_element || local_name(n.name()) != "Relationship") continue;
            Relationship rel;
            rel.type = attr(n, "Type");
            rel.external = attr(n, "TargetMode") == "External";
            rel.target = rel.external ? std::string(attr(n, "Target"))
                                      : resolve_target(folder, attr(n, "Target"));
            rels.emplace(std::string(attr(n, "Id")), std::move(rel));
        }
        return rels;
    }

    // Text from the file: _xHHHH_ escapes decoded (when `xstring`), valid UTF-8, NFC.
    Result<std::string> text_value(std::string_view raw, const std::string& part,
                                   bool xstring = false) {
        std::string value = xstring ? decode_xstring(raw) : std::string(raw);
        if (!valid_utf8(value))
            return make_error("xlsx.invalid_utf8", Location{name_, 0, "", ""}, {part});
        normalize_nfc(value);
        return value;
    }

    Status load_shared_strings(const Relationships& rels) {
        std::string part;
        for (const auto& [id, rel] : rels) {
            if (!rel.external && type_is(rel.type, "sharedStrings")) part = rel.target;
        }
        if (part.empty()) part = "xl/sharedStrings.xml";  // some writers omit the relationship
        auto xml = load_xml(part);
        if (!xml) return xml.error();
        if (!*xml) return Ok{};
        const pugi::xml_node sst = root(**xml);
        std::size_t bytes = 0;
        for (pugi::xml_node n = sst.first_child(); n; n = n.next_sibling()) {
            if (n.type() != pugi::node_element || local_name(n.name()) != "si") continue;
            if (shared_.size() == limits_.max_shared_strings) {
                return make_error("xlsx.too_many_shared_strings", Location{name_, 0, "", ""},
                                  {part, std::to_string(limits_.max_shared_strings)});
            }
            auto value = text_value(string_item(n), part, true);
            if (!value) return value.error();
            bytes += value->size();
            if (bytes > limits_.max_shared_bytes) {
                return make_error("xlsx.too_much_text", Location{name_, 0, "", ""},
                                  {std::to_string(limits_.max_shared_bytes)});
            }
            shared_.push_back(std::move(value).value());
        }
        return Ok{};
    }

    // The text of one <c> element. Errors leave the location to the caller: building it for
    // every cell would cost more than reading the cell.
    Result<std::string> cell_value(pugi::xml_node c, const std::string& part) {
        const Location at{};
        const std::string_view type = has_attr(c, "t") ? attr(c, "t") : "n";
        std::string v;
        append_text(v, child(c, "v"));
        if (type == "s") {
            const auto index = parse_number(v);
            if (!index || *index >= shared_.size()) {
                return make_error("xlsx.bad_shared_string", at,
                                  {v, std::to_string(shared_.size())});
            }
            return shared_[*index];
        }
        if (type == "inlineStr") {
            const pugi::xml_node is = child(c, "is");
            return text_value(is ? string_item(is) : v, part, true);
        }
        if (type == "b") {
            if (v.empty()) return v;
            if (v == "0" || v == "1") return std::string(v == "1" ? "TRUE" : "FALSE");
            return make_error("xlsx.bad_value", at, {v, type});
        }
        // An error cell (#N/A, #VALUE!, ...) holds no value: never read as data.
        if (type == "e") return std::string();
        // n, d and str: as written; formula results (str) may carry _xHHHH_ escapes.
        return text_value(v, part, type == "str");
    }

    Status read_worksheet(const std::string& part, Sheet& sheet) {
        auto xml = load_xml(part);
        if (!xml) return xml.error();
        if (!*xml) return make_error("xlsx.missing_part", Location{name_, 0, "", ""}, {part});
        const pugi::xml_node data = child(root(**xml), "sheetData");
        std::size_t prev_row = 0;
        for (pugi::xml_node r = data.first_child(); r; r = r.next_sibling()) {
            if (r.type() != pugi::node_element || local_name(r.name()) != "row") continue;
            // ECMA-376 §18.3.1.73: r is optional; without it the row follows the previous one.
            std::size_t row = prev_row + 1;
            if (has_attr(r, "r")) {
                const auto n = parse_number(attr(r, "r"));
                if (!n || *n == 0) {
                    return make_error("xlsx.bad_cell_ref", Location{name_, 0, "", sheet.name},
                                      {attr(r, "r")});
                }
                row = *n;
            }
            if (row <= prev_row) {
                return make_error("xlsx.row_out_of_order",
                                  Location{name_, static_cast<std::int64_t>(row), "", sheet.name},
                                  {std::to_string(row), std::to_string(prev_row)});
            }
            prev_row = row;
            std::size_t prev_column = 0;
            for (pugi::xml_node c = r.first_child(); c; c = c.next_sibling()) {
                if (c.type() != pugi::node_element || local_name(c.name()) != "c") continue;
                std::size_t column = prev_column + 1;
                if (has_attr(c, "r")) {
                    const auto ref = parse_cell_ref(attr(c, "r"));
                    if (!ref || ref->row != row) {
                        return make_error(
                            "xlsx.bad_cell_ref",
                            Location{name_, static_cast<std::int64_t>(row), "",
                                     sheet_prefix(sheet.name) + std::string(attr(c, "r"))},
                            {attr(c, "r")});
                    }
                    column = ref->column;
                }
                if (column <= prev_column) {
                    return make_error("xlsx.cell_out_of_order",
                                      cell_location(sheet.name, column, row),
                                      {column_letters(column) + std::to_string(row),
                                       column_letters(prev_column) + std::to_string(row)});
                }
                prev_column = column;
                if (auto st = place(c, part, sheet, row, column); !st) return st.error();
            }
        }
        return Ok{};
    }

    // Stores a cell's value; empty cells (styled, or an empty string) take no room.
    Status place(pugi::xml_node c, const std::string& part, Sheet& sheet, std::size_t row,
                 std::size_t column) {
        auto value = cell_value(c, part);
        if (!value) {
            value.error().where = cell_location(sheet.name, column, row);
            return value.error();
        }
        if (value->empty()) return Ok{};
        auto at = [&] { return cell_location(sheet.name, column, row); };
        if (row > limits_.max_rows) {
            return make_error("xlsx.too_many_rows", at(),
                              {std::to_string(row), std::to_string(limits_.max_rows)});
        }
        if (column > limits_.max_columns) {
            return make_error("xlsx.too_many_columns", at(),
                              {column_letters(column), std::to_string(limits_.max_columns)});
        }
        if (value->size() > limits_.max_cell_bytes) {
            return make_error(
                "xlsx.cell_too_large", at(),
                {std::to_string(value->size()), std::to_string(limits_.max_cell_bytes)});
        }
        // ECMA-376 cells are XML text, always UTF-8 (checked by text_value); control characters
        // (a raw byte or an _x0000_ escape) are no value a register holds.
        if (const std::size_t bad = first_control_char(*value); bad != std::string_view::npos) {
            return make_error("xlsx.control_char", at(),
                              {code_point_name(*value, bad), std::to_string(bad + 1)});
        }
        text_bytes_ += value->size();
        if (text_bytes_ > limits_.max_text_bytes)
            return make_error("xlsx.too_much_text", at(), {std::to_string(limits_.max_text_bytes)});
        if (sheet.rows.size() < row) {  // every row slot up to this one counts as a cell
            cells_ += row - sheet.rows.size();
            if (cells_ > limits_.max_cells)
                return make_error("xlsx.too_many_cells", at(), {std::to_string(limits_.max_cells)});
            sheet.rows.resize(row);
        }
        auto& cells = sheet.rows[row - 1];
        if (cells.size() < column) {  // columns grow left to right, so this is the new width
            cells_ += column - cells.size();
            if (cells_ > limits_.max_cells)
                return make_error("xlsx.too_many_cells", at(), {std::to_string(limits_.max_cells)});
            cells.resize(column);
        }
        cells[column - 1] = std::move(value).value();
        return Ok{};
    }

    Package package_;
    std::string name_;
    XlsxLimits limits_;
    std::vector<std::string> shared_;  // the shared string table, NFC
    std::size_t text_bytes_ = 0;
    std::size_t cells_ = 0;
};

constexpr std::string_view kOleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

}  // namespace

std::optional<Date> excel_serial_date(std::int64_t serial, bool date1904) {
    constexpr std::int64_t kLast1900 = 2958465;  // 9999-12-31
    if (date1904) {
        if (serial < 0 || serial > kLast1900 - 1462) return std::nullopt;
        return Date::from_days(Date{1904, 1, 1}.days() + serial);
    }
    if (serial < 1 || serial == 60 || serial > kLast1900) return std::nullopt;
    // Before the phantom 1900-02-29 a serial counts from 1899-12-31; after it, one day less.
    const Date epoch = serial < 60 ? Date{1899, 12, 31} : Date{1899, 12, 30};
    return Date::from_days(epoch.days() + serial);
}

std::string column_letters(std::size_t column) {
    std::string out;
    while (column > 0) {
        --column;
        out.insert(out.begin(), static_cast<char>('A' + column % 26));
        column /= 26;
    }
    return out;
}

Result<std::vector<Sheet>> read_xlsx_bytes(std::string_view bytes,
                                           const std::string& name_for_errors,
                                           const XlsxLimits& limits) {
    const Location where{name_for_errors, 0, "", ""};
    try {
        if (bytes.size() > limits.max_file_bytes) {
            return make_error(
                "xlsx.file_too_large", where,
                {std::to_string(bytes.size()), std::to_string(limits.max_file_bytes)});
        }
        // Excel 97-2003 files and password-protected .xlsx are OLE compound files, not ZIPs.
        if (bytes.starts_with(kOleMagic)) return make_error("xlsx.legacy_xls", where);
        auto package = Package::open(bytes, name_for_errors, limits);
        if (!package) return package.error();
        const XmlBudget budget(limits.max_xml_memory);
        WorkbookReader reader(std::move(package).value(), name_for_errors, limits);
        return reader.read();
    } catch (const std::bad_alloc&) {
        return make_error("xlsx.out_of_memory", where);
    } catch (const std::exception& e) {  // std::length_error and the like: no exception escapes
        return make_error("xlsx.read_failed", where, {e.what()});
    }
}

Result<std::vector<Sheet>> read_xlsx(const std::string& path, const XlsxLimits& limits) {
    const Location where{path, 0, "", ""};
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > limits.max_file_bytes) {
        return make_error("xlsx.file_too_large", where,
                          {std::to_string(size), std::to_string(limits.max_file_bytes)});
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                         std::fclose);
    if (!file) return make_error("xlsx.open", where, {std::strerror(errno)});
    std::string bytes;
    try {
        // At most one byte past the limit (a pipe or a growing file has no size to check first);
        // read_xlsx_bytes reports the excess.
        constexpr std::size_t kChunk = std::size_t{1} << 20;
        while (bytes.size() <= limits.max_file_bytes) {
            const std::size_t old = bytes.size();
            const std::size_t want = std::min(kChunk, limits.max_file_bytes + 1 - old);
            bytes.resize(old + want);
            const std::size_t n = std::fread(bytes.data() + old, 1, want, file.get());
            bytes.resize(old + n);
            if (n < want) break;
        }
    } catch (const std::bad_alloc&) {
        return make_error("xlsx.out_of_memory", where);
    }
    if (std::ferror(file.get()) != 0) return make_error("xlsx.open", where, {std::strerror(errno)});
    return read_xlsx_bytes(bytes, path, limits);
}

}  // namespace kyso::text
