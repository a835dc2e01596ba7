// Uses OpenSSL's EVP digest API (well kept, already on every Debian host).
// Each file contributes its length and its bytes, so file boundaries count.
#include "tools/apc/input_hash.h"

#include <openssl/evp.h>

#include <cstdio>
#include <memory>

#include "compiler/ir/internal_error.h"

namespace apc::cli {

std::string hashInputs(const ir::SourceManager& sm) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  APC_BUG_CHECK(ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1, "sha256 init");
  for (ir::FileId id = 0; id < sm.fileCount(); ++id) {
    const std::string& text = sm.text(id);
    std::string len = std::to_string(text.size()) + ":";
    EVP_DigestUpdate(ctx.get(), len.data(), len.size());
    EVP_DigestUpdate(ctx.get(), text.data(), text.size());
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  APC_BUG_CHECK(EVP_DigestFinal_ex(ctx.get(), md, &n) == 1, "sha256 final");
  std::string hex = "sha256:";
  char buf[3];
  for (unsigned i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    hex += buf;
  }
  return hex;
}

}  // namespace apc::cli
