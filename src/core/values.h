// kyso core — value checks for identity numbers, phones, e-mails and certificate serials.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"

namespace kyso {

// CCCD (căn cước công dân): 12 ASCII digits (DOMAIN.md, FORMATS.md §5).
bool cccd_well_formed(std::string_view cccd);
// First three digits name a birth-registration province of the old 63-province list.
bool cccd_province_known(std::string_view cccd);
// Century/gender digit and 2-digit year agree with the date of birth.
bool cccd_matches_birth(std::string_view cccd, const Date& date_of_birth);

// Vietnamese mobile number: ^(0|\+84)(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-46-9])[0-9]{7}$
bool phone_valid(std::string_view phone);
// ^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$
bool email_valid(std::string_view email);

// Certificate serial: non-empty uppercase hex without separators.
bool serial_valid(std::string_view serial);
// Normalizes "0a:1b" / "0x0A1B" / " 0a1b " to "0A1B"; nullopt when not hex.
std::optional<std::string> normalize_serial(std::string_view text);
// Orders serials as numbers (leading zeros ignored). Negative, zero, positive like strcmp.
int compare_serials(std::string_view a, std::string_view b);
struct SerialLess {
    bool operator()(std::string_view a, std::string_view b) const {
        return compare_serials(a, b) < 0;
    }
};

}  // namespace kyso
