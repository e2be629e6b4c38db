#include "core/base/utf8.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace xmodal {
namespace {

const utf8proc_uint8_t* Bytes(absl::string_view text) {
  return reinterpret_cast<const utf8proc_uint8_t*>(text.data());
}

// utf8proc_map with `options`; maps utf8proc's error codes to Status.
absl::StatusOr<std::string> Map(absl::string_view text, int options) {
  if (text.empty()) return std::string();
  utf8proc_uint8_t* raw = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(Bytes(text), static_cast<utf8proc_ssize_t>(text.size()),
                                          &raw, static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(raw, &std::free);
  if (n < 0) {
    const std::string why = utf8proc_errmsg(n);
    if (n == UTF8PROC_ERROR_NOMEM) return absl::ResourceExhaustedError(why);
    if (n == UTF8PROC_ERROR_INVALIDUTF8) {
      return absl::InvalidArgumentError("text is not valid UTF-8");
    }
    return absl::InvalidArgumentError(absl::StrCat("utf8proc: ", why));
  }
  return std::string(reinterpret_cast<const char*>(raw), static_cast<size_t>(n));
}

}  // namespace

bool IsValidUtf8(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const Utf8CodePoint cp = DecodeUtf8(text, i);
    if (!cp.valid) return false;
    i += cp.length;
  }
  return true;
}

Utf8CodePoint DecodeUtf8(absl::string_view text, size_t pos) {
  if (static_cast<unsigned char>(text[pos]) < 0x80) {  // the common case, without a call
    return {static_cast<char32_t>(static_cast<unsigned char>(text[pos])), 1, true};
  }
  utf8proc_int32_t code_point = -1;
  // utf8proc_iterate rejects truncated sequences, bad continuation bytes, overlong forms,
  // surrogates and values above U+10FFFF.
  const utf8proc_ssize_t n = utf8proc_iterate(
      Bytes(text) + pos, static_cast<utf8proc_ssize_t>(text.size() - pos), &code_point);
  if (n <= 0 || code_point < 0) return {kReplacementCharacter, 1, false};
  return {static_cast<char32_t>(code_point), static_cast<int>(n), true};
}

void AppendUtf8(char32_t code_point, std::string& out) {
  if (!utf8proc_codepoint_valid(static_cast<utf8proc_int32_t>(code_point))) {
    code_point = kReplacementCharacter;
  }
  utf8proc_uint8_t buf[4];
  const utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(code_point), buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

absl::StatusOr<std::string> NormalizeNfc(absl::string_view text) {
  return Map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

absl::StatusOr<std::string> CaseFold(absl::string_view text, bool nfc) {
  return Map(text, UTF8PROC_CASEFOLD | (nfc ? UTF8PROC_STABLE | UTF8PROC_COMPOSE : 0));
}

static_assert(static_cast<int>(UnicodeCategory::kLu) == UTF8PROC_CATEGORY_LU);
static_assert(static_cast<int>(UnicodeCategory::kNd) == UTF8PROC_CATEGORY_ND);
static_assert(static_cast<int>(UnicodeCategory::kSk) == UTF8PROC_CATEGORY_SK);
static_assert(static_cast<int>(UnicodeCategory::kCo) == UTF8PROC_CATEGORY_CO);

UnicodeCategory CategoryOf(char32_t code_point) {
  if (code_point > 0x10FFFF) return UnicodeCategory::kCn;
  return static_cast<UnicodeCategory>(utf8proc_category(static_cast<utf8proc_int32_t>(code_point)));
}

char32_t SimpleLowercase(char32_t code_point) {
  if (code_point > 0x10FFFF) return code_point;
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(code_point)));
}

char32_t SimpleUppercase(char32_t code_point) {
  if (code_point > 0x10FFFF) return code_point;
  return static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(code_point)));
}

}  // namespace xmodal
