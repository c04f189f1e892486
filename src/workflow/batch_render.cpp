// kyso workflow — a batch as the documents to sign and send: letter.docx, letter.pdf (from the
// editable template of its form) and list.xlsx (the national CA's 19-column sheet).
#include "workflow/batch_render.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/messages.h"
#include "core/output_dir.h"
#include "core/subject.h"
#include "docs/letter.h"
#include "docs/letter_layout.h"
#include "docs/table.h"
#include "workflow/batch_list.h"
#include "workflow/parties.h"

namespace kyso::workflow {

constexpr const char* kLetterDocx = "letter.docx";
constexpr const char* kLetterPdf = "letter.pdf";
constexpr const char* kListXlsx = "list.xlsx";

std::string province_short_name(std::string_view p) {
    for (std::string_view prefix : {"Tỉnh ", "tỉnh ", "Thành phố ", "thành phố "}) {
        if (p.starts_with(prefix)) return std::string(p.substr(prefix.size()));
    }
    return std::string(p);
}

// "tỉnh Tuyên Quang", "thành phố Hà Nội": a province as written inside a sentence.
std::string province_in_sentence(std::string_view p) {
    constexpr std::string_view kProvince = "Tỉnh ", kCity = "Thành phố ";
    if (p.starts_with(kProvince)) return "tỉnh " + std::string(p.substr(kProvince.size()));
    if (p.starts_with(kCity)) return "thành phố " + std::string(p.substr(kCity.size()));
    return std::string(p);
}

// The Department of Science and Technology of `province` (parties.h is_dost), by its registered
// name; without one in the register, its usual name.
std::string dost_name(const Registry& reg, std::string_view province) {
    for (const auto& o : reg.organizations) {
        if (is_dost(o) && o.current().province == province) return o.current().name;
    }
    return "Sở Khoa học và Công nghệ " + province_in_sentence(province);
}

std::string_view device_kind_label(DeviceKind kind) {
    switch (kind) {
        case DeviceKind::pki_sim:
            return "SIM";
        case DeviceKind::hsm:
            return "HSM";
        case DeviceKind::usb_token:
            break;
    }
    return "TOKEN";
}

namespace {

std::string two(int n) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", n);
    return buf;
}

// "YYYY-MM-DD" → "dd/MM/yyyy" (the national CA's sheet); other text as written.
std::string dmy(std::string_view iso) {
    const auto d = Date::parse(iso);
    if (!d) return std::string(iso);
    return two(d->day) + "/" + two(d->month) + "/" + std::to_string(d->year);
}

// RFC 5280 reason names in the words of the forms.
std::string reason_text(std::string_view reason) {
    if (reason == "cessationOfOperation") return message("reason.cessation", {}, false);
    if (reason == "superseded") return message("reason.superseded", {}, false);
    if (reason == "affiliationChanged") return message("reason.affiliation", {}, false);
    if (reason == "keyCompromise") return message("reason.key_compromise", {}, false);
    return std::string(reason);
}

std::string text_lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string device_kind_text(const Device* d) {
    return d == nullptr ? std::string() : std::string(device_kind_label(d->kind));
}

struct Row {
    std::map<std::string, std::string> letter;  // template keys
    std::vector<std::string> list;              // list.xlsx cells
};

// Organizations of a subject from the top: O, then the OUs (DOMAIN.md "Tổ chức cấp 1..4").
std::vector<std::string> org_levels(std::string_view subject_text) {
    std::vector<std::string> out;
    auto s = parse_rfc4514(subject_text);
    if (!s) return out;
    for (const Rdn& rdn : *s) {
        const std::string t = canonical_attribute(rdn.type);
        if (t == "O" || t == "OU") out.push_back(rdn.value);
    }
    return out;
}

// The label of an attribute type in the letters ("O" → "tên cơ quan").
std::string attribute_label(const std::string& type) {
    return message("letter.attr_" + (type == "E" ? std::string("e") : text_lower(type)), {}, false);
}

// What a change of information changes, in words, from the plan's old and new subject
// (FORMATS.md §3): one item per changed attribute, old → new ("Thay đổi tên cơ quan: Sở Tài
// chính → Sở Tài chính và Kế hoạch"), attributes of one type compared in order; the whole new
// subject when the old one is unknown.
std::string change_text(std::string_view old_text, std::string_view new_text) {
    if (new_text.empty()) return {};
    auto before = parse_rfc4514(old_text);
    auto after = parse_rfc4514(new_text);
    if (!after || !before) return std::string(new_text);
    // Types in the order of the new subject, then those only the old one has.
    std::vector<std::string> types;
    std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> values;
    for (const auto* subject : {&*after, &*before}) {
        for (const Rdn& rdn : *subject) {
            const std::string type = canonical_attribute(rdn.type);
            if (std::find(types.begin(), types.end(), type) == types.end()) types.push_back(type);
            auto& [olds, news] = values[type];
            (subject == &*before ? olds : news).push_back(rdn.value);
        }
    }
    std::string out;
    auto add = [&](std::string item) { out += (out.empty() ? "" : "; ") + item; };
    for (const auto& type : types) {
        const auto& [olds, news] = values[type];
        const std::string label = attribute_label(type);
        for (std::size_t i = 0; i < std::max(olds.size(), news.size()); ++i) {
            if (i >= olds.size()) {
                add(message("letter.change_added", {label, news[i]}, false));
            } else if (i >= news.size()) {
                add(message("letter.change_removed", {label, olds[i]}, false));
            } else if (olds[i] != news[i]) {
                add(message("letter.change_item", {label, olds[i], news[i]}, false));
            }
        }
    }
    return out.empty() ? message("letter.same_subject", {}, false) : out;
}

Row row_of(const Registry& reg, const Request& r) {
    Row row;
    auto& v = row.letter;
    const Person* p = r.holder_type == "person" ? reg.person(r.holder_id) : nullptr;
    const Organization* holder_org = r.holder_type == "org" ? reg.org(r.holder_id) : nullptr;
    const Organization* work_org = p != nullptr ? reg.org(p->org_id) : holder_org;
    const Device* d = r.device_id.empty() ? nullptr : reg.device(r.device_id);
    const std::string org_name = work_org != nullptr ? work_org->current().name : std::string();
    const std::string province =
        work_org != nullptr ? province_short_name(work_org->current().province) : std::string();
    v["ho_ten"] = p != nullptr ? p->full_name : org_name;
    v["ngay_sinh"] = p != nullptr ? dmy(p->date_of_birth) : "";
    v["cccd"] = p != nullptr ? p->cccd : "";
    v["ngay_cap"] = p != nullptr ? dmy(p->cccd_issued_on) : "";
    v["noi_cap"] = p != nullptr ? p->cccd_issued_by : "";
    v["co_quan_cong_tac"] = org_name;
    v["ten_co_quan"] = org_name;
    v["chuc_vu"] = p != nullptr ? p->position : "";
    v["email"] = p != nullptr ? p->email : "";
    v["dien_thoai"] = p != nullptr ? p->phone : "";
    v["tinh"] = province;
    v["serial"] = r.certificate;
    v["serial_cu"] = r.certificate;
    v["ly_do_thu_hoi"] = reason_text(r.revocation_reason);
    v["sim_pki"] = d != nullptr && d->kind == DeviceKind::pki_sim ? d->phone : "";
    v["noi_dung"] = change_text(r.old_subject, r.new_subject);
    v["dia_chi"] = "";
    v["ma_so_thue"] = "";
    v["ma_qhns"] = holder_org != nullptr ? holder_org->current().agency_code : "";
    v["loai_thiet_bi"] = device_kind_text(d);
    v["so_hieu_thiet_bi"] = d != nullptr ? d->serial : "";
    v["tinh_trang"] = message("letter.device_state", {}, false);
    v["ly_do"] = reason_text(r.revocation_reason);
    // The 19 columns of the national CA's sheet, then the reason and kyso's request number.
    std::vector<std::string> levels =
        org_levels(r.new_subject.empty() ? r.old_subject : r.new_subject);
    levels.resize(4);
    row.list = {v["ho_ten"],
                v["ngay_sinh"],
                v["cccd"],
                v["noi_cap"],
                v["ngay_cap"],
                v["email"],
                levels[0],
                levels[1],
                levels[2],
                levels[3],
                province,
                province,
                v["chuc_vu"],
                v["dien_thoai"],
                r.certificate,
                d != nullptr && d->kind == DeviceKind::pki_sim ? d->carrier : "",
                "",
                device_kind_text(d),
                v["ly_do_thu_hoi"],
                std::to_string(r.id)};
    return row;
}

// The name of the organization a batch's letter is issued by: the one carrying on the work of a
// body that has ceased since (parties.h continuing_org).
std::string issuer_name(const Registry& reg, const store::Batch& batch) {
    const std::string org_id = continuing_org(reg, batch.org_id);
    const Organization* org = reg.org(org_id.empty() ? batch.org_id : org_id);
    return org != nullptr ? org->current().name : batch.org_id;
}

// The agency letters a provincial batch gathers, in words: "Công văn số 3/STC-VP của Sở Tài
// chính; Công văn số 4 của ...".
std::string gathered_letters(const Registry& reg, const std::vector<store::Batch>& children) {
    std::string out;
    for (const auto& c : children) {
        if (!out.empty()) out += "; ";
        out += message("letter.gathered_one", {letter_number(c), issuer_name(reg, c)}, false);
    }
    return out;
}

// "Theo Công văn số 12/UBND ngày 05 tháng 7 năm 2025 của Ủy ban nhân dân xã A": an
// organization's letter that a provincial letter gathers; its date is the day the batch was made.
std::string source_letter_text(const Registry& reg, const store::Batch& child) {
    const auto day = Date::parse(std::string_view(child.created_at).substr(0, 10));
    const std::string date =
        day ? docs::layout::decree30_date(day->year, day->month, day->day) : std::string();
    return message("letter.source_letter", {letter_number(child), date, issuer_name(reg, child)},
                   false);
}

}  // namespace

std::string template_of(const store::Batch& batch) {
    return batch.level == "province" ? "tong-hop-" + batch.form : batch.form;
}

void fill_letter_head(const Registry& reg, const Organization& issuer, const Date& date,
                      const std::string& place, std::map<std::string, std::string>& v) {
    const OrgVersion& iv = issuer.current();
    const Organization* superior = iv.superior_id.empty() ? nullptr : reg.org(iv.superior_id);
    v["co_quan"] = iv.name;
    v["co_quan_cap_tren"] = superior != nullptr ? superior->current().name : "";
    v["tinh"] = province_short_name(iv.province);
    v["dia_ban"] = province_in_sentence(iv.province);
    v["so_khcn"] = dost_name(reg, iv.province);
    v["dia_danh"] = place.empty() ? province_short_name(iv.province) : place;
    v["ngay"] = docs::layout::decree30_day(date.day);
    v["thang"] = docs::layout::decree30_month(date.month);
    v["nam"] = std::to_string(date.year);
}

Result<RenderedBatch> render_batch(store::Store& registry, store::WorkflowStore& workflow,
                                   std::int64_t batch_id, const std::string& out_dir,
                                   const RenderOptions& o) {
    auto batch = workflow.batch(batch_id);
    if (!batch) return batch.error();
    if (!*batch) return make_error("batch.unknown", Location{}, {std::to_string(batch_id)});
    const store::Batch& b = **batch;
    auto reg = registry.load_registry();
    if (!reg) return reg.error();
    // The requests: the batch's own, or those of its organization batches (provincial).
    std::vector<Request> requests;
    std::vector<std::int64_t> sources{b.id};
    std::vector<store::Batch> children;
    if (b.level == "province") {
        auto got = workflow.child_batches(b.id);
        if (!got) return got.error();
        children = std::move(*got);
        sources.clear();
        for (const auto& c : children) sources.push_back(c.id);
    }
    // A provincial letter gathers organizations' letters: each row names the one it comes from
    // (row key cong_van_goc: "Theo Công văn số 12/UBND ngày 05 tháng 7 năm 2025 của ...").
    std::map<std::int64_t, std::string> source_letters;
    for (const auto& c : children) source_letters[c.id] = source_letter_text(*reg, c);
    for (const auto id : sources) {
        store::RequestFilter f;
        f.batch_id = id;
        auto rs = workflow.requests(f);
        if (!rs) return rs.error();
        requests.insert(requests.end(), rs->begin(), rs->end());
    }
    // Refused before anything is rendered: a list too long for one PDF would fail only after
    // minutes and gigabytes (libharu's page limit).
    if (auto s = docs::layout::check_pdf_rows(requests.size()); !s) {
        s.error().where.id = "batch:" + std::to_string(batch_id);
        return s.error();
    }
    auto tpl = docs::load_letter_template(o.templates_dir + "/" + template_of(b) + ".txt");
    if (!tpl) return tpl.error();

    docs::LetterData data;
    // A batch stored under an organization that has ceased since is issued by the one carrying
    // on its work (parties.h continuing_org), never in the ceased body's name.
    std::string issuer_id = continuing_org(*reg, b.org_id);
    if (issuer_id.empty()) {
        if (auto ok = check_not_ceased(*reg, b.org_id); !ok) return ok.error();
        issuer_id = b.org_id;
    }
    const Organization* issuer = reg->org(issuer_id);
    if (issuer == nullptr) return make_error("request.unknown_org", Location{}, {b.org_id});
    // The DoST's own devices go to the national CA in its combined hand-over letter; an
    // organization's letter from the DoST would hand them over "through" the DoST itself.
    if (b.level != "province" && b.kind == RequestKind::device_handover && is_dost(*issuer)) {
        return make_error("batch.dost_own_handover", Location{},
                          {std::to_string(b.id), issuer->current().name,
                           b.parent_id != 0 ? std::to_string(b.parent_id) : std::string("-")});
    }
    auto& v = data.values;
    fill_letter_head(*reg, *issuer, o.date, o.place, v);
    if (b.level == "province") {
        v["cac_van_ban"] = gathered_letters(*reg, children);
    }
    v["so"] = b.number;
    v["ky_hieu"] = b.symbol;
    if (!o.signer.empty()) v["nguoi_ky"] = o.signer;
    if (!o.signer_title.empty()) v["chuc_vu_ky"] = o.signer_title;
    v["quyen_han_ky"] = o.signer_authority;
    if (!o.receiver_id.empty()) {
        const Person* p = reg->person(o.receiver_id);
        if (p == nullptr) return make_error("batch.unknown_receiver", Location{}, {o.receiver_id});
        v["nhan_ho_ten"] = p->full_name;
        v["nhan_so_dinh_danh"] = p->cccd;
        v["nhan_ngay_cap"] = dmy(p->cccd_issued_on);
        v["nhan_noi_cap"] = p->cccd_issued_by;
        v["nhan_chuc_vu"] = p->position;
        v["nhan_dien_thoai"] = p->phone;
        v["nhan_email"] = p->email;
        const Organization* po = reg->org(p->org_id);
        v["nhan_co_quan"] = po != nullptr ? po->current().name : "";
    }
    if (!o.receiver_address.empty()) v["nhan_dia_chi"] = o.receiver_address;
    // --value fills what the register lacks; it never replaces a value computed from the
    // register, the batch or the options (the issuer, the number, the receiver...).
    for (const auto& [key, value] : o.values) {
        const auto computed = v.find(key);
        if (computed != v.end() && !computed->second.empty() && computed->second != value)
            return make_error("batch.value_computed", Location{}, {key, computed->second});
        v[key] = value;
    }

    docs::Table list;
    list.title = message("batch.list_title", {}, false);
    list.headings = {"STT",
                     "Họ tên",
                     "Ngày sinh",
                     "CCCD",
                     "Nơi cấp",
                     "Ngày cấp",
                     "Địa chỉ thư điện tử công vụ",
                     "Tổ chức cấp 1",
                     "Tổ chức cấp 2",
                     "Tổ chức cấp 3",
                     "Tổ chức cấp 4",
                     "Tỉnh thành phố",
                     "Tỉnh/Thành phố",
                     "Chức vụ",
                     "Điện thoại",
                     "Serial CTS cũ",
                     "Nhà mạng",
                     "Là chuyển số",
                     "Loại thiết bị",
                     "Lý do thu hồi",
                     "Mã yêu cầu kyso"};
    list.groups.push_back({});
    for (const Request& r : requests) {
        Row row = row_of(*reg, r);
        const auto source = source_letters.find(r.batch_id);
        row.letter["cong_van_goc"] =
            source != source_letters.end() && r.batch_id != b.id ? source->second : "";
        // Organizations' certificates go to the organizations' list ([bang_to_chuc]).
        (r.holder_type == "org" ? data.org_rows : data.rows).push_back(std::move(row.letter));
        row.list.insert(row.list.begin(), std::to_string(list.groups[0].rows.size() + 1));
        list.groups[0].rows.push_back(std::move(row.list));
    }
    auto letter = docs::resolve_letter(*tpl, data);
    if (!letter) return letter.error();

    // The three files are one set: written into a staging folder and swapped in for `out_dir`
    // as a whole (core/output_dir.h), so the folder holds the previous set or the new one.
    auto staged = OutputDir::create(out_dir, {kLetterDocx, kLetterPdf, kListXlsx});
    if (!staged) return staged.error();
    for (const auto& s : {docs::write_letter_docx(*letter, staged->path(kLetterDocx)),
                          docs::write_letter_pdf(*letter, staged->path(kLetterPdf)),
                          docs::write_xlsx(list, staged->path(kListXlsx))}) {
        if (!s) {
            Error e = s.error();
            for (const char* name : {kLetterDocx, kLetterPdf, kListXlsx}) {
                if (e.where.file == staged->path(name)) e.where.file = staged->final_path(name);
            }
            return e;
        }
    }
    if (auto s = staged->commit(); !s) return s.error();
    RenderedBatch out;
    out.letter_docx = staged->final_path(kLetterDocx);
    out.letter_pdf = staged->final_path(kLetterPdf);
    out.list_xlsx = staged->final_path(kListXlsx);
    out.rows = requests.size();
    return out;
}

}  // namespace kyso::workflow
