// kyso docs — a PDF page canvas over libharu: fonts, UTF-8 text measuring and wrapping, pages.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kyso::docs::pdf {

enum class Face { regular, bold, italic, bold_italic };

inline Face face_of(bool bold, bool italic) {
    if (bold) return italic ? Face::bold_italic : Face::bold;
    return italic ? Face::italic : Face::regular;
}

// Positions are in points; `top` and `baseline` count down from the top edge of the page.
class Canvas {
public:
    // A new A4 document with Liberation Serif (four faces) embedded, or an error naming the font
    // file that is missing.
    static Result<std::unique_ptr<Canvas>> open();
    ~Canvas();
    Canvas(const Canvas&) = delete;
    Canvas& operator=(const Canvas&) = delete;

    [[nodiscard]] double width(std::string_view text, Face face, double size) const;
    // Widest piece that wrapping can never split further (words, long words at '@', '.', ...).
    [[nodiscard]] double min_width(std::string_view text, Face face, double size) const;
    // Greedy line breaking: the first line may be `first` wide, the others `rest` wide. Words
    // wider than a line are broken after '@', '.', '-', '/', '_' or, failing that, anywhere.
    [[nodiscard]] std::vector<std::string> wrap(std::string_view text, Face face, double size,
                                                double first, double rest) const;

    void text(double x, double baseline, std::string_view text, Face face, double size);
    // Draws `line` spread over `width` (the words at both edges).
    void justified(double x, double baseline, double width, std::string_view line, Face face,
                   double size);
    void rule(double x1, double x2, double top, double line_width = 0.6);
    void box(double x, double top, double w, double h, double line_width = 0.5);

    // Starts an A4 page; from page 2 on, its number is printed centred in the top margin.
    void new_page(bool landscape = false);
    [[nodiscard]] int pages() const { return pages_; }
    [[nodiscard]] double page_width() const { return page_width_; }
    [[nodiscard]] double page_height() const { return page_height_; }

    // The first libharu error so far, if any.
    [[nodiscard]] Status status() const;
    // Writes the PDF to `path` all or nothing (core/atomic_file.h).
    Status save(const std::string& path);

    struct State;
    // Only open() can make the key, so only open() constructs.
    class Key {
        friend class Canvas;
        Key() = default;
    };
    Canvas(Key, std::unique_ptr<State> state);

private:
    Status save_to(const std::string& path);

    std::unique_ptr<State> state_;
    int pages_ = 0;
    double page_width_ = 0;
    double page_height_ = 0;
};

}  // namespace kyso::docs::pdf
