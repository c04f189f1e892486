// kyso intake — blank workbooks people fill in: created whole or not at all.
#include "intake/blank_workbook.h"

#include <filesystem>
#include <memory>
#include <string_view>

#include "core/atomic_file.h"
#include "core/messages.h"

namespace kyso::intake {

namespace {

struct WorkbookCloser {
    void operator()(lxw_workbook* wb) const { workbook_close(wb); }
};

Error workbook_error(const std::string& path, std::string_view why) {
    return make_error("docs.write", Location{path, 0, {}, {}}, {why});
}

}  // namespace

Status write_blank_workbook(const std::string& path,
                            const std::function<lxw_error(lxw_workbook*)>& fill) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
        return make_error("intake.template_exists", Location{path, 0, {}, {}}, {path});
    return write_file_atomically_via(path, [&](const std::string& tmp) -> Status {
        std::unique_ptr<lxw_workbook, WorkbookCloser> wb(workbook_new(tmp.c_str()));
        if (!wb) return workbook_error(tmp, "cannot create workbook");
        if (const lxw_error e = fill(wb.get()); e != LXW_NO_ERROR)
            return workbook_error(tmp, lxw_strerror(e));
        if (const lxw_error e = workbook_close(wb.release()); e != LXW_NO_ERROR)
            return workbook_error(tmp, lxw_strerror(e));
        return Ok{};
    });
}

}  // namespace kyso::intake
