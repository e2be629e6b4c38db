#include "cli/flagfile.h"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace xmodal::cli {
namespace {

absl::StatusOr<std::string> ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("--flagfile: cannot read '", path, "': ", std::strerror(errno)));
  }
  std::string text(kMaxFlagfileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    return absl::InvalidArgumentError(absl::StrCat("--flagfile: cannot read '", path, "'"));
  }
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxFlagfileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("--flagfile: '", path, "' is over ", kMaxFlagfileBytes, " bytes"));
  }
  return text;
}

absl::Status Expand(const std::vector<std::string>& args, int depth, std::vector<std::string>& out);

absl::Status ExpandFile(const std::string& path, int depth, std::vector<std::string>& out) {
  if (depth >= kMaxFlagfileDepth) {
    return absl::InvalidArgumentError(absl::StrCat("--flagfile: '", path, "' is nested more than ",
                                                   kMaxFlagfileDepth, " files deep"));
  }
  absl::StatusOr<std::string> text = ReadSmallFile(path);
  if (!text.ok()) return text.status();
  std::vector<std::string> lines;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.front() != '-') {
      return absl::InvalidArgumentError(absl::StrCat(
          "--flagfile: ", path, ":", number, ": expected a --flag=value line, got '", line, "'"));
    }
    lines.emplace_back(line);
  }
  return Expand(lines, depth + 1, out);
}

absl::Status Expand(const std::vector<std::string>& args, int depth,
                    std::vector<std::string>& out) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      out.insert(out.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    if (arg == "--flagfile" || arg == "-flagfile") {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError("--flagfile needs a value");
      if (absl::Status s = ExpandFile(args[++i], depth, out); !s.ok()) return s;
    } else if (absl::StartsWith(arg, "--flagfile=") || absl::StartsWith(arg, "-flagfile=")) {
      const std::string path = arg.substr(arg.find('=') + 1);
      if (path.empty()) return absl::InvalidArgumentError("--flagfile needs a value");
      if (absl::Status s = ExpandFile(path, depth, out); !s.ok()) return s;
    } else {
      out.push_back(arg);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ExpandFlagfiles(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  if (absl::Status s = Expand(args, 0, out); !s.ok()) return s;
  return out;
}

}  // namespace xmodal::cli
