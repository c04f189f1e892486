// kyso docs — a PDF page canvas over libharu: fonts, UTF-8 text measuring and wrapping, pages.
#include "docs/pdf_canvas.h"

#include <hpdf.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <type_traits>

#include "core/atomic_file.h"
#include "core/messages.h"
#include "docs/letter_layout.h"

static_assert(kyso::docs::layout::kMaxPdfPages == HPDF_LIMIT_MAX_ARRAY,
              "letter_layout.h's page bound must be libharu's");

namespace kyso::docs::pdf {

namespace {

struct DocFree {
    void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};

// Liberation 2.x: metric-compatible with Times New Roman and, unlike 1.x, with the Vietnamese
// letters (ơ, ư, ạ, ễ, ...). Debian package fonts-liberation2.
constexpr std::array<const char*, 4> kFontFiles{
    "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic.ttf"};

std::vector<std::string> font_dirs() {
    std::vector<std::string> dirs;
    if (const char* env = std::getenv("KYSO_FONT_DIR"); env != nullptr && *env != '\0') {
        dirs.emplace_back(env);
    }
    dirs.emplace_back("/usr/share/fonts/truetype/liberation2");
    dirs.emplace_back("/usr/local/share/fonts/truetype/liberation2");
    dirs.emplace_back("/usr/share/fonts/liberation2");
    return dirs;
}

bool is_lead_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
}

bool is_break_after(char c) {
    return c == '@' || c == '.' || c == '-' || c == '/' || c == '_' || c == ',' || c == ';';
}

// Pieces of a word after which a line may break: "a.b@c.vn" → "a.", "b@", "c.", "vn".
std::vector<std::string_view> segments(std::string_view word) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i + 1 < word.size(); ++i) {
        if (is_break_after(word[i])) {
            out.push_back(word.substr(start, i + 1 - start));
            start = i + 1;
        }
    }
    out.push_back(word.substr(start));
    return out;
}

std::vector<std::string_view> words(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto next = text.find(' ', pos);
        const auto end = next == std::string_view::npos ? text.size() : next;
        if (end > pos) out.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    return out;
}

void on_error(HPDF_STATUS error, HPDF_STATUS detail, void* user_data);

}  // namespace

struct Canvas::State {
    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocFree> doc;
    std::array<HPDF_Font, 4> fonts{};
    HPDF_Page page = nullptr;
    bool failed = false;
    HPDF_STATUS error = 0;
    HPDF_STATUS detail = 0;

    [[nodiscard]] HPDF_Font font(Face f) const { return fonts[static_cast<std::size_t>(f)]; }
};

namespace {
// libharu reports through this handler and then returns an error code; the first error is kept
// and turned into a Result by Canvas::status(), so nothing unwinds through C code.
void on_error(HPDF_STATUS error, HPDF_STATUS detail, void* user_data) {
    auto* state = static_cast<Canvas::State*>(user_data);
    if (state->failed) return;
    state->failed = true;
    state->error = error;
    state->detail = detail;
}
}  // namespace

Canvas::Canvas(Key, std::unique_ptr<State> state) : state_(std::move(state)) {}
Canvas::~Canvas() = default;

Result<std::unique_ptr<Canvas>> Canvas::open() {
    std::string dir;
    std::string tried;
    for (const auto& d : font_dirs()) {
        std::error_code ec;
        if (std::filesystem::exists(std::filesystem::path(d) / kFontFiles[0], ec)) {
            dir = d;
            break;
        }
        tried += (tried.empty() ? "" : ", ") + d;
    }
    if (dir.empty()) {
        return make_error("letter.font_missing", Location{}, {kFontFiles[0], tried});
    }
    auto state = std::make_unique<State>();
    state->doc.reset(HPDF_New(on_error, state.get()));
    if (!state->doc) return make_error("letter.pdf", Location{}, {"HPDF_New", "0"});
    HPDF_Doc doc = state->doc.get();
    HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(doc);
    HPDF_SetCurrentEncoder(doc, "UTF-8");
    HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, "kyso");
    for (std::size_t i = 0; i < kFontFiles.size(); ++i) {
        const std::string file = (std::filesystem::path(dir) / kFontFiles[i]).string();
        std::error_code ec;
        if (!std::filesystem::exists(file, ec)) {
            return make_error("letter.font_missing", Location{}, {kFontFiles[i], dir});
        }
        const char* name = HPDF_LoadTTFontFromFile(doc, file.c_str(), HPDF_TRUE);
        if (name == nullptr) return make_error("letter.font_unusable", Location{file, 0, {}, {}});
        state->fonts[i] = HPDF_GetFont(doc, name, "UTF-8");
        if (state->fonts[i] == nullptr) {
            return make_error("letter.font_unusable", Location{file, 0, {}, {}});
        }
    }
    auto canvas = std::make_unique<Canvas>(Key{}, std::move(state));
    if (auto s = canvas->status(); !s) return s.error();
    return canvas;
}

double Canvas::width(std::string_view text, Face face, double size) const {
    if (text.empty()) return 0.0;
    const HPDF_TextWidth w =
        HPDF_Font_TextWidth(state_->font(face), reinterpret_cast<const HPDF_BYTE*>(text.data()),
                            static_cast<HPDF_UINT>(text.size()));
    return static_cast<double>(w.width) * size / 1000.0;
}

double Canvas::min_width(std::string_view text, Face face, double size) const {
    double widest = 0.0;
    for (const auto word : words(text)) {
        for (const auto seg : segments(word)) widest = std::max(widest, width(seg, face, size));
    }
    return widest;
}

std::vector<std::string> Canvas::wrap(std::string_view text, Face face, double size, double first,
                                      double rest) const {
    std::vector<std::string> lines;
    std::string line;
    double line_w = 0.0;
    const double space = width(" ", face, size);
    auto limit = [&] { return lines.empty() ? first : rest; };
    auto flush = [&] {
        lines.push_back(std::move(line));
        line.clear();
        line_w = 0.0;
    };
    // Appends `piece` to the current line if it fits there.
    auto fits = [&](std::string_view piece, bool after_space) {
        const double gap = after_space && !line.empty() ? space : 0.0;
        const double w = width(piece, face, size);
        if (line_w + gap + w > limit()) return false;
        if (gap > 0.0) line += ' ';
        line += piece;
        line_w += gap + w;
        return true;
    };
    // Starts `piece` on a new line; wider than a line, it is split between characters.
    auto start = [&](std::string_view piece) {
        const double w_piece = width(piece, face, size);
        // Rather an empty first line (after a label) than a word split that need not be.
        if (!line.empty() || (w_piece > limit() && w_piece <= rest)) flush();
        std::size_t i = 0;
        while (i < piece.size()) {
            std::size_t j = i + 1;
            while (j < piece.size() && !is_lead_byte(piece[j])) ++j;
            const std::string_view cp = piece.substr(i, j - i);
            const double w = width(cp, face, size);
            if (!line.empty() && line_w + w > limit()) flush();
            line += cp;
            line_w += w;
            i = j;
        }
    };
    for (const auto word : words(text)) {
        if (fits(word, true)) continue;
        if (width(word, face, size) <= rest) {
            start(word);
            continue;
        }
        // A word wider than a whole line (an e-mail address, a long serial): fill the current
        // line with its first pieces, then carry on with the rest.
        bool first_piece = true;
        for (const auto seg : segments(word)) {
            if (!fits(seg, first_piece)) start(seg);
            first_piece = false;
        }
    }
    if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
    return lines;
}

void Canvas::text(double x, double baseline, std::string_view text, Face face, double size) {
    if (text.empty()) return;
    const std::string s(text);
    HPDF_Page_BeginText(state_->page);
    HPDF_Page_SetFontAndSize(state_->page, state_->font(face), static_cast<HPDF_REAL>(size));
    HPDF_Page_TextOut(state_->page, static_cast<HPDF_REAL>(x),
                      static_cast<HPDF_REAL>(page_height_ - baseline), s.c_str());
    HPDF_Page_EndText(state_->page);
}

void Canvas::justified(double x, double baseline, double w, std::string_view line, Face face,
                       double size) {
    const auto ws = words(line);
    if (ws.size() < 2) {
        text(x, baseline, line, face, size);
        return;
    }
    double total = 0.0;
    for (const auto word : ws) total += width(word, face, size);
    const double gap = (w - total) / static_cast<double>(ws.size() - 1);
    // Never spread a line that is far too short (e.g. one long word pushed to the next line).
    if (gap > 3.0 * width(" ", face, size)) {
        text(x, baseline, line, face, size);
        return;
    }
    double at = x;
    for (const auto word : ws) {
        text(at, baseline, word, face, size);
        at += width(word, face, size) + gap;
    }
}

void Canvas::rule(double x1, double x2, double top, double line_width) {
    HPDF_Page_SetLineWidth(state_->page, static_cast<HPDF_REAL>(line_width));
    HPDF_Page_MoveTo(state_->page, static_cast<HPDF_REAL>(x1),
                     static_cast<HPDF_REAL>(page_height_ - top));
    HPDF_Page_LineTo(state_->page, static_cast<HPDF_REAL>(x2),
                     static_cast<HPDF_REAL>(page_height_ - top));
    HPDF_Page_Stroke(state_->page);
}

void Canvas::box(double x, double top, double w, double h, double line_width) {
    HPDF_Page_SetLineWidth(state_->page, static_cast<HPDF_REAL>(line_width));
    HPDF_Page_Rectangle(state_->page, static_cast<HPDF_REAL>(x),
                        static_cast<HPDF_REAL>(page_height_ - top - h), static_cast<HPDF_REAL>(w),
                        static_cast<HPDF_REAL>(h));
    HPDF_Page_Stroke(state_->page);
}

void Canvas::new_page(bool landscape) {
    state_->page = HPDF_AddPage(state_->doc.get());
    if (state_->page == nullptr) return;  // recorded by the error handler
    HPDF_Page_SetSize(state_->page, HPDF_PAGE_SIZE_A4,
                      landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT);
    page_width_ = HPDF_Page_GetWidth(state_->page);
    page_height_ = HPDF_Page_GetHeight(state_->page);
    ++pages_;
    // Decree 30: page numbers from the second page, centred in the top margin.
    if (pages_ >= 2) {
        const auto& g = landscape ? layout::kLandscape : layout::kPortrait;
        const std::string n = std::to_string(pages_);
        const double size = layout::kPageNumberPt;
        const double left = layout::mm_to_pt(g.left_mm);
        const double right = page_width_ - layout::mm_to_pt(g.right_mm);
        text((left + right - width(n, Face::regular, size)) / 2.0,
             layout::mm_to_pt(g.top_mm) / 2.0 + 0.35 * size, n, Face::regular, size);
    }
}

Status Canvas::status() const {
    if (!state_->failed) return Ok{};
    char code[32];
    std::snprintf(code, sizeof code, "0x%04X", static_cast<unsigned>(state_->error));
    return make_error("letter.pdf", Location{}, {code, std::to_string(state_->detail)});
}

Status Canvas::save(const std::string& path) {
    if (auto s = status(); !s) return s;
    return write_file_atomically_via(path, [&](const std::string& temp) { return save_to(temp); });
}

Status Canvas::save_to(const std::string& path) {
    if (HPDF_SaveToFile(state_->doc.get(), path.c_str()) != HPDF_OK) {
        if (auto s = status(); !s) {
            s.error().where.file = path;
            return s;
        }
        return make_error("docs.write", Location{path, 0, {}, {}}, {path});
    }
    return Ok{};
}

}  // namespace kyso::docs::pdf
