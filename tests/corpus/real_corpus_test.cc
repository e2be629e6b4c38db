// Reads the real Tux Paint stamp corpus when it is installed (skipped otherwise) and checks
// that the counts are plausible for Debian's tuxpaint-stamps-default (0.9.x: 950 stamps,
// 774 groups, 134 NAME.ogg sound effects plus 304 localised NAME_LANG.ogg sounds, which
// together are the "about 440 sound effects" of the issue).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "testing/status_matchers.h"
#include "trainer/corpus/splits.h"
#include "trainer/corpus/stamp_corpus.h"

namespace xmodal::corpus {
namespace {

TEST(RealCorpusTest, CountsArePlausible) {
  if (!std::filesystem::exists(kDefaultStampRoot)) {
    GTEST_SKIP() << kDefaultStampRoot << " is not installed (tuxpaint-stamps-default)";
  }
  ASSERT_OK_AND_ASSIGN(const StampCorpus corpus, ReadStampCorpus());
  int with_sound = 0, localized = 0, svg = 0, korean = 0, held_out = 0, spoken = 0;
  std::set<std::string> spoken_langs;
  for (const Stamp& s : corpus.stamps) {
    with_sound += !s.sound_path.empty();
    localized += static_cast<int>(s.localized_sounds.size());
    svg += s.image_is_svg;
    spoken += static_cast<int>(s.spoken.size());
    for (const SpokenDescription& d : s.spoken) spoken_langs.insert(d.lang);
    for (const Description& d : s.descriptions) {
      korean += d.lang == "ko";
      held_out += IsHeldOutLanguage(d.lang);
    }
  }
  EXPECT_GT(corpus.stamps.size(), 900u);
  EXPECT_GT(with_sound, 120);
  EXPECT_GT(with_sound + localized, 400);
  EXPECT_GT(svg, 100);
  EXPECT_GT(korean, 900);
  EXPECT_GT(held_out, 4000);
  EXPECT_GT(spoken, 6000);
  EXPECT_TRUE(spoken_langs.count("en") && spoken_langs.count("fr") && spoken_langs.count("pt_BR"));
  EXPECT_GT(corpus.num_groups, 700);
  EXPECT_LE(corpus.num_groups, static_cast<int>(corpus.stamps.size()));
  EXPECT_GT(TrainingLanguages(corpus).size(), 50u);
}

TEST(RealCorpusTest, SvgStampsRender) {
  if (!std::filesystem::exists(kDefaultStampRoot)) {
    GTEST_SKIP() << kDefaultStampRoot << " is not installed (tuxpaint-stamps-default)";
  }
  ASSERT_OK_AND_ASSIGN(const StampCorpus corpus, ReadStampCorpus());
  int rendered = 0;
  for (const Stamp& s : corpus.stamps) {
    if (!s.image_is_svg || rendered >= 5) continue;
    ASSERT_OK_AND_ASSIGN(const media::Image image, LoadStampImage(s, 128));
    EXPECT_EQ(std::max(image.width, image.height), 128) << s.name;
    ++rendered;
  }
  EXPECT_EQ(rendered, 5);
}

}  // namespace
}  // namespace xmodal::corpus
