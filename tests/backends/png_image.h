// A minimal PNG reader for the screenshot tests: 8-bit RGB or RGBA,
// non-interlaced (what headless Chromium writes), decoded with zlib.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace apc::backends::test {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  friend bool operator==(const Rgb&, const Rgb&) = default;
};

struct PngImage {
  unsigned width = 0, height = 0;
  std::vector<Rgb> pixels;  // row-major
  Rgb at(unsigned x, unsigned y) const { return pixels[static_cast<std::size_t>(y) * width + x]; }
};

// nullopt with *error set when the bytes are not a PNG this reader handles.
std::optional<PngImage> decodePng(const std::string& bytes, std::string* error);
// "#e69f00" -> {0xe6, 0x9f, 0x00}.
Rgb rgbOf(const std::string& hex);
std::string hexOf(Rgb c);

}  // namespace apc::backends::test
