// PNG decoding for the screenshot tests (see png_image.h): chunks, IDAT
// inflated by zlib, then the five scanline filters of the PNG spec.
#include "tests/backends/png_image.h"

#include <zlib.h>

#include <cstdio>
#include <cstdlib>

namespace apc::backends::test {

namespace {
std::uint32_t be32(const std::string& b, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3]));
}

int paeth(int a, int b, int c) {
  int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}
}  // namespace

std::optional<PngImage> decodePng(const std::string& bytes, std::string* error) {
  static const std::string kSignature = "\x89PNG\r\n\x1a\n";
  if (bytes.compare(0, 8, kSignature) != 0) return *error = "no PNG signature", std::nullopt;
  PngImage img;
  unsigned channels = 0;
  std::string idat;
  for (std::size_t at = 8; at + 12 <= bytes.size();) {
    std::uint32_t len = be32(bytes, at);
    std::string type = bytes.substr(at + 4, 4);
    if (at + 12 + len > bytes.size()) return *error = "truncated chunk " + type, std::nullopt;
    if (type == "IHDR") {
      img.width = be32(bytes, at + 8);
      img.height = be32(bytes, at + 12);
      unsigned depth = static_cast<unsigned char>(bytes[at + 16]);
      unsigned colour = static_cast<unsigned char>(bytes[at + 17]);
      unsigned interlace = static_cast<unsigned char>(bytes[at + 20]);
      if (depth != 8 || (colour != 2 && colour != 6) || interlace != 0)
        return *error = "unsupported PNG (depth " + std::to_string(depth) + ", colour type " +
                        std::to_string(colour) + ", interlace " + std::to_string(interlace) + ")",
               std::nullopt;
      channels = colour == 2 ? 3 : 4;
    } else if (type == "IDAT") {
      idat += bytes.substr(at + 8, len);
    } else if (type == "IEND") {
      break;
    }
    at += 12 + len;
  }
  if (channels == 0 || img.width == 0 || img.height == 0) return *error = "no IHDR", std::nullopt;
  const std::size_t stride = static_cast<std::size_t>(img.width) * channels;
  std::string raw((stride + 1) * img.height, '\0');
  uLongf rawLen = static_cast<uLongf>(raw.size());
  if (uncompress(reinterpret_cast<Bytef*>(raw.data()), &rawLen, reinterpret_cast<const Bytef*>(idat.data()),
                 static_cast<uLong>(idat.size())) != Z_OK ||
      rawLen != raw.size())
    return *error = "IDAT does not inflate to the image size", std::nullopt;
  std::vector<std::uint8_t> prev(stride, 0), cur(stride, 0);
  img.pixels.resize(static_cast<std::size_t>(img.width) * img.height);
  for (unsigned y = 0; y < img.height; ++y) {
    const std::size_t base = y * (stride + 1);
    const unsigned filter = static_cast<unsigned char>(raw[base]);
    for (std::size_t i = 0; i < stride; ++i) {
      int x = static_cast<unsigned char>(raw[base + 1 + i]);
      int a = i >= channels ? cur[i - channels] : 0, b = prev[i], c = i >= channels ? prev[i - channels] : 0;
      switch (filter) {
        case 0: break;
        case 1: x += a; break;
        case 2: x += b; break;
        case 3: x += (a + b) / 2; break;
        case 4: x += paeth(a, b, c); break;
        default: return *error = "bad filter type " + std::to_string(filter), std::nullopt;
      }
      cur[i] = static_cast<std::uint8_t>(x & 0xff);
    }
    for (unsigned px = 0; px < img.width; ++px)
      img.pixels[static_cast<std::size_t>(y) * img.width + px] = {cur[px * channels], cur[px * channels + 1],
                                                                  cur[px * channels + 2]};
    prev.swap(cur);
  }
  return img;
}

Rgb rgbOf(const std::string& hex) {
  unsigned v = static_cast<unsigned>(std::strtoul(hex.substr(1).c_str(), nullptr, 16));
  return {static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

std::string hexOf(Rgb c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  return buf;
}

}  // namespace apc::backends::test
