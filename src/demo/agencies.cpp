// kyso demo — templates of the agencies of a province and a district before the 2025 reform.
#include "demo/agencies.h"

#include <array>

namespace kyso::demo {

namespace {

using K = OrgKind;

constexpr std::array<UnitTemplate, 1> kOfficeUnits{
    {{"ttphcc", "Trung tâm Phục vụ hành chính công", 25, false, true}}};
constexpr std::array<UnitTemplate, 2> kHomeAffairsUnits{
    {{"btdkt", "Ban Thi đua - Khen thưởng", 12, false, true},
     {"ccvtlt", "Chi cục Văn thư - Lưu trữ", 10, false, true}}};
constexpr std::array<UnitTemplate, 2> kJusticeUnits{
    {{"tttgpl", "Trung tâm Trợ giúp pháp lý nhà nước", 12, false, true},
     {"pcc1", "Phòng Công chứng số 1", 8, false, true}}};
constexpr std::array<UnitTemplate, 2> kPlanningUnits{
    {{"ttxtdt", "Trung tâm Xúc tiến Đầu tư", 12, true, true},
     {"tthtdn", "Trung tâm Hỗ trợ doanh nghiệp", 10, false, true}}};
constexpr std::array<UnitTemplate, 1> kFinanceUnits{
    {{"ttdvtc", "Trung tâm Dịch vụ tài chính công", 10, false, true}}};
constexpr std::array<UnitTemplate, 1> kTradeUnits{
    {{"ttkc", "Trung tâm Khuyến công và Xúc tiến thương mại", 12, false, true}}};
constexpr std::array<UnitTemplate, 3> kAgricultureUnits{
    {{"cckl", "Chi cục Kiểm lâm", 40, false, true},
     {"cctl", "Chi cục Thủy lợi", 15, false, true},
     {"ttkn", "Trung tâm Khuyến nông", 15, false, true}}};
constexpr std::array<UnitTemplate, 1> kTransportUnits{
    {{"ttdk", "Trung tâm Đăng kiểm xe cơ giới", 12, false, true}}};
constexpr std::array<UnitTemplate, 1> kConstructionUnits{
    {{"ttkd", "Trung tâm Kiểm định chất lượng xây dựng", 12, false, true}}};
constexpr std::array<UnitTemplate, 2> kEnvironmentUnits{
    {{"vpdkdd", "Văn phòng Đăng ký đất đai", 40, false, true},
     {"ttqt", "Trung tâm Quan trắc tài nguyên và môi trường", 10, false, true}}};
constexpr std::array<UnitTemplate, 1> kInformationUnits{
    {{"ttcntt", "Trung tâm Công nghệ thông tin và Truyền thông", 15, true, true}}};
constexpr std::array<UnitTemplate, 2> kLabourUnits{
    {{"ttdvvl", "Trung tâm Dịch vụ việc làm", 15, false, true},
     {"btxh", "Cơ sở Bảo trợ xã hội tổng hợp", 12, false, true}}};
constexpr std::array<UnitTemplate, 3> kCultureUnits{
    {{"bt", "Bảo tàng", 10, false, true},
     {"tv", "Thư viện", 10, false, true},
     {"ttxtdl", "Trung tâm Xúc tiến du lịch", 8, false, true}}};
constexpr std::array<UnitTemplate, 2> kScienceUnits{
    {{"cctdc", "Chi cục Tiêu chuẩn Đo lường Chất lượng", 12, false, true},
     {"ttudkh", "Trung tâm Ứng dụng khoa học và công nghệ", 10, false, true}}};
// Schools take the name of a namesake instead of the province.
constexpr std::array<UnitTemplate, 4> kEducationUnits{
    {{"thptc", "Trường Trung học phổ thông chuyên", 60, false, false},
     {"thpt1", "Trường Trung học phổ thông", 50, false, false},
     {"thpt2", "Trường Trung học phổ thông", 50, false, false},
     {"thpt3", "Trường Trung học phổ thông", 45, false, false}}};
constexpr std::array<UnitTemplate, 3> kHealthUnits{
    {{"bvdk", "Bệnh viện Đa khoa", 120, false, true},
     {"cdc", "Trung tâm Kiểm soát bệnh tật", 40, false, true},
     {"bvydct", "Bệnh viện Y dược cổ truyền", 40, false, true}}};

constexpr std::array<AgencyTemplate, 20> kAgencies{{
    {"vp", "Văn phòng Ủy ban nhân dân", K::office, 45, 1000, kOfficeUnits},
    {"snv", "Sở Nội vụ", K::department, 45, 1000, kHomeAffairsUnits},
    {"stp", "Sở Tư pháp", K::department, 35, 1000, kJusticeUnits},
    {"skhdt", "Sở Kế hoạch và Đầu tư", K::department, 40, 1000, kPlanningUnits},
    {"stc", "Sở Tài chính", K::department, 50, 1000, kFinanceUnits},
    {"sct", "Sở Công Thương", K::department, 45, 1000, kTradeUnits},
    {"snnptnt", "Sở Nông nghiệp và Phát triển nông thôn", K::department, 60, 1000,
     kAgricultureUnits},
    {"sgtvt", "Sở Giao thông vận tải", K::department, 40, 1000, kTransportUnits},
    {"sxd", "Sở Xây dựng", K::department, 40, 1000, kConstructionUnits},
    {"stnmt", "Sở Tài nguyên và Môi trường", K::department, 45, 1000, kEnvironmentUnits},
    {"stttt", "Sở Thông tin và Truyền thông", K::department, 30, 1000, kInformationUnits},
    {"sldtbxh", "Sở Lao động - Thương binh và Xã hội", K::department, 40, 1000, kLabourUnits},
    {"svhttdl", "Sở Văn hóa, Thể thao và Du lịch", K::department, 40, 1000, kCultureUnits},
    {"skhcn", "Sở Khoa học và Công nghệ", K::department, 30, 1000, kScienceUnits},
    {"sgddt", "Sở Giáo dục và Đào tạo", K::department, 50, 1000, kEducationUnits},
    {"syt", "Sở Y tế", K::department, 45, 1000, kHealthUnits},
    {"tt", "Thanh tra", K::department, 30, 1000, {}},
    {"bdt", "Ban Dân tộc", K::department, 20, 650, {}},
    {"bqlkcn", "Ban Quản lý các khu công nghiệp", K::other, 25, 700, {}},
    {"dptth", "Đài Phát thanh và Truyền hình", K::public_unit, 40, 1000, {}},
}};

// FORMATS.md §2 / the 2025 reform: Finance absorbs Planning and Investment, Construction absorbs
// Transport, Science and Technology absorbs Information and Communications, Home Affairs absorbs
// Labour, Invalids and Social Affairs.
constexpr std::array<DepartmentMerge, 4> kKeepMerges{
    {{"skhdt", "stc"}, {"sgtvt", "sxd"}, {"stttt", "skhcn"}, {"sldtbxh", "snv"}}};

constexpr std::array<OfficeTemplate, 17> kOffices{{
    {"vp", "Văn phòng HĐND và UBND", K::office, 20, 1000, -1},
    {"pnv", "Phòng Nội vụ", K::office, 8, 1000, -1},
    {"ptp", "Phòng Tư pháp", K::office, 5, 900, -1},
    {"ptckh", "Phòng Tài chính - Kế hoạch", K::office, 10, 1000, -1},
    {"ptnmt", "Phòng Tài nguyên và Môi trường", K::office, 10, 1000, -1},
    {"pldtbxh", "Phòng Lao động - Thương binh và Xã hội", K::office, 8, 950, -1},
    {"pvhtt", "Phòng Văn hóa và Thông tin", K::office, 6, 950, -1},
    {"pgddt", "Phòng Giáo dục và Đào tạo", K::office, 10, 1000, -1},
    {"pyt", "Phòng Y tế", K::office, 5, 900, -1},
    {"pktht", "Phòng Kinh tế và Hạ tầng", K::office, 8, 1000, 0},
    {"pnnptnt", "Phòng Nông nghiệp và Phát triển nông thôn", K::office, 8, 1000, 0},
    {"pkt", "Phòng Kinh tế", K::office, 8, 1000, 1},
    {"pqldt", "Phòng Quản lý đô thị", K::office, 8, 1000, 1},
    {"tt", "Thanh tra", K::office, 5, 900, -1},
    {"pdt", "Phòng Dân tộc", K::office, 4, 300, -1},
    {"ttvhtt", "Trung tâm Văn hóa, Thể thao và Truyền thanh", K::public_unit, 10, 700, -1},
    {"bqlda", "Ban Quản lý dự án đầu tư xây dựng", K::public_unit, 8, 600, -1},
}};

}  // namespace

const UnitTemplate kOverlongUnit{
    "ttptqd", "Trung tâm Phát triển quỹ đất và Kỹ thuật tài nguyên môi trường", 20, false, true};

std::span<const AgencyTemplate> province_agencies() {
    return kAgencies;
}
std::span<const DepartmentMerge> march_keep_merges() {
    return kKeepMerges;
}
std::span<const OfficeTemplate> district_offices() {
    return kOffices;
}

}  // namespace kyso::demo
