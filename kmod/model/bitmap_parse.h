// The AP bus's mask parser (drivers/s390/crypto/ap_bus.c: ap_parse_bitmap_str,
// hex2bitmap / ap_hex2bitmap, modify_bitmap), as used by the apmask and
// aqmask stores, the ap.apmask= boot parameters and vfio_ap's ap_config.
#pragma once

#include <string_view>

#include "compiler/ir/id_set.h"

namespace apc::kmod {

struct ParsedMask {
  int err = 0;  // 0 or EINVAL
  ir::IdSet mask;
};

// Absolute syntax only (ap_hex2bitmap): optional "0x" or "x", hex digits fill
// 4 bits each from ID 0 (MSB-0), missing digits are zero, more than 64 digits
// or any junk is EINVAL, one trailing '\n' allowed.
ParsedMask hex2bitmap(std::string_view s);

// ap_parse_bitmap_str: first char '+'/'-' = relative terms applied in order to
// a copy of `current`; anything else = absolute (hex2bitmap).
ParsedMask parseBitmapStr(std::string_view s, const ir::IdSet& current);

}  // namespace apc::kmod
