// input.h — reading the inputs named on a command line: files, or standard input for "-" or
// none, in bounded chunks so that huge inputs stream, with read errors reported by path.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace ungarble::io {

// Calls `chunk(bytes, last)` for successive chunks of `path` ("-" = stdin); the final call has
// last = true (possibly with no bytes). Returns false and sets *error when the file cannot be
// opened or read; `chunk` may return false to stop early.
bool read_chunks(const std::string& path,
                 const std::function<bool(std::span<const std::uint8_t>, bool last)>& chunk,
                 std::string* error, std::size_t chunk_size = 1 << 20);

// Whole file (or stdin) into memory.
bool read_all(const std::string& path, std::string* out, std::string* error);

// Writes all bytes to stdout; false on a write error (e.g. a closed pipe).
bool write_stdout(std::string_view bytes);

// What to show for a path in messages.
std::string display_name(const std::string& path);

}  // namespace ungarble::io
