// SHA-256 over the text of every input file, in the order they were read:
// the lock file records it so a reader can tell which inputs produced it.
#pragma once

#include <string>

#include "compiler/ir/source_manager.h"

namespace apc::cli {

std::string hashInputs(const ir::SourceManager& sm);  // "sha256:" + 64 hex digits

}  // namespace apc::cli
