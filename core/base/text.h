// Text helpers shared by the model (tokenisation) and the indexer (content addresses of text
// items): whitespace normalisation and ASCII-only lower-casing. UTF-8 validation, NFC and
// Unicode case folding are in core/base/utf8.h (included here for IsValidUtf8's callers).
// Pure functions; thread-safe.
#ifndef XMODAL_CORE_BASE_TEXT_H_
#define XMODAL_CORE_BASE_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "core/base/utf8.h"  // IWYU pragma: export

namespace xmodal {

// Trims leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r) and collapses every
// inner run of it to one space. Other bytes (including non-ASCII spaces) are kept as they are.
std::string NormalizeWhitespace(absl::string_view text);

// Lower-cases the ASCII letters A-Z and leaves every other byte unchanged, so valid UTF-8
// stays valid UTF-8.
std::string AsciiLowercaseUtf8(absl::string_view text);

}  // namespace xmodal

#endif  // XMODAL_CORE_BASE_TEXT_H_
