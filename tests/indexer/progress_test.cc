#include "indexer/progress.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "tests/indexer/test_files.h"

namespace xmodal::indexer {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::xmodal::indexer::testing::Capture;

TEST(IndexerFormatEtaTest, MinutesSecondsAndHours) {
  EXPECT_EQ(FormatEta(0), "0:00");
  EXPECT_EQ(FormatEta(15.2), "0:15");
  EXPECT_EQ(FormatEta(723), "12:03");
  EXPECT_EQ(FormatEta(3723), "1:02:03");
  EXPECT_EQ(FormatEta(-1), "?");
}

TEST(IndexerFormatProgressLineTest, BarCountsRateEtaFailed) {
  const ProgressState s{.done = 420, .total = 960, .failed = 2, .elapsed_seconds = 12.0};
  EXPECT_EQ(FormatProgressLine(s, 10), "[####......] 420/960  35.0 items/s  ETA 0:15  failed 2");
  const ProgressState start{.done = 0, .total = 10};
  EXPECT_EQ(FormatProgressLine(start, 4), "[....] 0/10  0.0 items/s  ETA ?  failed 0");
  const ProgressState empty{};
  EXPECT_EQ(FormatProgressLine(empty, 4), "[####] 0/0  0.0 items/s  ETA ?  failed 0");
}

TEST(IndexerTerminalProgressTest, NotATtyWritesPlainLinesAndAlwaysTheFinalOnes) {
  Capture out;
  {
    TerminalProgress p(out.file(), /*is_tty=*/false, /*log_interval_seconds=*/3600);
    p.Items({.done = 1, .total = 2, .elapsed_seconds = 1});
    p.Items({.done = 2, .total = 2, .elapsed_seconds = 2});  // within the interval: dropped
    p.ItemsDone({.done = 2, .total = 2, .elapsed_seconds = 2});
    p.IndexBuild(Modality::kAudio, 0, 0);  // no vectors, no index: nothing written
    p.IndexBuild(Modality::kImage, 2, 2);
  }
  const std::string text = out.Text();
  EXPECT_THAT(text, StartsWith("indexing: [##########..........] 1/2"));
  EXPECT_THAT(text, HasSubstr("\nindexed: [####################] 2/2"));
  EXPECT_THAT(text, EndsWith("building the image index: 2/2 vectors\n"));
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.find("indexing: [####################]"), std::string::npos);
  EXPECT_EQ(text.find("audio"), std::string::npos);
}

TEST(IndexerTerminalProgressTest, TtyRedrawsOneLineAndEndsIt) {
  Capture out;
  {
    TerminalProgress p(out.file(), /*is_tty=*/true);
    p.Items({.done = 1, .total = 4, .elapsed_seconds = 1});
    p.ItemsDone({.done = 4, .total = 4, .elapsed_seconds = 2});
  }
  const std::string text = out.Text();
  EXPECT_THAT(text, StartsWith("\r[#####...............] 1/4"));
  EXPECT_THAT(text, HasSubstr("\r[####################] 4/4"));
  EXPECT_THAT(text, EndsWith("\x1b[K\n"));
}

}  // namespace
}  // namespace xmodal::indexer
