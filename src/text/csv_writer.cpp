// kyso text — RFC 4180 CSV writing (quotes only where needed, LF line ends).
#include "text/csv_writer.h"

#include "core/messages.h"

namespace kyso::text {

void append_csv_field(std::string& out, std::string_view v) {
    if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(v);
        return;
    }
    out += '"';
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

std::string neutralize_formula(std::string_view v) {
    if (v.empty() || std::string_view("=+-@\t\r").find(v.front()) == std::string_view::npos)
        return std::string(v);
    // A number: a sign, digits, at most one decimal point or comma between digits.
    std::size_t i = (v.front() == '+' || v.front() == '-') ? 1 : 0;
    std::size_t digits = 0, points = 0;
    bool number = i < v.size();
    for (; i < v.size() && number; ++i) {
        const char c = v[i];
        if (c >= '0' && c <= '9') {
            ++digits;
        } else if ((c == '.' || c == ',') && digits > 0 && points == 0 && i + 1 < v.size()) {
            ++points;
        } else {
            number = false;
        }
    }
    if (number && digits > 0) return std::string(v);
    return "'" + std::string(v);
}

CsvWriter::CsvWriter(std::string path) : path_(std::move(path)) {
    auto file = AtomicFile::create(path_);
    if (file) {
        file_.emplace(std::move(*file));
    } else {
        failed_ = true;
        error_ = file.error();
    }
    buffer_.reserve(1 << 20);
}

CsvWriter::CsvWriter(std::string path, ForSpreadsheets) : CsvWriter(std::move(path)) {
    buffer_ += "\xEF\xBB\xBF";
    line_end_ = "\r\n";
    neutralize_ = true;
}

CsvWriter::CsvWriter(std::string path, Neutralized) : CsvWriter(std::move(path)) {
    neutralize_ = true;
}

CsvWriter::~CsvWriter() = default;

namespace {
template <typename Fields>
void append_row(std::string& buffer, const Fields& fields, std::string_view line_end,
                bool neutralize) {
    bool first = true;
    for (const auto& f : fields) {
        if (!first) buffer += ',';
        first = false;
        if (neutralize) {
            append_csv_field(buffer, neutralize_formula(f));
        } else {
            append_csv_field(buffer, f);
        }
    }
    buffer += line_end;
}
}  // namespace

void CsvWriter::row(std::initializer_list<std::string_view> fields) {
    append_row(buffer_, fields, line_end_, neutralize_);
    if (buffer_.size() >= (1 << 20)) flush();
}

void CsvWriter::row(const std::vector<std::string>& fields) {
    append_row(buffer_, fields, line_end_, neutralize_);
    if (buffer_.size() >= (1 << 20)) flush();
}

void CsvWriter::flush() {
    if (file_) file_->write(buffer_);
    buffer_.clear();
}

Status CsvWriter::close() {
    if (failed_) return error_;
    flush();
    if (!file_) return make_error("csv.write", Location{path_, 0, {}, {}}, {"closed"});
    Status s = file_->commit();
    file_.reset();
    return s;
}

}  // namespace kyso::text
