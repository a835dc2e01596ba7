// Plan text shown to a person: control characters from a plan (ESC, BEL, a
// carriage return, C1 controls such as U+009B CSI) must never reach the
// terminal raw, where they could rewrite what the user sees.
#pragma once

#include <string>
#include <string_view>

namespace apc::ir {

// Control bytes 0x00-0x1f and 0x7f as \xNN (\t, \n, \r, \e by name), the
// UTF-8 encodings of U+0080-U+009F as \u{NN}; everything else unchanged.
// `keepTabs`: a source line keeps its tabs so a caret line can copy them.
std::string escapeForTerminal(std::string_view text, bool keepTabs = false);
// Whether escapeForTerminal would change `text`.
bool needsTerminalEscape(std::string_view text, bool keepTabs = false);

}  // namespace apc::ir
