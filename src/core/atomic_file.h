// kyso core — one file written all or nothing: a unique temporary file beside the destination,
// written, flushed to disk (fsync) and renamed over it, then the folder flushed. A reader, or a
// kyso killed at any instant, sees the old file or the new one, never part of one; a symlink at
// the destination is replaced, never followed. docs/security.md "Files kyso writes".
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kyso {

// The suffix of a temporary name ".<file name>.kyso-<pid>-<suffix>": random letters and digits
// by default; tests give their own to force a collision.
using TempSuffix = std::function<std::string()>;

// The permissions kyso gives what it creates: 0644 for files and 0755 for folders, less the
// process's umask (so `umask 077` keeps letters holding CCCD numbers private).
unsigned file_mode();
unsigned folder_mode();

// "." + name + ".kyso-" + pid + "-": how every temporary name of `name` begins.
std::string temp_prefix(std::string_view name);

// Removes the leftovers of a kyso killed while writing `path` (temporary files and folders of
// its name whose process is gone), so a crash leaves no litter after the next write.
void remove_stale_temps(const std::string& path);

// A file being written. Nothing is visible at `path` until commit(); destroying an uncommitted
// AtomicFile removes its temporary file and leaves the old file as it was.
class AtomicFile {
public:
    // Creates the temporary file in the destination's folder with O_CREAT | O_EXCL | O_NOFOLLOW
    // | O_CLOEXEC and mode file_mode(): an existing name (file or symlink) is never opened, and
    // another suffix is tried (at most 100 times). Error: file.write naming `path`.
    static Result<AtomicFile> create(std::string path, const TempSuffix& suffix = {});

    AtomicFile(AtomicFile&& other) noexcept;
    AtomicFile& operator=(AtomicFile&& other) noexcept;
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    ~AtomicFile();

    // Appends bytes (buffered). Errors are kept and reported by commit().
    void write(std::string_view bytes);
    // Flushes, fsyncs and closes the file, renames it over `path` and fsyncs the folder.
    // Error: file.write naming `path`; the temporary file is then removed.
    Status commit();

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] const std::string& temp_path() const { return temp_; }

private:
    AtomicFile(std::string path, std::string temp, int fd);
    void flush();
    void discard();

    std::string path_, temp_;
    int fd_ = -1;
    int error_ = 0;  // errno of the first failure
    std::string buffer_;
};

// `content` as the whole of the file `path`, atomically.
Status write_file_atomically(const std::string& path, std::string_view content);

// For writers that open a path themselves (libharu, libzip, libxlsxwriter): `write` gets a path
// in a private folder made beside `path` (mkdir with a unique name, writable only by kyso, so no
// one can plant a link there); the regular file it leaves is fsynced and renamed over `path`.
// The folder is removed in every case.
Status write_file_atomically_via(const std::string& path,
                                 const std::function<Status(const std::string& temp)>& write);

// A new file inside a staging folder (core/output_dir.h), created with O_EXCL | O_NOFOLLOW (never
// an existing name) and not fsynced one by one: the folder's commit flushes them all at once.
Status write_new_file(const std::string& path, std::string_view content);

// fsync of the folder holding `path` (or of `path` itself when `folder`), so a rename survives a
// power cut. errno on failure, 0 on success.
int sync_folder_of(const std::string& path, bool folder = false);

}  // namespace kyso
