#include "benchmarks/lib/svg_plot.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xmodal::bench {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(BenchSvgPlotTest, DrawsSeriesWithLegendAndEscapedText) {
  LineChart chart{.title = "recall <vs> QPS & more", .x_label = "QPS", .y_label = "recall"};
  chart.series.push_back({.name = "IVF1024,Flat", .points = {{100, 0.5}, {200, 0.9}}});
  chart.series.push_back({.name = "HNSW32", .points = {{150, 0.95}}, .lines = false});
  const std::string svg = RenderSvg(chart);
  EXPECT_THAT(svg, StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(svg, HasSubstr("recall &lt;vs&gt; QPS &amp; more"));
  EXPECT_THAT(svg, HasSubstr(">IVF1024,Flat</text>"));
  EXPECT_THAT(svg, HasSubstr(">HNSW32</text>"));
  EXPECT_THAT(svg, HasSubstr("<polyline"));
  EXPECT_THAT(svg, Not(HasSubstr("no data")));
  EXPECT_THAT(svg, HasSubstr("</svg>\n"));
}

TEST(BenchSvgPlotTest, LogAxisSkipsNonPositiveAndEmptyChartSaysNoData) {
  LineChart chart{.log_x = true};
  chart.series.push_back({.name = "bad", .points = {{0, 1}, {-5, 2}}});
  EXPECT_THAT(RenderSvg(chart), AllOf(HasSubstr("no data"), Not(HasSubstr("<circle"))));
  EXPECT_THAT(RenderSvg(LineChart{}), HasSubstr("no data"));
}

TEST(BenchSvgPlotTest, OnlyOneLineWhenOnePolylineSeries) {
  LineChart chart;
  chart.series.push_back({.name = "a", .points = {{1, 1}, {2, 2}, {3, 3}}});
  const std::string svg = RenderSvg(chart);
  size_t count = 0;
  for (size_t at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 3u);
}

TEST(BenchAxisTicksTest, LinearTicksAreNiceSteps) {
  EXPECT_THAT(AxisTicks(0, 1, false), ElementsAre(0, 0.2, 0.4, 0.6000000000000001, 0.8, 1));
  EXPECT_THAT(AxisTicks(0, 50, false), ElementsAre(0, 10, 20, 30, 40, 50));
}

TEST(BenchAxisTicksTest, LogTicksArePowersOfTenOrOneTwoFive) {
  EXPECT_THAT(AxisTicks(1, 10000, true), ElementsAre(1, 10, 100, 1000, 10000));
  EXPECT_THAT(AxisTicks(1, 100, true), ElementsAre(1, 2, 5, 10, 20, 50, 100));
}

TEST(BenchXmlEscapeTest, EscapesTheSpecialCharacters) {
  EXPECT_EQ(XmlEscape("a<b>&\"c\""), "a&lt;b&gt;&amp;&quot;c&quot;");
}

}  // namespace
}  // namespace xmodal::bench
