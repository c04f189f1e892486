// kyso core — a folder of files replaced as a whole (a rendered batch: letter.docx, letter.pdf,
// list.xlsx; an exported bundle; an intake's output). The new set is written into a staging
// folder beside the destination, every file fsynced, and the two folders are swapped in one step
// (renameat2 RENAME_EXCHANGE); the old set is then removed. Whoever opens the destination — even
// after kyso is killed at any instant — finds the previous complete set or the new complete set,
// never a mix and never a truncated file. docs/security.md "Files kyso writes".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kyso {

class OutputDir {
public:
    // Stages new contents for the folder `dir` (its parent is created): a folder
    // ".<name>.kyso-<pid>-<random>" made with mkdir (unique name, never an existing one) beside
    // it, so both lie on one file system. `own` names the entries a previous set of the same
    // kind may hold: an existing `dir` holding anything else is refused (file.foreign_entries),
    // since the swap would remove it with the old set. A symlink at `dir` is replaced, not
    // followed (its target is left alone); a file there is refused (file.not_folder), and so is
    // "." or ".." (file.unnamed_folder).
    static Result<OutputDir> create(std::string dir, std::vector<std::string> own);

    OutputDir(OutputDir&& other) noexcept;
    OutputDir& operator=(OutputDir&& other) noexcept;
    OutputDir(const OutputDir&) = delete;
    OutputDir& operator=(const OutputDir&) = delete;
    // Not committed: the staging folder is removed and `dir` is left as it was.
    ~OutputDir();

    // Where to write the entry `name` of the new set (inside the staging folder).
    [[nodiscard]] std::string path(std::string_view name) const;
    [[nodiscard]] const std::string& staging() const { return staging_; }
    [[nodiscard]] const std::string& dir() const { return dir_; }
    // Where `name` will be once committed.
    [[nodiscard]] std::string final_path(std::string_view name) const;

    // fsyncs every file and folder of the new set, then puts it at `dir`: swapped with the old
    // folder (RENAME_EXCHANGE) or renamed when there is none, the parent fsynced, the old set
    // removed. Where the file system cannot swap, the old folder is first renamed aside (for an
    // instant `dir` is absent; the old set stays complete beside it until the new one is in).
    // Error: file.write naming `dir`; the old set is then still at `dir`.
    Status commit();

private:
    OutputDir(std::string dir, std::string staging);
    void discard();

    std::string dir_, staging_;
};

}  // namespace kyso
