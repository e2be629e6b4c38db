// Option checks and request building of the load generator; the load itself runs against a
// real server in suite_test.
#include "benchmarks/lib/load_gen.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "benchmarks/lib/load_interval.h"
#include "testing/status_matchers.h"

namespace xmodal::bench {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

LoadRunOptions Valid() { return {.server = "127.0.0.1:7070"}; }

TEST(BenchLoadGenTest, AcceptsLoopbackServers) {
  for (const char* server : {"127.0.0.1:7070", "localhost:1", "[::1]:65535", "127.1.2.3:80"}) {
    LoadRunOptions o = Valid();
    o.server = server;
    EXPECT_OK(ValidateLoadOptions(o));
  }
}

TEST(BenchLoadGenTest, RefusesOtherHostsAndBadOptions) {
  LoadRunOptions o = Valid();
  o.server = "10.0.0.5:7070";
  EXPECT_THAT(ValidateLoadOptions(o),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a loopback address")));
  o.server = "127.0.0.1";
  EXPECT_THAT(ValidateLoadOptions(o),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("HOST:PORT")));
  const std::vector<std::pair<LoadRunOptions, std::string>> bad = {
      {{.server = "127.0.0.1:1", .concurrency = 0}, "concurrency"},
      {{.server = "127.0.0.1:1", .seconds = 0}, "seconds"},
      {{.server = "127.0.0.1:1", .warmup_seconds = -1}, "warm-up"},
      {{.server = "127.0.0.1:1", .repetitions = 0}, "repetitions"},
      {{.server = "127.0.0.1:1", .max_requests = -1}, "max requests"},
      {{.server = "127.0.0.1:1", .rate_qps = -5}, "rate"},
      {{.server = "127.0.0.1:1", .k = 0}, "k 0"},
      {{.server = "127.0.0.1:1", .deadline_seconds = 0}, "deadline"}};
  for (const auto& [options, what] : bad) {
    EXPECT_THAT(ValidateLoadOptions(options),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(what)));
  }
}

TEST(BenchLoadGenTest, BuildsOneRequestPerQuery) {
  QuerySet set;
  set.texts = {"red", "blue"};
  set.audio = {"ogg"};
  const auto requests = BuildRequests(set, 7, {Modality::kImage});
  ASSERT_EQ(requests[0].size(), 2u);
  EXPECT_TRUE(requests[1].empty());
  ASSERT_EQ(requests[2].size(), 1u);
  EXPECT_EQ(requests[0][1].request.query().text(), "blue");
  EXPECT_EQ(requests[0][1].request.k(), 7);
  ASSERT_EQ(requests[0][1].request.targets_size(), 1);
  EXPECT_EQ(requests[0][1].request.targets(0), xmodal::v1::MODALITY_IMAGE);
  EXPECT_EQ(requests[2][0].request.query().audio(), "ogg");
  EXPECT_EQ(requests[2][0].kind, Modality::kAudio);
}

TEST(BenchLoadGenTest, UnreachableServerIsUnavailable) {
  QuerySet set;
  set.texts = {"red"};
  LoadRunOptions o = Valid();
  o.server = "127.0.0.1:1";  // nothing listens on port 1
  o.deadline_seconds = 2;
  o.mix.weights = {1, 0, 0};
  EXPECT_THAT(RunLoad(o, set),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no warm-up request succeeded")));
}

}  // namespace
}  // namespace xmodal::bench
