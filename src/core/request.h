// kyso core — requests, users and roles (DOMAIN.md "Request", "Who is involved").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kyso {

// DOMAIN.md: cấp mới, gia hạn, thay đổi nội dung thông tin, thu hồi, khôi phục thiết bị,
// bàn giao thiết bị.
enum class RequestKind { issue, renew, change_info, revoke, device_restore, device_handover };
std::string_view to_string(RequestKind k);
std::optional<RequestKind> parse_request_kind(std::string_view s);

// draft → validated → approved → submitted → forwarded → completed | rejected.
enum class RequestState { draft, validated, approved, submitted, forwarded, completed, rejected };
std::string_view to_string(RequestState s);
std::optional<RequestState> parse_request_state(std::string_view s);
// Every kind's and every state's name, in enum order (for messages that list them).
std::span<const std::string_view> request_kind_names();
std::span<const std::string_view> request_state_names();
bool is_final(RequestState s);

enum class Role { unit_officer, unit_head, dost_operator, ca_operator, auditor, admin };
std::string_view to_string(Role r);
std::optional<Role> parse_role(std::string_view s);

// RFC 5280 §5.3.1 CRLReason names (value 7 is not used).
bool is_crl_reason(std::string_view name);

struct User {
    std::int64_t id = 0;
    std::string username;
    std::string full_name;
    Role role = Role::auditor;
    std::string org_id;  // scope: this organization and those under it; empty: everything
    std::string position;
    bool disabled = false;  // an admin disabled the account: it cannot sign in
};

struct Request {
    std::int64_t id = 0;
    RequestKind kind = RequestKind::change_info;
    RequestState state = RequestState::draft;
    std::string managing_org_id;
    std::string holder_type;  // "person", "org" or "" (device hand-over of a device only)
    std::string holder_id;
    std::string certificate;  // serial of the certificate concerned
    std::string device_id;
    std::string rule;
    std::string event_id;
    std::string old_subject;  // RFC 4514
    std::string new_subject;  // RFC 4514
    std::string revocation_reason;
    std::string plan_key;  // empty: not from a plan
    std::string created_by;
    std::string created_at;
    std::int64_t batch_id = 0;  // 0: none
    std::string result_serial;
    std::string reject_reason;
    std::string completed_at;
};

}  // namespace kyso
