// A small SVG line-chart writer for benchmark plots (recall against queries/s, latency
// percentiles against concurrency). No dependencies; the output is a standalone SVG 1.1 file.
#ifndef XMODAL_BENCHMARKS_LIB_SVG_PLOT_H_
#define XMODAL_BENCHMARKS_LIB_SVG_PLOT_H_

#include <string>
#include <utility>
#include <vector>

namespace xmodal::bench {

struct PlotSeries {
  std::string name;                               // legend entry
  std::vector<std::pair<double, double>> points;  // (x, y), drawn in the order given
  bool lines = true;                              // join the points; markers are always drawn
  int colour = -1;   // palette index (series sharing a colour, e.g. one per mix); -1: own index
  std::string dash;  // SVG stroke-dasharray of the line, e.g. "6,3"; empty: solid
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_x = false;  // logarithmic axis, padded around the data (non-positive values left out)
  bool log_y = false;
  int width = 860;
  int height = 460;
  std::vector<PlotSeries> series;
};

// Renders `chart` as SVG. Text is XML-escaped; non-finite points (and non-positive ones on a
// log axis) are skipped; an empty chart gets the axes and "no data". Deterministic.
std::string RenderSvg(const LineChart& chart);

// "&amp;", "&lt;", "&gt;", "&quot;" for the XML special characters.
std::string XmlEscape(const std::string& text);

// Tick positions for [lo, hi]: "nice" steps (1, 2, 5 x 10^n) on a linear axis, powers of ten
// (or 1-2-5 steps within a decade) on a log axis. Exposed for tests.
std::vector<double> AxisTicks(double lo, double hi, bool log);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_SVG_PLOT_H_
