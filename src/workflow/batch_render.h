// kyso workflow — a batch as the documents to sign and send: letter.docx, letter.pdf (from the
// editable template of its form) and list.xlsx (the national CA's 19-column sheet).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/date.h"
#include "core/registry.h"
#include "core/result.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::workflow {

struct RenderOptions {
    std::string templates_dir;  // holds <form>.txt (templates/letters)
    std::string place;          // địa danh; default: the issuing organization's province
    Date date = Date::today();
    std::string signer;            // người ký
    std::string signer_title;      // chức vụ ("Phó Giám đốc")
    std::string signer_authority;  // thẩm quyền ("KT. Giám đốc"); may be empty
    std::string receiver_id;       // person receiving the devices (section 1 of the forms)
    std::string receiver_address;  // địa chỉ tiếp nhận
    // Template values given by hand (placeholder -> text) for what the register lacks, e.g. the
    // receiver's CCCD issue date; one that would replace a computed value is refused
    // (batch.value_computed).
    std::map<std::string, std::string> values;
};

struct RenderedBatch {
    std::string letter_docx, letter_pdf, list_xlsx;
    std::size_t rows = 0;
};

// Writes the three files as one set into the folder `out_dir` (core/output_dir.h: staged beside
// it and swapped in whole, so `out_dir` holds the previous set or the new one, even if kyso is
// killed; a folder holding other files is refused). A provincial batch lists the requests of
// its organization batches, from the DoST's own template (template_of), with `cac_van_ban`
// naming the agency letters it gathers. The issuer is the batch's organization or, when that
// has ceased, the one carrying on its work (parties.h continuing_org). A batch longer than one PDF
// holds (docs::layout::check_pdf_rows) is refused before anything is rendered. Missing values the
// template needs are errors naming the template line (docs::resolve_letter); on any error `out_dir`
// is left as it was.
Result<RenderedBatch> render_batch(store::Store& registry, store::WorkflowStore& workflow,
                                   std::int64_t batch_id, const std::string& out_dir,
                                   const RenderOptions& options);

// The template a batch's letter is filled from (templates_dir/<name>.txt): its form for an
// organization's letter ("mau-05"), "tong-hop-" + form for the DoST's combined letter to the
// national CA ("tong-hop-mau-05", "tong-hop-ban-giao-thiet-bi"; templates/letters/README.md).
std::string template_of(const store::Batch& batch);

// "Tỉnh Tuyên Quang" → "Tuyên Quang", "Thành phố Hà Nội" → "Hà Nội".
std::string province_short_name(std::string_view province);

// The head of a letter or record `issuer` draws up: co_quan, co_quan_cap_tren, tinh, dia_danh
// (its province unless `place` is given), and the date as ngay "05", thang "7" (Decree 30: "02" for
// January and February only), nam "2025".
void fill_letter_head(const Registry& registry, const Organization& issuer, const Date& date,
                      const std::string& place, std::map<std::string, std::string>& values);

// The national CA's names of device kinds (the 19-column sheet): TOKEN, SIM, HSM.
std::string_view device_kind_label(DeviceKind kind);

}  // namespace kyso::workflow
