#include "trainer/train/text_augment.h"

#include <map>
#include <vector>

#include "absl/strings/str_split.h"
#include "core/base/text.h"
#include "core/base/utf8.h"
#include "trainer/train/simple_case.h"

namespace xmodal::train {
namespace {

// Leading articles of training languages (held-out languages are deliberately absent).
const std::map<std::string, std::vector<std::string>>& Articles() {
  static const auto* articles = new std::map<std::string, std::vector<std::string>>{
      {"en", {"a ", "an ", "the ", "some "}},
      {"fr", {"un ", "une ", "le ", "la ", "les ", "l'", "l’", "des ", "du "}},
      {"es", {"un ", "una ", "unos ", "unas ", "el ", "la ", "los ", "las "}},
      {"ca", {"un ", "una ", "uns ", "unes ", "el ", "la ", "els ", "les ", "l'", "l’"}},
      {"it", {"un ", "uno ", "una ", "un'", "il ", "lo ", "la ", "i ", "gli ", "le ", "l'"}},
      {"gl", {"un ", "unha ", "o ", "a ", "os ", "as "}},
      {"ast", {"un ", "una ", "el ", "la ", "los ", "les "}},
      {"an", {"un ", "una ", "o ", "a ", "os ", "as "}},
      {"oc", {"un ", "una ", "lo ", "la ", "los ", "las "}},
      {"de", {"ein ", "eine ", "einen ", "der ", "die ", "das "}},
      {"nl", {"een ", "de ", "het "}},
      {"da", {"en ", "et "}},
      {"sv", {"en ", "ett "}},
      {"nb", {"en ", "ei ", "et "}},
      {"af", {"'n ", "die "}},
      {"eo", {"la "}},
      {"ga", {"an "}},
      {"gd", {"an ", "a' "}},
  };
  return *articles;
}

// "ca@valencia" -> "ca", "en_GB" -> "en".
std::string BaseLanguage(absl::string_view lang) {
  const size_t cut = lang.find_first_of("_@");
  return std::string(lang.substr(0, cut));
}

bool IsPunctuation(char32_t c) {
  if (c < 0x80) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
  }
  return c == 0xA1 || c == 0xAB || c == 0xBB || c == 0xBF || c == 0xB7 ||  // ¡ « » ¿ ·
         (c >= 0x2010 && c <= 0x2027) || (c >= 0x3001 && c <= 0x3003) ||   // dashes, quotes, 、。
         c == 0x060C || c == 0x061F || c == 0x06D4 || c == 0x0964 || c == 0x0965 || c == 0xFF01 ||
         c == 0xFF0C || c == 0xFF0E || c == 0xFF1F || c == 0x055C || c == 0x0589 || c == 0x10FB;
}

}  // namespace

std::string DropLeadingArticle(absl::string_view text, absl::string_view lang) {
  const auto it = Articles().find(BaseLanguage(lang));
  if (it == Articles().end()) return std::string(text);
  const std::string lower = ToLowerUtf8(text);
  for (const std::string& article : it->second) {
    if (lower.size() > article.size() && lower.compare(0, article.size(), article) == 0) {
      // Case mapping keeps byte lengths for these articles, so the offset carries over.
      return NormalizeWhitespace(text.substr(article.size()));
    }
  }
  return std::string(text);
}

std::string DropPunctuation(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const Utf8CodePoint cp = DecodeUtf8(text, i);  // an invalid byte is kept as it is
    if (cp.valid && IsPunctuation(cp.code_point)) {
      out.push_back(' ');
    } else {
      out.append(text.data() + i, cp.length);
    }
    i += cp.length;
  }
  return NormalizeWhitespace(out);
}

std::string KeepOneWord(absl::string_view text, Rng& rng) {
  std::vector<std::string> words;  // of two bytes or more once stripped ("A" is no word here)
  for (absl::string_view w : absl::StrSplit(text, ' ', absl::SkipWhitespace())) {
    std::string stripped = DropPunctuation(w);
    if (stripped.size() >= 2) words.push_back(std::move(stripped));
  }
  if (words.size() < 2) return std::string(text);
  return words[rng.UniformInt(static_cast<int>(words.size()))];
}

std::string AugmentText(absl::string_view text, absl::string_view lang, Rng& rng,
                        const TextAugmentOptions& options) {
  std::string out = NormalizeWhitespace(text);
  if (rng.Bernoulli(options.p_drop_article)) out = DropLeadingArticle(out, lang);
  if (rng.Bernoulli(options.p_drop_punctuation)) {
    std::string stripped = DropPunctuation(out);
    if (!stripped.empty()) out = std::move(stripped);
  }
  if (rng.Bernoulli(options.p_one_word)) out = KeepOneWord(out, rng);
  const double u = rng.Uniform();
  if (u < options.p_lowercase) {
    out = ToLowerUtf8(out);
  } else if (u < options.p_lowercase + options.p_uppercase) {
    out = ToUpperUtf8(out);
  } else if (u < options.p_lowercase + options.p_uppercase + options.p_flip_first) {
    const std::string lower = SetFirstLetterCase(out, /*upper=*/false);
    out = lower != out ? lower : SetFirstLetterCase(out, /*upper=*/true);
  }
  return out;
}

}  // namespace xmodal::train
