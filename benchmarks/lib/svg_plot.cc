#include "benchmarks/lib/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace xmodal::bench {
namespace {

constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                    "#9467bd", "#8c564b", "#e377c2", "#17becf"};
constexpr int kLeft = 70, kRight = 250, kTop = 40, kBottom = 55;

bool Usable(double v, bool log) { return std::isfinite(v) && (!log || v > 0); }

// Maps data values to pixels along one axis.
struct Axis {
  double lo = 0, hi = 1;
  bool log = false;
  double px_lo = 0, px_hi = 1;
  double Map(double v) const {
    const double a = log ? std::log10(lo) : lo, b = log ? std::log10(hi) : hi;
    const double t = ((log ? std::log10(v) : v) - a) / (b - a);
    return px_lo + t * (px_hi - px_lo);
  }
};

std::string Number(double v) {
  if (v != 0 && (std::fabs(v) >= 1e6 || std::fabs(v) < 1e-3)) return absl::StrFormat("%.0e", v);
  return absl::StrFormat("%g", v);
}

// The data range of one coordinate with a little padding; [1, 10] / [0, 1] when empty.
Axis RangeOf(const LineChart& chart, bool x, bool log) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const PlotSeries& s : chart.series) {
    for (const auto& [px, py] : s.points) {
      if (!Usable(px, chart.log_x) || !Usable(py, chart.log_y)) continue;
      const double v = x ? px : py;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  Axis axis{.log = log};
  if (!std::isfinite(lo)) {
    axis.lo = log ? 1 : 0;
    axis.hi = log ? 10 : 1;
    return axis;
  }
  if (log) {
    axis.lo = lo / 1.25;
    axis.hi = hi * 1.25;
    if (hi <= lo) {
      axis.lo = lo / 2;
      axis.hi = hi * 2;
    }
  } else {
    const double pad = hi > lo ? (hi - lo) * 0.05 : std::max(std::fabs(hi) * 0.1, 1.0);
    axis.lo = lo >= 0 && lo - pad < 0 ? 0 : lo - pad;
    axis.hi = hi + pad;
  }
  return axis;
}

}  // namespace

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<double> AxisTicks(double lo, double hi, bool log) {
  std::vector<double> ticks;
  if (!(hi > lo)) return {lo};
  if (log) {
    const int first = static_cast<int>(std::floor(std::log10(lo)));
    const int last = static_cast<int>(std::ceil(std::log10(hi)));
    const bool dense = last - first <= 3;
    for (int e = first; e <= last; ++e) {
      for (const double m : dense ? std::vector<double>{1, 2, 5} : std::vector<double>{1}) {
        const double v = m * std::pow(10, e);
        if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push_back(v);
      }
    }
    return ticks;
  }
  const double raw = (hi - lo) / 6;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  const double step = raw / mag < 1.5   ? mag
                      : raw / mag < 3.5 ? 2 * mag
                      : raw / mag < 7.5 ? 5 * mag
                                        : 10 * mag;
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  }
  return ticks;
}

std::string RenderSvg(const LineChart& chart) {
  const int w = chart.width, h = chart.height;
  Axis x = RangeOf(chart, true, chart.log_x), y = RangeOf(chart, false, chart.log_y);
  x.px_lo = kLeft;
  x.px_hi = w - kRight;
  y.px_lo = h - kBottom;
  y.px_hi = kTop;
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" "
      "fill=\"white\"/>\n<text x=\"%d\" y=\"24\" font-size=\"15\" text-anchor=\"middle\">%s"
      "</text>\n",
      w, h, w, h, (kLeft + w - kRight) / 2, XmlEscape(chart.title));
  for (const double t : AxisTicks(x.lo, x.hi, x.log)) {
    const double px = x.Map(t);
    absl::StrAppendFormat(&svg,
                          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n"
                          "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                          px, kTop, px, h - kBottom, px, h - kBottom + 16, Number(t));
  }
  for (const double t : AxisTicks(y.lo, y.hi, y.log)) {
    const double py = y.Map(t);
    absl::StrAppendFormat(&svg,
                          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n"
                          "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                          kLeft, py, w - kRight, py, kLeft - 6, py + 4, Number(t));
  }
  absl::StrAppendFormat(
      &svg,
      "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n"
      "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n"
      "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">%s</text>\n",
      kLeft, kTop, w - kLeft - kRight, h - kTop - kBottom, (kLeft + w - kRight) / 2, h - 12,
      XmlEscape(chart.x_label), (kTop + h - kBottom) / 2, (kTop + h - kBottom) / 2,
      XmlEscape(chart.y_label));
  bool any = false;
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const PlotSeries& s = chart.series[i];
    const size_t c = s.colour >= 0 ? static_cast<size_t>(s.colour) : i;
    const char* colour = kColours[c % std::size(kColours)];
    std::string path;
    for (const auto& [px, py] : s.points) {
      if (!Usable(px, x.log) || !Usable(py, y.log)) continue;
      any = true;
      absl::StrAppendFormat(&path, "%s%.1f,%.1f", path.empty() ? "" : " ", x.Map(px), y.Map(py));
      absl::StrAppendFormat(&svg, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
                            x.Map(px), y.Map(py), colour);
    }
    if (s.lines && !path.empty()) {
      absl::StrAppendFormat(
          &svg,
          "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
          "stroke-width=\"1.5\"%s/>\n",
          path, colour, s.dash.empty() ? "" : absl::StrCat(" stroke-dasharray=\"", s.dash, "\""));
    }
    const int ly = kTop + 14 + static_cast<int>(i) * 18;
    absl::StrAppendFormat(&svg,
                          "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                          "stroke-width=\"3\"%s/>\n<text x=\"%d\" y=\"%d\">%s</text>\n",
                          w - kRight + 10, ly - 4, w - kRight + 34, ly - 4, colour,
                          s.dash.empty() ? "" : absl::StrCat(" stroke-dasharray=\"", s.dash, "\""),
                          w - kRight + 40, ly, XmlEscape(s.name));
  }
  if (!any) {
    absl::StrAppendFormat(&svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">no data</text>\n",
                          (kLeft + w - kRight) / 2, (kTop + h - kBottom) / 2);
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace xmodal::bench
