// kyso docs — text widths in Times New Roman without a font file, for laying out DOCX tables.
#pragma once

#include <string_view>

namespace kyso::docs {

// Width in points of `text` (UTF-8) set in Times New Roman at `size` points: the Adobe
// Times-Roman advance widths, Vietnamese letters measured as their base letter (ư as u, Đ as D).
// Word lays the text out itself; this only sizes rules and column widths well enough.
double times_width(std::string_view text, double size, bool bold);

}  // namespace kyso::docs
