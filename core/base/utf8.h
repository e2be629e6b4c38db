// UTF-8 in one place: validation, decoding and encoding of code points, NFC normalisation,
// Unicode (full) case folding, and the per-code-point properties tokenizers need (general
// category, simple case mappings). The only file that includes utf8proc.
//
// Errors: the transforming functions return INVALID_ARGUMENT when their input is not valid
// UTF-8 (RESOURCE_EXHAUSTED if utf8proc runs out of memory). Pure functions; thread-safe.
#ifndef XMODAL_CORE_BASE_UTF8_H_
#define XMODAL_CORE_BASE_UTF8_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// True when `text` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences. The empty string is valid.
// NUL is a valid code point.
bool IsValidUtf8(absl::string_view text);

// One decoded code point.
struct Utf8CodePoint {
  char32_t code_point = 0;  // kReplacementCharacter when !valid
  int length = 1;           // bytes consumed, 1..4; 1 for an invalid byte
  bool valid = true;        // false: text[pos] does not start a well-formed sequence
};

// Decodes the code point that starts at byte `pos` of `text`. Precondition: pos < text.size().
// An ill-formed sequence decodes as {U+FFFD, length 1, valid false}, so a loop advancing by
// `length` visits every byte and can copy invalid bytes through unchanged.
Utf8CodePoint DecodeUtf8(absl::string_view text, size_t pos);

// True when byte `c` starts a code point (it is not a continuation byte 10xxxxxx). On valid
// UTF-8 this finds code point boundaries without decoding, for hot loops.
inline bool IsUtf8LeadByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

// Appends the UTF-8 encoding of `code_point` to `out`; a surrogate or a value above U+10FFFF
// appends U+FFFD instead.
void AppendUtf8(char32_t code_point, std::string& out);

// Unicode Normalization Form C (canonical composition): "e" + U+0301 becomes U+00E9.
absl::StatusOr<std::string> NormalizeNfc(absl::string_view text);

// Full Unicode case folding (CaseFolding.txt, statuses C and F): "Straße" -> "strasse",
// "ÉLAN" -> "élan", "ΣΊΣΥΦΟΣ" -> "σίσυφοσ". Scripts without case are unchanged. When `nfc`,
// the result is also in NFC (canonical caseless form: NFC(fold(NFD(text)))).
absl::StatusOr<std::string> CaseFold(absl::string_view text, bool nfc = false);

// Unicode general categories, in utf8proc's order (its Unicode version's tables); kCn for an
// unassigned code point or a value above U+10FFFF.
// clang-format off
enum class UnicodeCategory {
  kCn, kLu, kLl, kLt, kLm, kLo, kMn, kMc, kMe, kNd, kNl, kNo, kPc, kPd, kPs,
  kPe, kPi, kPf, kPo, kSm, kSc, kSk, kSo, kZs, kZl, kZp, kCc, kCf, kCs, kCo,
};
// clang-format on
UnicodeCategory CategoryOf(char32_t code_point);
inline bool IsLetterCategory(UnicodeCategory c) {  // L*
  return c >= UnicodeCategory::kLu && c <= UnicodeCategory::kLo;
}
inline bool IsNumberCategory(UnicodeCategory c) {  // N*
  return c >= UnicodeCategory::kNd && c <= UnicodeCategory::kNo;
}

// The simple (one code point) lower- and uppercase mappings of UnicodeData.txt; a code point
// without one maps to itself.
char32_t SimpleLowercase(char32_t code_point);
char32_t SimpleUppercase(char32_t code_point);

}  // namespace xmodal

#endif  // XMODAL_CORE_BASE_UTF8_H_
