// kyso docs — text widths in Times New Roman without a font file, for laying out DOCX tables.
#include "docs/times_metrics.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <array>

namespace kyso::docs {

namespace {

// Times-Roman advance widths (1/1000 em) for ' ' (32) to '~' (126), from the Adobe core AFM.
constexpr std::array<short, 95> kAscii{
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,  // ' '../
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,  // 0..?
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,  // @..O
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,  // P.._
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,  // `..o
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541};      // p..~

int advance(UChar32 cp) {
    if (cp >= 32 && cp <= 126) return kAscii[static_cast<std::size_t>(cp - 32)];
    if (cp == 0x0110) return 722;  // Đ
    if (cp == 0x0111) return 500;  // đ
    // Letters with tone and vowel marks: the width of the base letter (first of the NFD form).
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    icu::UnicodeString decomposed;
    if (U_SUCCESS(status) && nfd->getDecomposition(cp, decomposed) && decomposed.length() > 0) {
        const UChar32 base = decomposed.char32At(0);
        if (base != cp) return advance(base);
    }
    return 500;
}

}  // namespace

double times_width(std::string_view text, double size, bool bold) {
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    double units = 0.0;
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) units += advance(u.char32At(i));
    // Times-Bold runs about 5 % wider than Times-Roman.
    return units / 1000.0 * size * (bold ? 1.05 : 1.0);
}

}  // namespace kyso::docs
