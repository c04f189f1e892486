// Fuzz target: letter templates (files the DoST edits) parse and resolve without crashing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "docs/letter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string content(reinterpret_cast<const char*>(data), size);
    auto tpl = kyso::docs::parse_letter_template(std::move(content), "fuzz.txt");
    if (!tpl) return 0;
    kyso::docs::LetterData filled;
    for (const char* key : {"co_quan", "co_quan_cap_tren", "so", "ky_hieu", "dia_danh", "ngay",
                            "thang", "nam", "nguoi_ky", "chuc_vu_ky", "quyen_han_ky", "tinh"})
        filled.values[key] = "Giá trị";
    filled.rows.push_back({{"ho_ten", "Nguyễn Văn A"}});
    auto letter = kyso::docs::resolve_letter(*tpl, filled);
    (void)letter;
    auto empty = kyso::docs::resolve_letter(*tpl, kyso::docs::LetterData{});
    (void)empty;
    return 0;
}
