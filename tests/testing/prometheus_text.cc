#include "tests/testing/prometheus_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace xmodal::testing {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsLabelNameStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsLabelNameChar(char c) { return IsLabelNameStart(c) || absl::ascii_isdigit(c); }
bool IsMetricNameStart(char c) { return IsLabelNameStart(c) || c == ':'; }
bool IsMetricNameChar(char c) { return IsMetricNameStart(c) || absl::ascii_isdigit(c); }

bool IsMetricName(absl::string_view name) {
  if (name.empty() || !IsMetricNameStart(name[0])) return false;
  for (const char c : name) {
    if (!IsMetricNameChar(c)) return false;
  }
  return true;
}

bool IsLabelName(absl::string_view name) {
  if (name.empty() || !IsLabelNameStart(name[0])) return false;
  for (const char c : name) {
    if (!IsLabelNameChar(c)) return false;
  }
  return true;
}

template <typename... Args>
absl::Status LineError(int line, const Args&... args) {
  return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", args...));
}

// A float as the format writes it: a decimal number ([+-]digits[.digits][e[+-]digits]), +Inf,
// -Inf or NaN.
std::optional<double> ParseFloat(absl::string_view text) {
  if (text == "+Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < text.size() && absl::ascii_isdigit(text[i])) ++i;
    return i - start;
  };
  const bool plus = i < text.size() && text[i] == '+';
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t mantissa = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  const absl::string_view number = plus ? text.substr(1) : text;
  double value = 0;
  const std::from_chars_result result =
      std::from_chars(number.data(), number.data() + number.size(), value);
  if (result.ec != std::errc() || result.ptr != number.data() + number.size()) return std::nullopt;
  return value;
}

// A timestamp: an integer (milliseconds since the epoch), possibly negative.
std::optional<int64_t> ParseTimestamp(absl::string_view text) {
  const absl::string_view digits = absl::StartsWith(text, "-") ? text.substr(1) : text;
  if (digits.empty()) return std::nullopt;
  for (const char c : digits) {
    if (!absl::ascii_isdigit(c)) return std::nullopt;
  }
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) return std::nullopt;
  return value;
}

std::string FormatSeries(absl::string_view name, const PrometheusLabels& labels) {
  if (labels.empty()) return std::string(name);
  return absl::StrCat(name, "{",
                      absl::StrJoin(labels, ",",
                                    [](std::string* out, const auto& label) {
                                      absl::StrAppend(out, label.first, "=\"", label.second, "\"");
                                    }),
                      "}");
}

// Reads one line left to right.
class Cursor {
 public:
  explicit Cursor(absl::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Consume(char c) {
    if (Peek() != c || AtEnd()) return false;
    ++pos_;
    return true;
  }
  void SkipBlanks() {
    while (!AtEnd() && IsBlank(text_[pos_])) ++pos_;
  }
  template <typename Pred>
  absl::string_view TakeWhile(Pred pred) {
    const size_t start = pos_;
    while (!AtEnd() && pred(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  // Up to the next blank or the end.
  absl::string_view TakeToken() {
    return TakeWhile([](char c) { return !IsBlank(c); });
  }
  absl::string_view Rest() {
    const absl::string_view rest = text_.substr(pos_);
    pos_ = text_.size();
    return rest;
  }

 private:
  absl::string_view text_;
  size_t pos_ = 0;
};

// The text of a label value after its opening quote, unescaped, through the closing quote.
absl::StatusOr<std::string> ReadLabelValue(Cursor& cursor, int line) {
  std::string value;
  while (true) {
    if (cursor.AtEnd()) return LineError(line, "label value has no closing quote");
    const char c = cursor.Peek();
    cursor.Consume(c);
    if (c == '"') return value;
    if (c != '\\') {
      value += c;
      continue;
    }
    const char escaped = cursor.Peek();
    if (cursor.AtEnd()) return LineError(line, "label value ends in a lone backslash");
    cursor.Consume(escaped);
    if (escaped == '\\' || escaped == '"') {
      value += escaped;
    } else if (escaped == 'n') {
      value += '\n';
    } else {
      return LineError(line, "invalid escape '\\", std::string(1, escaped), "' in a label value");
    }
  }
}

absl::StatusOr<std::string> UnescapeHelp(absl::string_view text, int line) {
  std::string help;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      help += text[i];
      continue;
    }
    if (++i == text.size()) return LineError(line, "HELP text ends in a lone backslash");
    if (text[i] == '\\') {
      help += '\\';
    } else if (text[i] == 'n') {
      help += '\n';
    } else {
      return LineError(line, "invalid escape '\\", std::string(1, text[i]), "' in HELP text");
    }
  }
  return help;
}

std::optional<PrometheusType> ParseType(absl::string_view word) {
  if (word == "counter") return PrometheusType::kCounter;
  if (word == "gauge") return PrometheusType::kGauge;
  if (word == "histogram") return PrometheusType::kHistogram;
  if (word == "summary") return PrometheusType::kSummary;
  if (word == "untyped") return PrometheusType::kUntyped;
  return std::nullopt;
}

struct ParsedSample {
  std::string name;
  PrometheusLabels labels;
  double value = 0;
  std::optional<int64_t> timestamp_ms;
};

absl::StatusOr<ParsedSample> ParseSampleLine(absl::string_view text, int line) {
  Cursor cursor(text);
  ParsedSample sample;
  sample.name = std::string(cursor.TakeWhile(IsMetricNameChar));
  if (!IsMetricName(sample.name) ||
      !(cursor.AtEnd() || IsBlank(cursor.Peek()) || cursor.Peek() == '{')) {
    const absl::string_view bad =
        Cursor(text).TakeWhile([](char c) { return !IsBlank(c) && c != '{'; });
    return LineError(line, "invalid metric name '", bad, "'");
  }
  cursor.SkipBlanks();
  if (cursor.Consume('{')) {
    while (true) {
      cursor.SkipBlanks();
      if (cursor.Consume('}')) break;
      const absl::string_view label = cursor.TakeWhile(IsLabelNameChar);
      // Characters that cannot end a label name make it a bad name ("a-b"), not a missing '='.
      const absl::string_view bad = cursor.TakeWhile(
          [](char c) { return c != '=' && c != ',' && c != '}' && c != '"' && !IsBlank(c); });
      if (!IsLabelName(label) || !bad.empty()) {
        return LineError(line, "invalid label name '", label, bad, "' in ", sample.name);
      }
      if (label == "__name__") return LineError(line, "label name __name__ is reserved");
      cursor.SkipBlanks();
      if (!cursor.Consume('=')) return LineError(line, "expected '=' after label ", label);
      cursor.SkipBlanks();
      if (!cursor.Consume('"')) {
        return LineError(line, "expected '\"' to open the value of label ", label);
      }
      absl::StatusOr<std::string> value = ReadLabelValue(cursor, line);
      if (!value.ok()) return value.status();
      if (!sample.labels.emplace(std::string(label), *std::move(value)).second) {
        return LineError(line, "label ", label, " given twice in ", sample.name);
      }
      cursor.SkipBlanks();
      if (cursor.Consume(',')) continue;
      if (cursor.Consume('}')) break;
      return LineError(line, "expected ',' or '}' after the value of label ", label);
    }
    cursor.SkipBlanks();
  }
  if (cursor.AtEnd()) return LineError(line, "sample ", sample.name, " has no value");
  const absl::string_view value = cursor.TakeToken();
  const std::optional<double> parsed = ParseFloat(value);
  if (!parsed) return LineError(line, "unparseable value '", value, "' of ", sample.name);
  sample.value = *parsed;
  cursor.SkipBlanks();
  if (!cursor.AtEnd()) {
    const absl::string_view timestamp = cursor.TakeToken();
    sample.timestamp_ms = ParseTimestamp(timestamp);
    if (!sample.timestamp_ms) {
      return LineError(line, "unparseable timestamp '", timestamp, "' of ", sample.name);
    }
    cursor.SkipBlanks();
    if (!cursor.AtEnd()) {
      return LineError(line, "unexpected text after the timestamp of ", sample.name);
    }
  }
  return sample;
}

struct FamilyState {
  PrometheusFamily family;
  int first_line = 0;
  int type_line = 0;
  bool closed = false;  // lines of another family followed it
};

class Parser {
 public:
  absl::Status Line(absl::string_view text, int line);
  absl::Status Finish();
  // What Finish() left for the PrometheusScrape (whose fields only ParsePrometheusText sets).
  using Series = std::map<std::pair<std::string, PrometheusLabels>, std::pair<std::string, size_t>>;
  std::map<std::string, PrometheusFamily, std::less<>>& done_families() { return done_families_; }
  Series& series() { return series_; }
  std::map<std::string, std::string, std::less<>>& family_of_sample() { return family_of_sample_; }

 private:
  absl::Status Comment(absl::string_view text, int line);
  absl::Status Sample(absl::string_view text, int line);
  absl::Status CheckSampleForType(const PrometheusFamily& family, const ParsedSample& sample,
                                  int line);
  absl::Status CheckHistogram(const PrometheusFamily& family);
  FamilyState& GetFamily(absl::string_view name, int line);
  // Makes `name` the family of the current group of lines.
  absl::Status Enter(absl::string_view name, int line);
  // The family a sample name belongs to.
  std::string FamilyOf(absl::string_view sample_name);

  std::map<std::string, FamilyState, std::less<>> families_;
  std::map<std::string, PrometheusFamily, std::less<>> done_families_;
  // (sample name, labels) -> (family name, index in its samples), as PrometheusScrape::series_.
  Series series_;
  std::map<std::string, std::string, std::less<>> family_of_sample_;
  std::string current_;
  std::map<std::string, int, std::less<>> first_sample_line_;  // by sample name
};

FamilyState& Parser::GetFamily(absl::string_view name, int line) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), FamilyState{}).first;
    it->second.family.name = std::string(name);
    it->second.first_line = line;
  }
  return it->second;
}

absl::Status Parser::Enter(absl::string_view name, int line) {
  if (name == current_) return absl::OkStatus();
  const auto it = families_.find(name);
  if (it != families_.end() && it->second.closed) {
    return LineError(line, "lines of family ", name, " are not grouped together (it began at line ",
                     it->second.first_line, ")");
  }
  if (!current_.empty()) families_.at(current_).closed = true;
  current_ = std::string(name);
  return absl::OkStatus();
}

std::string Parser::FamilyOf(absl::string_view sample_name) {
  const auto exact = families_.find(sample_name);
  if (exact != families_.end() && exact->second.family.typed) return std::string(sample_name);
  for (const absl::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (!absl::EndsWith(sample_name, suffix)) continue;
    const absl::string_view base = sample_name.substr(0, sample_name.size() - suffix.size());
    const auto it = families_.find(base);
    if (it == families_.end() || !it->second.family.typed) continue;
    const PrometheusType type = it->second.family.type;
    if (type == PrometheusType::kHistogram ||
        (type == PrometheusType::kSummary && suffix != "_bucket")) {
      return std::string(base);
    }
  }
  return std::string(sample_name);  // untyped, perhaps with a HELP
}

absl::Status Parser::Line(absl::string_view text, int line) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  if (text.empty()) return absl::OkStatus();
  if (text.front() == '#') return Comment(text.substr(1), line);
  return Sample(text, line);
}

absl::Status Parser::Comment(absl::string_view text, int line) {
  Cursor cursor(text);
  cursor.SkipBlanks();
  const absl::string_view keyword = cursor.TakeToken();
  if (keyword != "HELP" && keyword != "TYPE") return absl::OkStatus();  // a plain comment
  cursor.SkipBlanks();
  const absl::string_view name = cursor.TakeToken();
  if (!IsMetricName(name)) {
    return LineError(line, "invalid metric name '", name, "' in ", keyword);
  }
  cursor.SkipBlanks();
  if (keyword == "HELP") {
    FamilyState& state = GetFamily(name, line);
    if (absl::Status entered = Enter(name, line); !entered.ok()) return entered;
    if (state.family.help) return LineError(line, "second HELP for ", name);
    absl::StatusOr<std::string> help = UnescapeHelp(cursor.Rest(), line);
    if (!help.ok()) return help.status();
    state.family.help = *std::move(help);
    return absl::OkStatus();
  }
  const absl::string_view type_word = cursor.TakeToken();
  const std::optional<PrometheusType> type = ParseType(type_word);
  if (!type) return LineError(line, "unknown TYPE '", type_word, "' for ", name);
  cursor.SkipBlanks();
  if (!cursor.AtEnd()) return LineError(line, "unexpected text after TYPE of ", name);
  FamilyState& state = GetFamily(name, line);
  if (absl::Status entered = Enter(name, line); !entered.ok()) return entered;
  if (state.family.typed) {
    return LineError(line, "second TYPE for ", name, " (first at line ", state.type_line, ")");
  }
  std::vector<std::string> sample_names = {std::string(name)};
  if (*type == PrometheusType::kHistogram) sample_names.push_back(absl::StrCat(name, "_bucket"));
  if (*type == PrometheusType::kHistogram || *type == PrometheusType::kSummary) {
    sample_names.push_back(absl::StrCat(name, "_sum"));
    sample_names.push_back(absl::StrCat(name, "_count"));
  }
  for (const std::string& sample_name : sample_names) {
    const auto seen = first_sample_line_.find(sample_name);
    if (seen != first_sample_line_.end()) {
      return LineError(line, "TYPE for ", name, " after its samples (a sample ", sample_name,
                       " before its TYPE, at line ", seen->second, ")");
    }
  }
  state.family.type = *type;
  state.family.typed = true;
  state.type_line = line;
  return absl::OkStatus();
}

absl::Status Parser::CheckSampleForType(const PrometheusFamily& family, const ParsedSample& sample,
                                        int line) {
  const absl::string_view suffix = absl::string_view(sample.name).substr(family.name.size());
  const bool has_le = sample.labels.count("le") > 0;
  const bool has_quantile = sample.labels.count("quantile") > 0;
  switch (family.type) {
    case PrometheusType::kCounter:
      if (sample.value < 0) {
        return LineError(line, "counter ", sample.name, " is negative (", sample.value, ")");
      }
      return absl::OkStatus();
    case PrometheusType::kHistogram:
      if (suffix.empty()) {
        return LineError(line, "histogram ", family.name,
                         " has a sample that is not named _bucket, _sum or _count");
      }
      if (suffix == "_bucket") {
        if (!has_le) return LineError(line, sample.name, " has no le label");
        if (!ParseFloat(sample.labels.at("le"))) {
          return LineError(line, "unparseable le \"", sample.labels.at("le"), "\" of ",
                           sample.name);
        }
      } else if (has_le) {
        return LineError(line, sample.name, " must not have an le label");
      }
      if (suffix != "_sum" && !(sample.value >= 0)) {
        return LineError(line, sample.name, " is not a count (", sample.value, ")");
      }
      return absl::OkStatus();
    case PrometheusType::kSummary:
      if (suffix.empty()) {
        if (!has_quantile || !ParseFloat(sample.labels.at("quantile"))) {
          return LineError(line, "summary sample ", sample.name, " has no float quantile label");
        }
      } else if (has_quantile) {
        return LineError(line, sample.name, " must not have a quantile label");
      }
      return absl::OkStatus();
    case PrometheusType::kGauge:
    case PrometheusType::kUntyped:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status Parser::Sample(absl::string_view text, int line) {
  absl::StatusOr<ParsedSample> sample = ParseSampleLine(text, line);
  if (!sample.ok()) return sample.status();
  const std::string family_name = FamilyOf(sample->name);
  FamilyState& state = GetFamily(family_name, line);
  if (absl::Status entered = Enter(family_name, line); !entered.ok()) return entered;
  if (absl::Status checked = CheckSampleForType(state.family, *sample, line); !checked.ok()) {
    return checked;
  }
  auto key = std::make_pair(sample->name, sample->labels);
  const auto duplicate = series_.find(key);
  if (duplicate != series_.end()) {
    const int first =
        families_.at(duplicate->second.first).family.samples[duplicate->second.second].line;
    return LineError(line, "duplicate series ", FormatSeries(sample->name, sample->labels),
                     " (first at line ", first, ")");
  }
  series_.emplace(std::move(key), std::make_pair(family_name, state.family.samples.size()));
  family_of_sample_.emplace(sample->name, family_name);
  first_sample_line_.emplace(sample->name, line);
  state.family.samples.push_back(PrometheusSample{.name = std::move(sample->name),
                                                  .labels = std::move(sample->labels),
                                                  .value = sample->value,
                                                  .timestamp_ms = sample->timestamp_ms,
                                                  .line = line});
  return absl::OkStatus();
}

absl::Status Parser::CheckHistogram(const PrometheusFamily& family) {
  struct Bucket {
    double le;
    const PrometheusSample* sample;
  };
  struct Series {
    std::vector<Bucket> buckets;
    const PrometheusSample* sum = nullptr;
    const PrometheusSample* count = nullptr;
    int first_line = 0;
  };
  std::map<PrometheusLabels, Series> by_labels;  // labels other than le
  for (const PrometheusSample& sample : family.samples) {
    PrometheusLabels labels = sample.labels;
    labels.erase("le");
    Series& series = by_labels[labels];
    if (series.first_line == 0) series.first_line = sample.line;
    const absl::string_view suffix = absl::string_view(sample.name).substr(family.name.size());
    if (suffix == "_bucket") {
      series.buckets.push_back(Bucket{*ParseFloat(sample.labels.at("le")), &sample});
    } else if (suffix == "_sum") {
      series.sum = &sample;
    } else {
      series.count = &sample;
    }
  }
  for (const auto& [labels, series] : by_labels) {
    const std::string what = FormatSeries(family.name, labels);
    for (size_t i = 1; i < series.buckets.size(); ++i) {
      const Bucket& previous = series.buckets[i - 1];
      const Bucket& bucket = series.buckets[i];
      if (!(bucket.le > previous.le)) {
        return LineError(bucket.sample->line, "buckets of histogram ", what,
                         " are not in increasing le order (le=\"", bucket.sample->labels.at("le"),
                         "\" after le=\"", previous.sample->labels.at("le"), "\")");
      }
      if (bucket.sample->value < previous.sample->value) {
        return LineError(bucket.sample->line, "buckets of histogram ", what,
                         " are not cumulative (le=\"", bucket.sample->labels.at("le"), "\" has ",
                         bucket.sample->value, ", below the ", previous.sample->value, " of le=\"",
                         previous.sample->labels.at("le"), "\")");
      }
    }
    if (series.buckets.empty() || !std::isinf(series.buckets.back().le)) {
      return LineError(series.first_line, "histogram ", what, " has no le=\"+Inf\" bucket");
    }
    if (series.count == nullptr) {
      return LineError(series.first_line, "histogram ", what, " has no ", family.name, "_count");
    }
    const PrometheusSample& inf = *series.buckets.back().sample;
    if (series.count->value != inf.value) {
      return LineError(series.count->line, family.name, "_count of ", what, " (",
                       series.count->value, ") differs from its le=\"+Inf\" bucket (", inf.value,
                       ", line ", inf.line, ")");
    }
    if (series.sum == nullptr) {
      return LineError(series.first_line, "histogram ", what, " has no ", family.name, "_sum");
    }
  }
  return absl::OkStatus();
}

absl::Status Parser::Finish() {
  for (auto& [name, state] : families_) {
    if (state.family.type != PrometheusType::kHistogram) continue;
    if (absl::Status checked = CheckHistogram(state.family); !checked.ok()) return checked;
  }
  for (auto& [name, state] : families_) {
    done_families_.emplace(name, std::move(state.family));
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view PrometheusTypeName(PrometheusType type) {
  switch (type) {
    case PrometheusType::kCounter:
      return "counter";
    case PrometheusType::kGauge:
      return "gauge";
    case PrometheusType::kHistogram:
      return "histogram";
    case PrometheusType::kSummary:
      return "summary";
    case PrometheusType::kUntyped:
      return "untyped";
  }
  return "untyped";
}

std::optional<double> PrometheusScrape::Value(absl::string_view name,
                                              const PrometheusLabels& labels) const {
  const auto it = series_.find(std::make_pair(std::string(name), labels));
  if (it == series_.end()) return std::nullopt;
  return families_.find(it->second.first)->second.samples[it->second.second].value;
}

std::optional<PrometheusType> PrometheusScrape::Type(absl::string_view family) const {
  const PrometheusFamily* found = Family(family);
  if (found == nullptr) return std::nullopt;
  return found->type;
}

const PrometheusFamily* PrometheusScrape::Family(absl::string_view family) const {
  const auto it = families_.find(family);
  return it == families_.end() ? nullptr : &it->second;
}

std::vector<const PrometheusSample*> PrometheusScrape::Samples(
    absl::string_view name, const PrometheusLabels& labels) const {
  std::vector<const PrometheusSample*> found;
  const auto family = family_of_sample_.find(name);
  if (family == family_of_sample_.end()) return found;
  for (const PrometheusSample& sample : families_.find(family->second)->second.samples) {
    if (sample.name != name) continue;
    bool match = true;
    for (const auto& [label, value] : labels) {
      const auto it = sample.labels.find(label);
      if (it == sample.labels.end() || it->second != value) {
        match = false;
        break;
      }
    }
    if (match) found.push_back(&sample);
  }
  return found;
}

double PrometheusScrape::Sum(absl::string_view name, const PrometheusLabels& labels) const {
  double sum = 0;
  for (const PrometheusSample* sample : Samples(name, labels)) sum += sample->value;
  return sum;
}

absl::StatusOr<PrometheusScrape> ParsePrometheusText(absl::string_view text) {
  if (!text.empty() && text.back() != '\n') {
    const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
    return LineError(lines, "the last line does not end with a line feed");
  }
  Parser parser;
  int line = 0;
  for (const absl::string_view line_text : absl::StrSplit(text, '\n')) {
    ++line;
    if (absl::Status status = parser.Line(line_text, line); !status.ok()) return status;
  }
  if (absl::Status status = parser.Finish(); !status.ok()) return status;
  PrometheusScrape scrape;
  scrape.families_ = std::move(parser.done_families());
  scrape.series_ = std::move(parser.series());
  scrape.family_of_sample_ = std::move(parser.family_of_sample());
  return scrape;
}

}  // namespace xmodal::testing
