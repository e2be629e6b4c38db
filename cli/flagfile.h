// --flagfile expansion, in absl's format so that existing flag files keep working: one
// argument a line ("--flag=value"), leading and trailing whitespace removed, blank lines and
// lines starting with '#' ignored. Stateless and thread-safe.
#ifndef XMODAL_CLI_FLAGFILE_H_
#define XMODAL_CLI_FLAGFILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace xmodal::cli {

inline constexpr int kMaxFlagfileDepth = 8;           // a flag file naming another: 1 deep
inline constexpr size_t kMaxFlagfileBytes = 1 << 20;  // per file

// Replaces each "--flagfile=FILE" / "--flagfile FILE" (also with one dash) before a "--" with
// the lines of FILE, themselves expanded. INVALID_ARGUMENT for a missing value, a file that
// cannot be read or is over kMaxFlagfileBytes, a line that does not start with '-', or files
// nested deeper than kMaxFlagfileDepth.
absl::StatusOr<std::vector<std::string>> ExpandFlagfiles(const std::vector<std::string>& args);

}  // namespace xmodal::cli

#endif  // XMODAL_CLI_FLAGFILE_H_
