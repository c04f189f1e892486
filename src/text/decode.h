// kyso text — the bytes of an agency's CSV (UTF-8, UTF-16 or Windows-1258) turned into NFC UTF-8.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace kyso::text {

// What the bytes were, as detected.
enum class SourceEncoding { utf8, utf8_bom, utf16le, utf16be, windows1258 };

struct Decoded {
    std::string text;  // valid UTF-8, NFC, without a BOM
    SourceEncoding encoding;
};

// Detection, in order: a UTF-8 BOM (stripped; the rest must be valid UTF-8); a UTF-16 LE/BE BOM;
// no BOM but valid UTF-8; no BOM and NUL bytes mostly at odd (LE) or even (BE) offsets, as
// "Unicode text" saved without a BOM; otherwise Windows-1258, the code page Excel uses for "CSV"
// on Vietnamese Windows. Errors (decode.*) name `name_for_errors` and the byte offset and line.
Result<Decoded> decode_text(std::string_view bytes, const std::string& name_for_errors);

// "UTF-8", "UTF-16LE", ... for messages and reports.
std::string_view encoding_name(SourceEncoding encoding);

}  // namespace kyso::text
