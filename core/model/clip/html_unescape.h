// Python's html.unescape (CPython 3.11, Lib/html/__init__.py), re-implemented for CLIP's text
// cleaning: every character reference is replaced in one left-to-right pass, and replacements
// are not scanned again (so "&amp;amp;" becomes "&amp;").
//  - Numeric: "&#" decimal digits or "&#x"/"&#X" hex digits, with an optional ';'. 0 becomes
//    U+FFFD, 0x80..0x9F the windows-1252 character (as Python's _invalid_charrefs), a surrogate
//    or a value above U+10FFFF U+FFFD; the other code points Python calls invalid (U+0001..
//    U+0008, U+000B, U+000E..U+001F, U+007F..U+009F, U+FDD0..U+FDEF, U+xFFFE/U+xFFFF) are
//    dropped.
//  - Named: "&" then 1..32 code points other than tab, LF, FF, space, '<', '&', '#', ';', then
//    an optional ';'. A name in HTML5's table (html.entities.html5) is replaced; otherwise the
//    longest proper prefix of at least 2 characters that is a table name without ';' (the
//    legacy entities, e.g. "&notit;" -> U+00AC + "it;"); otherwise the text is kept.
// Bytes that are not valid UTF-8 pass through unchanged (each counts as one character).
// Pure function; thread-safe.
#ifndef XMODAL_CORE_MODEL_CLIP_HTML_UNESCAPE_H_
#define XMODAL_CORE_MODEL_CLIP_HTML_UNESCAPE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace xmodal::model::clip {

// `text` with its HTML character references replaced by the characters they stand for.
std::string HtmlUnescape(absl::string_view text);

}  // namespace xmodal::model::clip

#endif  // XMODAL_CORE_MODEL_CLIP_HTML_UNESCAPE_H_
