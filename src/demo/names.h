// kyso demo — invented Vietnamese names: people, provinces, districts and communes (all NFC).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_set>

#include "demo/random.h"

namespace kyso::demo {

enum class Gender { male, female };

// Draws a full name ("Nguyễn Văn An") into `full` and its e-mail form ("nguyenvanan") into
// `ascii`, reusing both buffers. Surnames follow their rough frequency in Vietnam.
Gender draw_person_name(Rng& rng, std::string& full, std::string& ascii);

// Invented province names ("Trường Sơn"), none of them a real province; all distinct.
std::span<const std::string_view> province_names();

// A two-syllable place name ("Tân Lộc") not yet in `used`; it is added to `used`.
std::string draw_place_name(Rng& rng, std::unordered_set<std::string>& used);

// A school's namesake ("Nguyễn Du", "Lê Quý Đôn").
std::string_view draw_namesake(Rng& rng);

// Appends `utf8` with Vietnamese diacritics removed, lower-cased, keeping only ASCII letters
// and digits ("Đỗ Thị Hà" → "dothiha").
void append_ascii_fold(std::string& out, std::string_view utf8);
// Upper-cases ASCII and the precomposed Vietnamese letters ("Sở Tài chính" → "SỞ TÀI CHÍNH").
std::string vietnamese_upper(std::string_view utf8);

}  // namespace kyso::demo
