#include "trainer/corpus/splits.h"

#include <set>
#include <string>
#include <vector>

namespace xmodal::corpus {
namespace {

constexpr absl::string_view kHeldOut[] = {"nn", "pt", "pt_BR", "sk", "sr@latin", "uk"};

}  // namespace

bool IsHeldOutLanguage(absl::string_view lang) {
  for (absl::string_view held_out : kHeldOut) {
    if (lang == held_out) return true;
  }
  return false;
}

std::vector<std::string> HeldOutLanguages() {
  return std::vector<std::string>(std::begin(kHeldOut), std::end(kHeldOut));
}

std::vector<std::string> TrainingLanguages(const StampCorpus& corpus) {
  std::set<std::string> langs;
  for (const Stamp& stamp : corpus.stamps) {
    for (const Description& d : stamp.descriptions) {
      if (!IsHeldOutLanguage(d.lang)) langs.insert(d.lang);
    }
  }
  return std::vector<std::string>(langs.begin(), langs.end());
}

}  // namespace xmodal::corpus
