// kyso core — requests, users and roles (DOMAIN.md "Request", "Who is involved").
#include "core/request.h"

#include <array>

#include "core/enum_names.h"

namespace kyso {

namespace {

constexpr std::array<std::string_view, 6> kKinds = {"issue",  "renew",          "change_info",
                                                    "revoke", "device_restore", "device_handover"};
constexpr std::array<std::string_view, 7> kStates = {
    "draft", "validated", "approved", "submitted", "forwarded", "completed", "rejected"};
constexpr std::array<std::string_view, 6> kRoles = {"unit_officer", "unit_head", "dost_operator",
                                                    "ca_operator",  "auditor",   "admin"};
constexpr std::array<std::string_view, 10> kCrlReasons = {
    "unspecified",        "keyCompromise",        "cACompromise",    "affiliationChanged",
    "superseded",         "cessationOfOperation", "certificateHold", "removeFromCRL",
    "privilegeWithdrawn", "aACompromise"};

}  // namespace

std::string_view to_string(RequestKind k) {
    return kKinds[static_cast<std::size_t>(k)];
}
std::optional<RequestKind> parse_request_kind(std::string_view s) {
    return enum_from_name<RequestKind>(kKinds, s);
}
std::span<const std::string_view> request_kind_names() {
    return kKinds;
}
std::span<const std::string_view> request_state_names() {
    return kStates;
}
std::string_view to_string(RequestState s) {
    return kStates[static_cast<std::size_t>(s)];
}
std::optional<RequestState> parse_request_state(std::string_view s) {
    return enum_from_name<RequestState>(kStates, s);
}
bool is_final(RequestState s) {
    return s == RequestState::completed || s == RequestState::rejected;
}
std::string_view to_string(Role r) {
    return kRoles[static_cast<std::size_t>(r)];
}
std::optional<Role> parse_role(std::string_view s) {
    return enum_from_name<Role>(kRoles, s);
}
bool is_crl_reason(std::string_view name) {
    return enum_from_name<int>(kCrlReasons, name).has_value();
}

}  // namespace kyso
