// kyso intake — decisions as the rows of a spreadsheet: one event per row.
#include "intake/events_sheet.h"

#include <algorithm>
#include <array>

#include "bundle/event_fields.h"
#include "core/messages.h"
#include "intake/event_intake.h"
#include "intake/intake_columns.h"
#include "intake/intake_dates.h"
#include "text/nfc.h"
#include "text/spreadsheet.h"

namespace kyso::intake {

namespace {

using C = SheetColumn;

constexpr std::array<std::string_view, kSheetColumnCount> kHeadings{
    "Mã sự kiện",
    "Loại",
    "Ngày hiệu lực",
    "Số quyết định",
    "Cơ quan",
    "Cơ quan giữ lại",
    "Mã cơ quan mới",
    "Tên mới",
    "Cơ quan cấp trên",
    "Tỉnh",
    "Mã định danh",
    "Mã đơn vị hành chính",
    "Cơ quan mang chứng thư",
    "Tách một phần từ",
    "Cơ quan kế thừa",
    "Cá nhân",
    "Chuyển đến",
    "Tỉnh cũ",
    "Tỉnh mới",
};

struct Variant {
    std::string_view folded;  // fold_heading
    SheetColumn column;
};

// Besides each template heading (folded), the words people write and the events.json members.
constexpr Variant kVariants[] = {
    {"ma", C::id},
    {"id", C::id},
    {"event id", C::id},
    {"ma quyet dinh noi bo", C::id},
    {"loai quyet dinh", C::type},
    {"loai su kien", C::type},
    {"hinh thuc", C::type},
    {"noi dung", C::type},
    {"type", C::type},
    {"kind", C::type},
    {"ngay co hieu luc", C::date},
    {"hieu luc tu ngay", C::date},
    {"co hieu luc tu ngay", C::date},
    {"ngay", C::date},
    {"effective date", C::date},
    {"effective_date", C::date},
    {"date", C::date},
    {"quyet dinh", C::basis},
    {"so,ky hieu quyet dinh", C::basis},
    {"so van ban", C::basis},
    {"van ban", C::basis},
    {"can cu", C::basis},
    {"can cu phap ly", C::basis},
    {"legal basis", C::basis},
    {"legal_basis", C::basis},
    {"decision", C::basis},
    {"ma co quan", C::org},
    {"co quan,don vi", C::org},
    {"cac co quan", C::org},
    {"co quan bi sap nhap", C::org},
    {"co quan hop nhat", C::org},
    {"organization", C::org},
    {"org", C::org},
    {"sources", C::org},
    {"co quan tiep nhan", C::keep},
    {"keep", C::keep},
    {"co quan moi", C::new_id},
    {"ma co quan moi", C::new_id},
    {"new id", C::new_id},
    {"new.id", C::new_id},
    {"ten co quan moi", C::new_name},
    {"new name", C::new_name},
    {"new.name", C::new_name},
    {"name", C::new_name},
    {"co quan cap tren moi", C::superior},
    {"co quan chu quan", C::superior},
    {"cap tren", C::superior},
    {"superior", C::superior},
    {"superior_id", C::superior},
    {"new.superior_id", C::superior},
    {"tinh,thanh pho", C::province},
    {"province", C::province},
    {"new.province", C::province},
    {"ma dinh danh co quan", C::agency_code},
    {"ma dinh danh dien tu", C::agency_code},
    {"agency code", C::agency_code},
    {"agency_code", C::agency_code},
    {"new.agency_code", C::agency_code},
    {"ma dvhc", C::admin_unit},
    {"admin unit", C::admin_unit},
    {"admin_unit", C::admin_unit},
    {"new.admin_unit", C::admin_unit},
    {"chung thu chuyen tu", C::carrier},
    {"cert carrier", C::carrier},
    {"cert_carrier", C::carrier},
    {"tach tu", C::parts_from},
    {"mot phan tu", C::parts_from},
    {"parts from", C::parts_from},
    {"parts_from", C::parts_from},
    {"ke thua", C::successor},
    {"co quan tiep nhan nhiem vu", C::successor},
    {"successor", C::successor},
    {"ma ca nhan", C::person},
    {"nguoi", C::person},
    {"can bo", C::person},
    {"person", C::person},
    {"co quan chuyen den", C::to_org},
    {"noi chuyen den", C::to_org},
    {"to org", C::to_org},
    {"to_org", C::to_org},
    {"tinh,thanh pho cu", C::provinces},
    {"cac tinh", C::provinces},
    {"old provinces", C::provinces},
    {"tinh,thanh pho moi", C::into},
    {"new province", C::into},
    {"into", C::into},
};

// FORMATS.md §2 per kind: the member each column fills.
std::string_view field_of(EventType type, SheetColumn column) {
    switch (column) {
        case C::id:
            return "id";
        case C::type:
            return "type";
        case C::date:
            return "effective_date";
        case C::basis:
            return "legal_basis";
        default:
            break;
    }
    const bool made = type == EventType::merge || type == EventType::create;
    switch (type) {
        case EventType::merge:
            if (column == C::org) return "sources";
            if (column == C::keep) return "keep";
            if (column == C::carrier) return "cert_carrier";
            break;
        case EventType::rename:
            if (column == C::org) return "org";
            if (column == C::new_name) return "name";
            return "";
        case EventType::change_superior:
            if (column == C::org) return "org";
            if (column == C::superior) return "superior_id";
            return "";
        case EventType::merge_province:
            if (column == C::provinces) return "sources";
            if (column == C::into) return "into";
            return "";
        case EventType::dissolve:
            if (column == C::org) return "org";
            if (column == C::successor) return "successor";
            return "";
        case EventType::transfer:
            if (column == C::person) return "person";
            if (column == C::to_org) return "to_org";
            return "";
        case EventType::person_leaves:
            if (column == C::person) return "person";
            return "";
        case EventType::create:
            break;
    }
    if (!made) return "";
    switch (column) {
        case C::new_id:
            return "new.id";
        case C::new_name:
            return "new.name";
        case C::superior:
            return "new.superior_id";
        case C::province:
            return "new.province";
        case C::agency_code:
            return "new.agency_code";
        case C::admin_unit:
            return "new.admin_unit";
        case C::parts_from:
            return "parts_from";
        default:
            return "";
    }
}

std::vector<std::string> split_list(std::string_view cell) {
    std::vector<std::string> out;
    std::string item;
    auto flush = [&] {
        std::string v = text::collapse_spaces(item);
        if (!v.empty()) out.push_back(std::move(v));
        item.clear();
    };
    for (char c : cell) {
        if (c == ',' || c == ';' || c == '\n' || c == '\r') {
            flush();
        } else {
            item += c;
        }
    }
    flush();
    return out;
}

bool means_none(std::string_view cell) {
    const std::string f = text::fold_for_matching(cell);
    return f == "khong" || f == "khong co" || f == "none" || f == "-";
}

Error sheet_error(const std::string& file, std::size_t row, std::string_view heading,
                  std::string_view id, std::string_view code,
                  std::initializer_list<std::string_view> args) {
    return make_error(
        code, Location{file, static_cast<std::int64_t>(row), std::string(heading), std::string(id)},
        args);
}

// The header row: the first of the first 10 rows naming both "Loại" and "Ngày hiệu lực".
std::optional<std::size_t> header_row(const text::Sheet& sheet,
                                      std::vector<std::optional<std::size_t>>& columns) {
    const std::size_t rows = std::min<std::size_t>(sheet.rows.size(), 10);
    for (std::size_t r = 0; r < rows; ++r) {
        std::vector<std::optional<std::size_t>> found(kSheetColumnCount);
        for (std::size_t c = 0; c < sheet.rows[r].size(); ++c) {
            const auto col = recognize_sheet_heading(sheet.rows[r][c]);
            if (col && !found[static_cast<std::size_t>(*col)])
                found[static_cast<std::size_t>(*col)] = c;
        }
        if (found[static_cast<std::size_t>(C::type)] && found[static_cast<std::size_t>(C::date)]) {
            columns = std::move(found);
            return r;
        }
    }
    return std::nullopt;
}

// `error` (naming an events.json member of the event in spreadsheet row `row`, of kind `type`)
// with the file, the row and the heading of the column that fills the member; the member's name
// in the message becomes the heading too.
Error locate_in_row(const EventsSheet& sheet, Error error, EventType type, std::size_t row) {
    error.where.file = sheet.file;
    error.where.row = static_cast<std::int64_t>(row);
    // Every member the message quotes, by the heading of the column that fills it in this kind.
    const auto& names = bundle::event_field_names();
    std::vector<std::string_view> quoted_names(names.begin(), names.end());
    quoted_names.push_back("new");
    for (std::string_view name : quoted_names) {
        const std::string field(name);
        for (std::size_t c = 0; c < kSheetColumnCount; ++c) {
            const auto column = static_cast<SheetColumn>(c);
            if (field_of(type, column) != field && !(field == "new" && column == C::new_id))
                continue;
            const auto& at = sheet.columns[c];
            const std::string heading = at ? sheet.headings[*at] : std::string(kHeadings[c]);
            const std::string quoted = "\"" + field + "\"";
            for (std::string* m : {&error.message, &error.message_en}) {
                for (auto p = m->find(quoted); p != std::string::npos;
                     p = m->find(quoted, p + heading.size() + 2))
                    m->replace(p, quoted.size(), "\"" + heading + "\"");
            }
            if (error.where.field == field) error.where.field = heading;
            break;
        }
    }
    return error;
}

}  // namespace

std::string_view sheet_heading(SheetColumn column) {
    return kHeadings[static_cast<std::size_t>(column)];
}

std::optional<SheetColumn> recognize_sheet_heading(std::string_view heading) {
    const std::string folded = fold_heading(heading);
    if (folded.empty()) return std::nullopt;
    for (std::size_t i = 0; i < kSheetColumnCount; ++i) {
        if (fold_heading(kHeadings[i]) == folded) return static_cast<SheetColumn>(i);
    }
    for (const Variant& v : kVariants) {
        if (v.folded == folded) return v.column;
    }
    return std::nullopt;
}

std::string_view sheet_field(EventType type, SheetColumn column) {
    return field_of(type, column);
}

Result<EventsSheet> read_events_sheet(const std::string& path,
                                      std::unordered_set<std::string>& used) {
    auto sheets = text::read_spreadsheet(path);
    if (!sheets) return sheets.error();
    EventsSheet out;
    out.file = path;
    const text::Sheet* sheet = nullptr;
    std::size_t header = 0;
    for (const text::Sheet& s : *sheets) {
        if (s.state != text::SheetState::visible) continue;
        if (auto h = header_row(s, out.columns)) {
            sheet = &s;
            header = *h;
            break;
        }
    }
    if (sheet == nullptr) {
        return make_error(
            "events_sheet.no_header", Location{path, 0, {}, {}},
            {std::string(sheet_heading(C::type)), std::string(sheet_heading(C::date))});
    }
    out.sheet = sheet->name;
    out.headings = sheet->rows[header];
    auto cell = [&](const std::vector<std::string>& row, SheetColumn c) -> std::string {
        const auto& at = out.columns[static_cast<std::size_t>(c)];
        if (!at || *at >= row.size()) return {};
        return text::collapse_spaces(row[*at]);
    };
    auto heading = [&](SheetColumn c) -> std::string {
        const auto& at = out.columns[static_cast<std::size_t>(c)];
        return at ? out.headings[*at] : std::string(sheet_heading(c));
    };
    // Dates typed as text in one column are read in one order, as intake reads them.
    const auto date_col = out.columns[static_cast<std::size_t>(C::date)];
    const DateColumn dates = read_date_column(*sheet, header + 1, date_col);

    // Ids written in the sheet are taken first, so that generated ones avoid them.
    const auto id_col = out.columns[static_cast<std::size_t>(C::id)];
    for (std::size_t r = header + 1; id_col && r < sheet->rows.size(); ++r) {
        const std::string id = cell(sheet->rows[r], C::id);
        if (!id.empty()) used.insert(id);
    }
    std::unordered_set<std::string> seen;
    for (std::size_t r = header + 1; r < sheet->rows.size(); ++r) {
        const auto& row = sheet->rows[r];
        const std::size_t row_no = r + 1;
        if (std::all_of(row.begin(), row.end(),
                        [](const std::string& v) { return text::collapse_spaces(v).empty(); }))
            continue;
        std::string id = cell(row, C::id);
        if (id.empty()) id = next_event_id(used);
        if (!seen.insert(id).second) {
            out.errors.push_back(
                sheet_error(path, row_no, heading(C::id), id, "event.duplicate_id", {id}));
            continue;
        }
        const std::string kind = cell(row, C::type);
        const auto type = bundle::parse_event_kind(kind);
        if (!type) {
            out.errors.push_back(sheet_error(
                path, row_no, heading(C::type), id,
                kind.empty() ? "events_sheet.no_kind" : "events_sheet.unknown_kind", {kind}));
            continue;
        }
        bundle::EventFields fields;
        fields.text["id"] = id;
        fields.text["type"] = std::string(to_string(*type));
        std::optional<Error> wrong;
        for (std::size_t c = 0; c < kSheetColumnCount && !wrong; ++c) {
            const auto column = static_cast<SheetColumn>(c);
            if (column == C::id || column == C::type) continue;
            std::string value = cell(row, column);
            if (value.empty()) continue;
            const std::string_view field = field_of(*type, column);
            if (field.empty()) {
                wrong =
                    Error{"events_sheet.column_not_used",
                          message("events_sheet.column_not_used",
                                  {bundle::event_kind_word(*type, false)}, false),
                          message("events_sheet.column_not_used",
                                  {bundle::event_kind_word(*type, true)}, true),
                          Location{path, static_cast<std::int64_t>(row_no), heading(column), id}};
                break;
            }
            if (column == C::date) {
                value = clean_date(value, dates).value;
            } else if ((column == C::superior) && means_none(value)) {
                value.clear();
            }
            if (bundle::is_list_field(field)) {
                fields.lists[std::string(field)] = split_list(value);
            } else {
                fields.text[std::string(field)] = value;
            }
        }
        if (wrong) {
            out.errors.push_back(std::move(*wrong));
            continue;
        }
        auto event = bundle::event_from_fields(fields, path);
        if (!event) {
            out.errors.push_back(locate_in_row(out, std::move(event.error()), *type, row_no));
            continue;
        }
        event->file_order = out.rows.size();
        out.rows.push_back(SheetRow{row_no, std::move(*event)});
    }
    return out;
}

Error locate_sheet_error(const EventsSheet& sheet, Error error) {
    const auto it = std::find_if(sheet.rows.begin(), sheet.rows.end(),
                                 [&](const SheetRow& r) { return r.event.id == error.where.id; });
    if (it == sheet.rows.end()) {
        error.where.file = sheet.file;
        return error;
    }
    return locate_in_row(sheet, std::move(error), it->event.type, it->row);
}

}  // namespace kyso::intake
