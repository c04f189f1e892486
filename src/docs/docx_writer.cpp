// kyso docs — a letter or record as DOCX: a minimal OOXML package (libzip) built with pugixml.
#include <memory>
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/messages.h"
#include "docs/docx_package.h"
#include "docs/letter.h"
#include "docs/letter_layout.h"
#include "docs/times_metrics.h"

namespace kyso::docs {

namespace {

using namespace layout;

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string twips(double pt) {
    return std::to_string(static_cast<int>(pt * 20.0 + 0.5));
}

// XML 1.0 allows no control characters but tab and line breaks; drop the others.
std::string clean(std::string_view s) {
    std::string out;
    for (const char c : s) {
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;
    }
    return out;
}

// WordprocessingML building blocks.
struct Body {
    // pPr children must keep the schema order (keepNext, pBdr, tabs, spacing, ind, jc, rPr,
    // sectPr): Word reports a document with them out of order as damaged.
    static pugi::xml_node para(pugi::xml_node parent, const char* jc, double before = 0.0) {
        auto p = parent.append_child("w:p");
        auto ppr = p.append_child("w:pPr");
        auto sp = ppr.append_child("w:spacing");
        sp.append_attribute("w:before") = twips(before).c_str();
        sp.append_attribute("w:after") = "0";
        ppr.append_child("w:jc").append_attribute("w:val") = jc;
        return p;
    }

    static void run(pugi::xml_node p, std::string_view text, double size, bool bold = false,
                    bool italic = false) {
        auto r = p.append_child("w:r");
        auto rpr = r.append_child("w:rPr");
        if (bold) rpr.append_child("w:b");
        if (italic) rpr.append_child("w:i");
        const std::string half = std::to_string(static_cast<int>(size * 2.0 + 0.5));
        rpr.append_child("w:sz").append_attribute("w:val") = half.c_str();
        rpr.append_child("w:szCs").append_attribute("w:val") = half.c_str();
        std::size_t pos = 0;
        while (true) {
            const auto nl = text.find('\n', pos);
            auto t = r.append_child("w:t");
            t.append_attribute("xml:space") = "preserve";
            t.text().set(clean(text.substr(pos, nl - pos)).c_str());
            if (nl == std::string_view::npos) break;
            r.append_child("w:br");
            pos = nl + 1;
        }
    }

    static void centered(pugi::xml_node parent, std::string_view text, double size, bool bold,
                         bool italic = false, double before = 0.0) {
        if (text.empty()) return;
        run(para(parent, "center", before), text, size, bold, italic);
    }

    // An empty paragraph whose bottom border, narrowed by indents, is a centred rule.
    static void rule(pugi::xml_node parent, double cell_pt, double rule_pt) {
        auto p = para(parent, "center");
        auto ppr = p.child("w:pPr");
        auto bdr =
            ppr.insert_child_before("w:pBdr", ppr.child("w:spacing")).append_child("w:bottom");
        bdr.append_attribute("w:val") = "single";
        bdr.append_attribute("w:sz") = "6";
        bdr.append_attribute("w:space") = "1";
        bdr.append_attribute("w:color") = "000000";
        auto ind = ppr.insert_child_before("w:ind", ppr.child("w:jc"));
        const std::string side = twips(std::max(0.0, (cell_pt - rule_pt) / 2.0));
        ind.append_attribute("w:left") = side.c_str();
        ind.append_attribute("w:right") = side.c_str();
        auto rpr = ppr.append_child("w:rPr");
        rpr.append_child("w:sz").append_attribute("w:val") = "4";
    }

    // A table with fixed column widths (points); borders or none.
    static pugi::xml_node table(pugi::xml_node parent, const std::vector<double>& widths,
                                bool borders) {
        auto tbl = parent.append_child("w:tbl");
        auto pr = tbl.append_child("w:tblPr");
        double total = 0.0;
        for (double w : widths) total += w;
        auto tw = pr.append_child("w:tblW");
        tw.append_attribute("w:w") = twips(total).c_str();
        tw.append_attribute("w:type") = "dxa";
        auto b = pr.append_child("w:tblBorders");
        for (const char* side :
             {"w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"}) {
            auto e = b.append_child(side);
            e.append_attribute("w:val") = borders ? "single" : "nil";
            if (borders) {
                e.append_attribute("w:sz") = "4";
                e.append_attribute("w:color") = "000000";
            }
        }
        // CT_TblPr order: tblW, tblBorders, tblLayout, tblCellMar (Word rejects other orders).
        pr.append_child("w:tblLayout").append_attribute("w:type") = "fixed";
        auto mar = pr.append_child("w:tblCellMar");
        for (const char* side : {"w:top", "w:left", "w:bottom", "w:right"}) {
            const bool vertical = side[2] == 't' || side[2] == 'b';
            auto m = mar.append_child(side);
            m.append_attribute("w:w") = !borders ? "0" : vertical ? "30" : "60";
            m.append_attribute("w:type") = "dxa";
        }
        auto grid = tbl.append_child("w:tblGrid");
        for (double w : widths)
            grid.append_child("w:gridCol").append_attribute("w:w") = twips(w).c_str();
        return tbl;
    }

    static pugi::xml_node row(pugi::xml_node tbl, bool heading) {
        auto tr = tbl.append_child("w:tr");
        auto pr = tr.append_child("w:trPr");
        pr.append_child("w:cantSplit");
        if (heading) pr.append_child("w:tblHeader");  // repeated at the top of each page
        return tr;
    }

    // Layout tables (header, signatures) align their cells at the top; the list centres them.
    static pugi::xml_node cell(pugi::xml_node tr, double width, const char* valign = "top") {
        auto tc = tr.append_child("w:tc");
        auto pr = tc.append_child("w:tcPr");
        auto w = pr.append_child("w:tcW");
        w.append_attribute("w:w") = twips(width).c_str();
        w.append_attribute("w:type") = "dxa";
        pr.append_child("w:vAlign").append_attribute("w:val") = valign;
        return tc;
    }
};

void header(pugi::xml_node body, const RenderedLetter& l) {
    const double lw = mm_to_pt(kHeaderLeftMm);
    const double rw = mm_to_pt(kHeaderRightMm);
    auto tbl = Body::table(body, {lw, rw}, false);
    auto tr = Body::row(tbl, false);
    auto left = Body::cell(tr, lw);
    Body::centered(left, l.superior_body, kBodyHeaderPt, false);
    Body::centered(left, l.issuing_body, kBodyHeaderPt, true);
    Body::rule(left, lw, mm_to_pt(kIssuingRuleMm));
    auto right = Body::cell(tr, rw);
    Body::centered(right, l.national_title, kNationalTitlePt, true);
    Body::centered(right, l.motto, kMottoPt, true);
    Body::rule(right, rw, times_width(l.motto, kMottoPt, true));
    tr = Body::row(tbl, false);
    left = Body::cell(tr, lw);
    Body::centered(left, l.number, kNumberPt, false, false, 6.0);
    Body::centered(left, l.subject, kSubjectPt, false);
    if (left.child("w:p").empty()) Body::para(left, "center");  // a cell needs a paragraph
    right = Body::cell(tr, rw);
    Body::centered(right, l.place_date, kPlaceDatePt, false, true, 6.0);
    if (right.child("w:p").empty()) Body::para(right, "center");
}

void recipients(pugi::xml_node body, const RenderedLetter& l) {
    if (l.recipients.empty()) return;
    const std::string label = l.recipients_label + " ";
    if (l.recipients.size() == 1) {
        auto p = Body::para(body, "center", 14.0);
        Body::run(p, label + l.recipients[0], kBodyPt);
        return;
    }
    // "Kính gửi:" hangs in front of the dash list (a tab stop where the items start).
    const double label_w = times_width(label, kBodyPt, false) + 4.0;
    const double start = mm_to_pt(25.0) + label_w;
    auto p = Body::para(body, "left", 14.0);
    auto ppr = p.child("w:pPr");
    auto tab = ppr.insert_child_before("w:tabs", ppr.child("w:spacing")).append_child("w:tab");
    tab.append_attribute("w:val") = "left";
    tab.append_attribute("w:pos") = twips(start).c_str();
    auto ind = ppr.insert_child_before("w:ind", ppr.child("w:jc"));
    ind.append_attribute("w:left") = twips(start).c_str();
    ind.append_attribute("w:hanging") = twips(label_w).c_str();
    Body::run(p, l.recipients_label, kBodyPt);
    p.append_child("w:r").append_child("w:tab");
    std::string items;
    for (const auto& item : l.recipients) items += (items.empty() ? "" : "\n") + item;
    Body::run(p, items, kBodyPt);
}

// `keep_next`: the closing paragraphs stay on the page of the signature (w:keepNext).
void paragraph(pugi::xml_node body, const StyledText& t, bool keep_next = false) {
    auto p = Body::para(body, "both", kParagraphSpacingPt);
    auto ppr = p.child("w:pPr");
    if (keep_next) ppr.prepend_child("w:keepNext");
    ppr.child("w:spacing").append_attribute("w:line") = "276";  // 1.15 lines
    ppr.child("w:spacing").append_attribute("w:lineRule") = "auto";
    ppr.insert_child_before("w:ind", ppr.child("w:jc")).append_attribute("w:firstLine") =
        twips(mm_to_pt(kFirstLineIndentMm)).c_str();
    Body::run(p, t.text, kBodyPt, t.bold, t.italic);
}

// A list: its title lines, then the table, sized to its content (layout::plan_list with the
// Times metrics; Word wraps the text itself).
void list(pugi::xml_node body, const RenderedList& l, const PageGeometry& page) {
    if (l.headings.empty()) return;
    const std::size_t n = l.headings.size();
    for (const auto& t : l.title) {
        auto p = Body::para(body, "left", kParagraphSpacingPt);
        p.child("w:pPr").prepend_child("w:keepNext");
        Body::run(p, t.text, kBodyPt, t.bold, t.italic);
    }
    const auto plan = plan_list(l.headings, l.rows, mm_to_pt(page.text_width_mm()),
                                page.width_mm > page.height_mm, 8.0,
                                [](std::string_view text, double size, bool bold) {
                                    return times_width(text, size, bold);
                                });
    const double size = plan.font_pt;
    const auto& widths = plan.widths;
    auto tbl = Body::table(body, widths, true);
    auto add_row = [&](const std::vector<std::string>& cells, bool heading) {
        auto tr = Body::row(tbl, heading);
        for (std::size_t i = 0; i < n; ++i) {
            const std::string& text = i < cells.size() ? cells[i] : std::string();
            const bool number = !text.empty() && text.size() <= 4 &&
                                text.find_first_not_of("0123456789") == std::string::npos;
            auto p = Body::para(Body::cell(tr, widths[i], "center"),
                                heading || number ? "center" : "left");
            Body::run(p, text, size, heading);
        }
    };
    Body::para(body, "left", 0.0);  // a little air between the paragraph and the list
    add_row(l.headings, true);
    for (const auto& r : l.rows) add_row(r, false);
}

void lists(pugi::xml_node body, const RenderedLetter& l, const PageGeometry& page) {
    for (const auto& one : l.lists) list(body, one, page);
}

void signature(pugi::xml_node cell, const SignatureBlock& b) {
    for (const auto& t : b.lines) {
        Body::centered(cell, t.text, t.italic ? kSignaturePt - 1.0 : kSignaturePt, t.bold,
                       t.italic);
    }
    auto space = Body::para(cell, "center");
    space.child("w:pPr").child("w:spacing").attribute("w:before") =
        twips(mm_to_pt(kSignatureSpaceMm)).c_str();
    Body::centered(cell, b.name, kSignaturePt, true);
}

void copies(pugi::xml_node cell, const RenderedLetter& l) {
    if (l.copies_to.empty()) {
        Body::para(cell, "left");
        return;
    }
    Body::run(Body::para(cell, "left", 0.0), l.copies_label, kCopiesLabelPt, true, true);
    for (const auto& item : l.copies_to) Body::run(Body::para(cell, "left"), item, kCopiesPt);
}

void closing_blocks(pugi::xml_node body, const RenderedLetter& l) {
    Body::para(body, "left", 6.0).child("w:pPr").prepend_child("w:keepNext");
    const double lw = mm_to_pt(kHeaderLeftMm);
    const double rw = mm_to_pt(kHeaderRightMm);
    if (l.signatures.size() == 1) {
        auto tr = Body::row(Body::table(body, {lw, rw}, false), false);
        copies(Body::cell(tr, lw), l);
        signature(Body::cell(tr, rw), l.signatures[0]);
        return;
    }
    const double cw = mm_to_pt(kTextWidthMm) / static_cast<double>(l.signatures.size());
    auto tr =
        Body::row(Body::table(body, std::vector<double>(l.signatures.size(), cw), false), false);
    for (const auto& b : l.signatures) signature(Body::cell(tr, cw), b);
    if (!l.copies_to.empty()) copies(body, l);
}

// A4 page size and Decree 30 margins; page numbers in the header from page 2 (titlePg: the
// first page has its own, empty header).
void section(pugi::xml_node parent, const PageGeometry& page, bool first_page) {
    auto sect = parent.append_child("w:sectPr");
    auto number = sect.append_child("w:headerReference");
    number.append_attribute("w:type") = "default";
    number.append_attribute("r:id") = "rIdHeaderNumber";
    if (first_page) {
        auto first = sect.append_child("w:headerReference");
        first.append_attribute("w:type") = "first";
        first.append_attribute("r:id") = "rIdHeaderFirst";
    }
    auto size = sect.append_child("w:pgSz");
    size.append_attribute("w:w") = mm_to_twips(page.width_mm);
    size.append_attribute("w:h") = mm_to_twips(page.height_mm);
    if (page.width_mm > page.height_mm) size.append_attribute("w:orient") = "landscape";
    auto mar = sect.append_child("w:pgMar");
    mar.append_attribute("w:top") = mm_to_twips(page.top_mm);
    mar.append_attribute("w:right") = mm_to_twips(page.right_mm);
    mar.append_attribute("w:bottom") = mm_to_twips(page.bottom_mm);
    mar.append_attribute("w:left") = mm_to_twips(page.left_mm);
    mar.append_attribute("w:header") = mm_to_twips(page.top_mm / 2.0);
    mar.append_attribute("w:footer") = mm_to_twips(10.0);
    mar.append_attribute("w:gutter") = 0;
    if (first_page) sect.append_child("w:titlePg");
}

}  // namespace

Status write_letter_docx(const RenderedLetter& l, const std::string& path) {
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    decl.append_attribute("standalone") = "yes";
    auto root = doc.append_child("w:document");
    root.append_attribute("xmlns:w") = kW;
    root.append_attribute("xmlns:r") = kR;
    auto body = root.append_child("w:body");
    header(body, l);
    for (const auto& t : l.title) {
        Body::centered(body, t.text, t.italic ? kBodyPt - 1.0 : kTitlePt, t.bold, t.italic,
                       &t == &l.title.front() ? 18.0 : 0.0);
    }
    recipients(body, l);
    for (const auto& t : l.body) paragraph(body, t);
    if (l.appendix_title.empty()) lists(body, l, kPortrait);
    for (const auto& t : l.closing) paragraph(body, t, true);
    closing_blocks(body, l);

    if (l.appendix_title.empty()) {
        section(body, kPortrait, true);
    } else {
        // The letter's portrait section ends with this paragraph; the list follows, landscape.
        section(body.append_child("w:p").append_child("w:pPr"), kPortrait, true);
        for (const auto& t : l.appendix_title) {
            Body::centered(body, t.text, t.italic ? kBodyPt - 1.0 : kTitlePt, t.bold, t.italic);
        }
        lists(body, l, kLandscape);
        Body::para(body, "left");
        section(body, kLandscape, false);
    }

    std::ostringstream xml;
    doc.save(xml, "", pugi::format_raw, pugi::encoding_utf8);
    return write_docx_package(xml.str(), path);
}

}  // namespace kyso::docs
