// Markdown helpers of the xmodal-eval reports (the same rules as eval_report.cc's private
// MdCell and Pct): a table cell with '|' escaped, and a metric in [0, 1] with three decimals.
// Pure functions; thread-safe.
#ifndef XMODAL_TRAINER_EVAL_MARKDOWN_CELLS_H_
#define XMODAL_TRAINER_EVAL_MARKDOWN_CELLS_H_

#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"

namespace xmodal::eval {

// `text` safe inside a table cell: '|' escaped, line breaks as spaces.
inline std::string MdCell(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"|", "\\|"}, {"\r\n", " "}, {"\n", " "}, {"\r", " "}});
}

// "0.857".
inline std::string Fixed3(double value) { return absl::StrFormat("%.3f", value); }

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_MARKDOWN_CELLS_H_
