// The national CA's results file: headings recognised, processing dates, outcomes, rows.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "workflow/results_file.h"

namespace kyso::workflow {

namespace {

std::optional<ResultColumn> column(std::string_view heading) {
    const auto m = result_column(heading);
    return m ? std::optional<ResultColumn>(m->column) : std::nullopt;
}

int rank(std::string_view heading) {
    const auto m = result_column(heading);
    return m ? m->rank : -1;
}

std::string date(std::string_view text) {
    const auto d = parse_processing_date(text);
    return d ? d->str() : "none";
}

std::string write_csv(const std::string& name, const std::string& text) {
    const auto p = std::filesystem::temp_directory_path() / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
}

}  // namespace

TEST(ResultsHeadings, TheCasUsualHeadingsAreRecognised) {
    EXPECT_EQ(column("Serial CTS cũ"), ResultColumn::serial);
    EXPECT_EQ(column("Số serial chứng thư"), ResultColumn::serial);
    EXPECT_EQ(column("Số hiệu chứng thư"), ResultColumn::serial);
    EXPECT_EQ(column("serial"), ResultColumn::serial);
    EXPECT_EQ(column("Serial CTS mới"), ResultColumn::new_serial);
    EXPECT_EQ(column("new_serial"), ResultColumn::new_serial);
    EXPECT_EQ(column("Mã yêu cầu kyso"), ResultColumn::request_id);
    EXPECT_EQ(column("request_id"), ResultColumn::request_id);
    EXPECT_EQ(column("Kết quả"), ResultColumn::outcome);
    EXPECT_EQ(column("Kết quả xử lý"), ResultColumn::outcome);
    EXPECT_EQ(column("outcome"), ResultColumn::outcome);
    EXPECT_EQ(column("Lý do"), ResultColumn::reason);
    EXPECT_EQ(column("Lý do từ chối"), ResultColumn::reason);
    EXPECT_EQ(column("STT"), std::nullopt);
    EXPECT_EQ(column("Họ và tên"), std::nullopt);
}

TEST(ResultsHeadings, ProcessingDateHeadingsAndTheirPreference) {
    for (const char* h : {"Ngày xử lý", "NGÀY XỬ LÝ (dd/mm/yyyy)", "Ngày thực hiện",
                          "Ngày hoàn thành", "processed", "Processed on", "date processed"}) {
        EXPECT_EQ(column(h), ResultColumn::date) << h;
        EXPECT_EQ(rank(h), 0) << h;
    }
    EXPECT_EQ(column("Ngày thu hồi"), ResultColumn::date);
    EXPECT_EQ(column("Ngày cấp"), ResultColumn::date);
    EXPECT_EQ(column("date"), ResultColumn::date);
    EXPECT_EQ(column("Ngày"), ResultColumn::date);
    EXPECT_LT(rank("Ngày xử lý"), rank("Ngày thu hồi"));
    EXPECT_LT(rank("Ngày thu hồi"), rank("Ngày cấp"));
    EXPECT_LT(rank("Ngày cấp"), rank("date"));
}

TEST(ResultsHeadings, OtherDatesAndSerialsAreNotTakenForTheCasAnswer) {
    EXPECT_EQ(column("Ngày sinh"), std::nullopt);
    EXPECT_EQ(column("Date of birth"), std::nullopt);
    EXPECT_EQ(column("Ngày hết hạn"), std::nullopt);
    EXPECT_EQ(column("Ngày hết hiệu lực"), std::nullopt);
    EXPECT_EQ(column("Số serial token"), std::nullopt);
    EXPECT_EQ(column("Số hiệu thiết bị"), std::nullopt);
    EXPECT_EQ(column("Số hiệu văn bản"), std::nullopt);
}

TEST(ResultsDates, IsoAndDayFirstWithOrWithoutATime) {
    EXPECT_EQ(date("2025-07-20"), "2025-07-20");
    EXPECT_EQ(date(" 2025-07-20 "), "2025-07-20");
    EXPECT_EQ(date("2025-07-20T09:30:00Z"), "2025-07-20");
    EXPECT_EQ(date("2025-07-20 09:30"), "2025-07-20");
    EXPECT_EQ(date("20/07/2025"), "2025-07-20");
    EXPECT_EQ(date("05/08/2025"), "2025-08-05");  // day first, the Vietnamese order
    EXPECT_EQ(date("5/8/2025"), "2025-08-05");
    EXPECT_EQ(date("20-07-2025"), "2025-07-20");
    EXPECT_EQ(date("20.07.2025"), "2025-07-20");
    EXPECT_EQ(date("20/07/2025 14:30:00"), "2025-07-20");
    EXPECT_EQ(date("2025/07/20"), "2025-07-20");
    EXPECT_EQ(date("45858"), "2025-07-20");  // Excel's serial day number
}

TEST(ResultsDates, WhatIsNoDateIsRefused) {
    for (const char* t : {"", "31/02/2025", "20/13/2025", "07/20/2025", "20/07/25", "hôm qua",
                          "2025-7-20x", "123", "20/07/2025/1"}) {
        EXPECT_EQ(date(t), "none") << t;
    }
}

TEST(ResultsDates, ImpossibleDaysYearsAndTimesAreNoDates) {
    for (const char* t :
         {"2025-02-30", "30/02/2025", "2025-13-01", "01/13/2025", "0000-01-01", "01/01/0000",
          "1899-12-31", "0001-01-01", "2025-07-20 25:00", "20/07/2025 25:00", "2025-07-20T25:00",
          "20/07/2025 14:60", "20/07/2025 14:30:61", "20/07/2025 hôm nay"})
        EXPECT_EQ(date(t), "none") << t;
    EXPECT_EQ(date("2024-02-29 23:59:60"), "2024-02-29");  // a leap day and a leap second
    EXPECT_EQ(date("20/07/2025 00:00"), "2025-07-20");
}

TEST(ResultsOutcomes, CompletedAndRejectedInBothLanguages) {
    for (const char* t : {"Hoàn thành", "HOÀN THÀNH", "Đã hoàn thành", "Đã xử lý", "completed",
                          "Thành công", "Đã thu hồi"})
        EXPECT_EQ(parse_outcome(t), true) << t;
    for (const char* t : {"Từ chối", "rejected", "Không xử lý", "Đã từ chối"})
        EXPECT_EQ(parse_outcome(t), false) << t;
    EXPECT_EQ(parse_outcome("Đang xử lý"), std::nullopt);
    EXPECT_EQ(parse_outcome(""), std::nullopt);
}

// Issue 12: the wordings people use for the outcome, with or without tone marks, in any case,
// with extra spaces or a final stop.
TEST(ResultsOutcomes, TheWordingsPeopleUseWithOrWithoutToneMarks) {
    for (const char* t :
         {"Đã cấp", "Đã thay đổi", "Đã thu hồi", "Da thu hoi", "ĐÃ THU HỒI", "da thay doi",
          "  Hoàn   thành. ", "hoan thanh", "Đã cấp lại", "Đã gia hạn", "Đã khôi phục", "DONE"})
        EXPECT_EQ(parse_outcome(t), true) << t;
    for (const char* t : {"Không thực hiện", "khong thuc hien", "KHÔNG THỰC HIỆN", "Tu choi",
                          "từ  chối!", "Bị từ chối", "Không chấp nhận"})
        EXPECT_EQ(parse_outcome(t), false) << t;
    // Still unknown: what is not an answer yet, or another word.
    for (const char* t : {"Đang xử lý", "Chờ duyệt", "Hoàn", "thu hồi?", ".", "Đã"})
        EXPECT_EQ(parse_outcome(t), std::nullopt) << t;
    // The error lists the accepted words, with their tone marks.
    EXPECT_NE(outcome_words(true).find("Hoàn thành, "), std::string::npos);
    EXPECT_NE(outcome_words(true).find("Đã thay đổi"), std::string::npos);
    EXPECT_NE(outcome_words(false).find("Không thực hiện"), std::string::npos);
    EXPECT_EQ(outcome_words(false).find("Hoàn thành"), std::string::npos);
    // Every listed word is accepted as its outcome.
    for (const bool done : {true, false}) {
        const std::string words = outcome_words(done) + ", ";
        for (std::size_t at = 0, comma; (comma = words.find(", ", at)) != std::string::npos;
             at = comma + 2)
            EXPECT_EQ(parse_outcome(words.substr(at, comma - at)), done)
                << words.substr(at, comma - at);
    }
}

TEST(ResultsHeadings, HeadingVariantsOfSerialOutcomeRequestAndDate) {
    for (const char* h : {"Serial", "Số serial", "SỐ SERIAL", "So hieu chung thu", "Số chứng thư",
                          "Mã chứng thư", "Số CTS", "Serial number"})
        EXPECT_EQ(column(h), ResultColumn::serial) << h;
    for (const char* h : {"Số serial mới", "Số chứng thư mới", "Serial CTS moi"})
        EXPECT_EQ(column(h), ResultColumn::new_serial) << h;
    for (const char* h : {"Trạng thái", "TRANG THAI", "Kết quả thực hiện", "Tình trạng xử lý"})
        EXPECT_EQ(column(h), ResultColumn::outcome) << h;
    for (const char* h : {"Mã số yêu cầu", "Số yêu cầu"})
        EXPECT_EQ(column(h), ResultColumn::request_id) << h;
    for (const char* h : {"Ngày thực hiện", "Ngay xu ly", "Thời gian xử lý"}) {
        EXPECT_EQ(column(h), ResultColumn::date) << h;
        EXPECT_EQ(rank(h), 0) << h;
    }
    EXPECT_EQ(column("Lý do không thực hiện"), ResultColumn::reason);
}

TEST(ResultsFile, TheOutcomeHeadingIsKeptForTheErrors) {
    const auto path = write_csv("kyso-results-outcome-heading.csv",
                                "Số serial,Trạng thái\n0A,Da thu hoi\n0B,Đang xử lý\n");
    auto f = read_results_file(path);
    ASSERT_TRUE(f) << f.error().describe(true);
    EXPECT_EQ(f->outcome_heading, "Trạng thái");
    ASSERT_EQ(f->rows.size(), 2u);
    EXPECT_EQ(f->rows[0].serial, "0A");
    EXPECT_EQ(f->rows[1].outcome, "Đang xử lý");
    std::filesystem::remove(path);
}

TEST(ResultsFile, RowsWithTheBestDateColumnNormalizedSerialsAndNoBlankRows) {
    const auto path = write_csv("kyso-results-file-test.csv",
                                "\nSTT,Ngày cấp,Serial CTS cũ,Kết quả,Serial CTS mới,Ngày xử "
                                "lý\n1,01/01/2025,6a:01:00,Hoàn thành, 6b01 ,20/07/2025\n,,,,,\n"
                                "2,,00FF,Từ chối,,\n");
    auto f = read_results_file(path);
    ASSERT_TRUE(f) << f.error().describe(false);
    EXPECT_EQ(f->date_heading, "Ngày xử lý");
    ASSERT_EQ(f->rows.size(), 2u);
    EXPECT_EQ(f->rows[0].row, 3);  // the line / spreadsheet row people see
    EXPECT_EQ(f->rows[0].serial, "6A0100");
    EXPECT_EQ(f->rows[0].new_serial, "6B01");
    EXPECT_EQ(f->rows[0].date, "20/07/2025");
    EXPECT_EQ(f->rows[1].row, 5);
    EXPECT_EQ(f->rows[1].outcome, "Từ chối");
    EXPECT_TRUE(f->rows[1].date.empty());
    std::filesystem::remove(path);
}

TEST(ResultsFile, AnOutcomeAndARequestOrSerialColumnAreNeeded) {
    const auto path =
        write_csv("kyso-results-file-cols.csv", "STT,Serial CTS cũ,Ngày xử lý\n1,0A,x\n");
    auto f = read_results_file(path);
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().code, "results.columns");
    std::filesystem::remove(path);
}

// An impossible or future date, or a serial over 20 octets, refuses the whole file: the error
// names the file, the row people see and the column.
TEST(ResultsFile, AnImpossibleDateRefusesTheFileNamingRowAndColumn) {
    const std::string head = "STT,Serial CTS cũ,Kết quả,Ngày xử lý\n1,0A,Hoàn thành,20/07/2025\n";
    for (const char* bad : {"30/02/2025", "2025-13-01", "0000-01-01", "20/07/2025 25:00"}) {
        const auto path = write_csv("kyso-results-bad-date.csv",
                                    head + "2,0B,Hoàn thành," + std::string(bad) + "\n");
        auto f = read_results_file(path);
        ASSERT_FALSE(f) << bad;
        EXPECT_EQ(f.error().code, "results.bad_date") << bad;
        EXPECT_EQ(f.error().where.file, path);
        EXPECT_EQ(f.error().where.row, 3);
        EXPECT_EQ(f.error().where.field, "Ngày xử lý");
        std::filesystem::remove(path);
    }
    const auto future = Date::from_days(Date::today().days() + 30).str();
    const auto path =
        write_csv("kyso-results-future.csv", head + "2,0B,Hoàn thành," + future + "\n");
    auto f = read_results_file(path);
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().code, "results.future_date");
    EXPECT_EQ(f.error().where.row, 3);
    // The same file with a real date is read.
    const auto good = write_csv("kyso-results-good.csv", head + "2,0B,Hoàn thành,2025-07-21\n");
    auto g = read_results_file(good);
    ASSERT_TRUE(g) << g.error().describe(true);
    EXPECT_EQ(g->rows.size(), 2u);
    std::filesystem::remove(path);
    std::filesystem::remove(good);
}

TEST(ResultsFile, ASerialOverTwentyOctetsRefusesTheFile) {
    const std::string twenty = "7F" + std::string(38, 'A');
    const std::string too_long = "01" + std::string(40, '0');  // 21 octets
    const auto path =
        write_csv("kyso-results-long-serial.csv", "STT,Serial CTS cũ,Kết quả,Serial CTS mới\n1," +
                                                      twenty + ",Hoàn thành," + too_long + "\n");
    auto f = read_results_file(path);
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().code, "results.serial_too_long");
    EXPECT_EQ(f.error().where.row, 2);
    EXPECT_EQ(f.error().where.field, "Serial CTS mới");
    const auto good = write_csv("kyso-results-twenty.csv",
                                "STT,Serial CTS cũ,Kết quả\n1," + twenty + ",Hoàn thành\n");
    auto g = read_results_file(good);
    ASSERT_TRUE(g) << g.error().describe(true);
    EXPECT_EQ(g->rows.at(0).serial, twenty);
    std::filesystem::remove(path);
    std::filesystem::remove(good);
}

}  // namespace kyso::workflow
