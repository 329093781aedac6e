#include "io/input.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace ungarble::io {

std::string display_name(const std::string& path) {
  return path == "-" ? "<stdin>" : path;
}

bool read_chunks(const std::string& path,
                 const std::function<bool(std::span<const std::uint8_t>, bool)>& chunk,
                 std::string* error, std::size_t chunk_size) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) {
    *error = display_name(path) + ": " + std::strerror(errno);
    return false;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f == stdin ? nullptr : f, &std::fclose);
  std::vector<std::uint8_t> buf(chunk_size), next(chunk_size);
  std::size_t n = std::fread(buf.data(), 1, buf.size(), f);
  for (;;) {
    if (std::ferror(f)) {
      *error = display_name(path) + ": " + std::strerror(errno ? errno : EIO);
      return false;
    }
    // Read one chunk ahead so that the last chunk is known to be the last.
    std::size_t m = n == buf.size() ? std::fread(next.data(), 1, next.size(), f) : 0;
    if (std::ferror(f)) {
      *error = display_name(path) + ": " + std::strerror(errno ? errno : EIO);
      return false;
    }
    bool last = m == 0;
    if (!chunk({buf.data(), n}, last)) return true;
    if (last) return true;
    std::swap(buf, next);
    n = m;
  }
}

bool read_all(const std::string& path, std::string* out, std::string* error) {
  out->clear();
  return read_chunks(
      path,
      [&](std::span<const std::uint8_t> b, bool) {
        out->append(reinterpret_cast<const char*>(b.data()), b.size());
        return true;
      },
      error);
}

bool write_stdout(std::string_view bytes) {
  return std::fwrite(bytes.data(), 1, bytes.size(), stdout) == bytes.size();
}

}  // namespace ungarble::io
