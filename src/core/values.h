// kyso core — value checks for identity numbers, phones, e-mails and certificate serials.
#pragma once

#include <cstddef>
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

// Certificate serials (FORMATS.md §1): the integer in uppercase hex as `openssl x509 -serial`
// prints it — two digits a byte, no extra leading "00" byte (zero is "00"), and "-" before the
// magnitude of a negative one ("-05"; RFC 5280 §4.1.2.2 forbids them, but they exist).
// True when `serial` is already in that form.
bool serial_valid(std::string_view serial);
// The normal form of a serial as people write it: surrounding white space, a "0x" prefix, a
// leading "-", spaces, tabs and colons between digits, lower case and leading zero digits or
// bytes are accepted ("00:9f:00" → "9F00", "7277F52" → "07277F52", "-0x05" → "-05", "-0" →
// "00"). nullopt when what remains is not hex digits.
std::optional<std::string> normalize_serial(std::string_view text);
// Orders serials as integers (negative ones first). Either side may be in any form that
// normalize_serial accepts; text that is not a serial at all is ordered as text after leading
// zeros. Negative, zero, positive like strcmp. Two serials name the same certificate when this
// is 0.
int compare_serials(std::string_view a, std::string_view b);
// RFC 5280 §4.1.2.2: conforming CAs use serials of at most 20 octets, and users SHOULD handle
// up to 20 gracefully. kyso counts the octets of the integer's magnitude, as the normal form
// shows them (two hex digits an octet): a random 160-bit serial whose first byte is 80 or more
// is 20 octets here although DER adds a 21st sign byte — real CAs issue those. Longer serials
// are refused wherever kyso reads one.
inline constexpr std::size_t kMaxSerialOctets = 20;
// The octets of the magnitude of the serial `normal` (normal form, serial_valid); 0 when it is
// not in normal form.
std::size_t serial_octets(std::string_view normal);
// True when `normal` is in normal form and takes at most kMaxSerialOctets octets.
inline bool serial_fits(std::string_view normal) {
    const std::size_t n = serial_octets(normal);
    return n > 0 && n <= kMaxSerialOctets;
}
inline bool same_serial(std::string_view a, std::string_view b) {
    return compare_serials(a, b) == 0;
}
struct SerialLess {
    bool operator()(std::string_view a, std::string_view b) const {
        return compare_serials(a, b) < 0;
    }
};

}  // namespace kyso
