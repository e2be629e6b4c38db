// Text helpers shared by the model (tokenisation) and the indexer (content addresses of text
// items): UTF-8 validation, whitespace normalisation and ASCII-only lower-casing.
#ifndef XMODAL_CORE_BASE_TEXT_H_
#define XMODAL_CORE_BASE_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace xmodal {

// True when `text` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences. The empty string is valid.
bool IsValidUtf8(absl::string_view text);

// Trims leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r) and collapses every
// inner run of it to one space. Other bytes (including non-ASCII spaces) are kept as they are.
std::string NormalizeWhitespace(absl::string_view text);

// Lower-cases the ASCII letters A-Z and leaves every other byte unchanged, so valid UTF-8
// stays valid UTF-8.
std::string AsciiLowercaseUtf8(absl::string_view text);

}  // namespace xmodal

#endif  // XMODAL_CORE_BASE_TEXT_H_
