#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "core/base/file_util.h"
#include "core/base/json.h"
#include "core/model/clip/bpe_tokenizer.h"
#include "core/model/clip/html_unescape.h"
#include "testing/golden.h"
#include "testing/status_matchers.h"

namespace xmodal::model::clip {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

MATCHER_P(IsOkAndHolds, matcher, "is OK and holds a value that matches") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, *arg, result_listener);
}

constexpr int kNumMerges = 48894;  // CLIP uses lines 2..48895 of the merges file
constexpr char kWhat[] = "merges.txt.gz";

// `text` gzip-compressed by zlib.
std::string Gzip(const std::string& text) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&zs, text.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// A merges file: a header line, `merges`, then "y y" lines up to CLIP's 48,894 merges.
std::string MergesText(const std::vector<std::string>& merges) {
  std::string text = "#version: 0.2\n";
  for (const std::string& m : merges) text += m + "\n";
  for (size_t i = merges.size(); i < kNumMerges; ++i) text += "y y\n";
  return text;
}

// Vocabulary ids of ASCII letter `c` (bytes '!'..'~' are ids 0..93) and of `c` + "</w>".
int64_t Byte(char c) { return c - '!'; }
int64_t ByteEnd(char c) { return 256 + Byte(c); }

// Expects INVALID_ARGUMENT naming kWhat and containing `part`.
void ExpectInvalid(const std::string& gz, const std::string& part) {
  EXPECT_THAT(
      BpeTokenizer::FromGzip(gz, kWhat),
      StatusIs(absl::StatusCode::kInvalidArgument, AllOf(HasSubstr(kWhat), HasSubstr(part))));
}

TEST(HtmlUnescapeTest, ReplacesNamedReferencesOncePerCall) {
  EXPECT_EQ(HtmlUnescape("&amp;amp;"), "&amp;");
  EXPECT_EQ(HtmlUnescape(HtmlUnescape("&amp;amp;")), "&");
  EXPECT_EQ(HtmlUnescape("&lt;b&gt; x"), "<b> x");
  EXPECT_EQ(HtmlUnescape("&NotEqualTilde;"), "\xe2\x89\x82\xcc\xb8");  // two code points
  EXPECT_EQ(HtmlUnescape("no references"), "no references");
}

TEST(HtmlUnescapeTest, LegacyNamesMatchTheirLongestPrefix) {
  EXPECT_EQ(HtmlUnescape("&notit;"),
            "\xc2\xac"
            "it;");                                    // "not" without ';', then "it;"
  EXPECT_EQ(HtmlUnescape("&notin;"), "\xe2\x88\x89");  // a whole name wins
  EXPECT_EQ(HtmlUnescape("&amp &ampx &ampamp;"), "& &x &amp;");
  EXPECT_EQ(HtmlUnescape("&Eacutex;"), "\xc3\x89x;");
  EXPECT_EQ(HtmlUnescape("&lt\xc3\xa9;"), "<\xc3\xa9;");
  // Names without a legacy prefix, or longer than 32 characters, stay.
  EXPECT_EQ(HtmlUnescape("&unknown; & &; &#; &#x;"), "&unknown; & &; &#; &#x;");
  const std::string long_name = "&" + std::string(40, 'a') + ";";
  EXPECT_EQ(HtmlUnescape(long_name), long_name);
}

TEST(HtmlUnescapeTest, NumericReferencesFollowPythonsRules) {
  EXPECT_EQ(HtmlUnescape("&#39;"), "'");
  EXPECT_EQ(HtmlUnescape("&#x1F431;"), "\xf0\x9f\x90\xb1");
  EXPECT_EQ(HtmlUnescape("&#X41&#66"), "AB");  // ';' is optional
  EXPECT_EQ(HtmlUnescape("&#0;"), "\xef\xbf\xbd");
  EXPECT_EQ(HtmlUnescape("&#0x41"),
            "\xef\xbf\xbd"
            "x41");
  EXPECT_EQ(HtmlUnescape("&#x80;"), "\xe2\x82\xac");  // windows-1252
  EXPECT_EQ(HtmlUnescape("&#x81;"), "\xc2\x81");
  EXPECT_EQ(HtmlUnescape("&#13;"), "\r");
  EXPECT_EQ(HtmlUnescape("&#xD800;&#x110000;&#99999999999999999999;"),
            "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(HtmlUnescape("a&#1;b&#xFFFE;c"), "abc");  // invalid code points are dropped
}

TEST(BpeTokenizerTest, MergesTheLowestRankedPairEverywhereFirst) {
  // "xababz": (a, b) is the only ranked pair at first and is merged at both places before
  // (x, ab), although (x, ab) ranks lower; then (xab, a) never occurs.
  ASSERT_OK_AND_ASSIGN(auto tok, BpeTokenizer::FromGzip(
                                     Gzip(MergesText({"x ab", "xab a", "a b", "h i</w>"})), kWhat));
  EXPECT_THAT(tok->Encode("xababz"), ElementsAre(512, 514, ByteEnd('z')));
  EXPECT_THAT(tok->Encode("Hi hi, x"), ElementsAre(515, 515, ByteEnd(','), ByteEnd('x')));
  EXPECT_THAT(tok->Encode("ab"), ElementsAre(Byte('a'), ByteEnd('b')));  // (a, b</w>) unranked
  EXPECT_THAT(tok->Encode("<|endoftext|>"), ElementsAre(BpeTokenizer::kEndToken));
  EXPECT_THAT(tok->Encode(""), ElementsAre());
}

TEST(BpeTokenizerTest, TokenizeAddsStartEndAndPadding) {
  ASSERT_OK_AND_ASSIGN(auto tok, BpeTokenizer::FromGzip(Gzip(MergesText({"h i</w>"})), kWhat));
  EXPECT_THAT(
      tok->Tokenize("hi", 5, false),
      IsOkAndHolds(ElementsAre(BpeTokenizer::kStartToken, 512, BpeTokenizer::kEndToken, 0, 0)));
  EXPECT_THAT(
      tok->Tokenize("hi hi hi", 4, true),
      IsOkAndHolds(ElementsAre(BpeTokenizer::kStartToken, 512, 512, BpeTokenizer::kEndToken)));
  EXPECT_THAT(tok->Tokenize("hi", 2, true),
              IsOkAndHolds(ElementsAre(BpeTokenizer::kStartToken, BpeTokenizer::kEndToken)));
  EXPECT_THAT(tok->Tokenize("hi hi hi", 4, false),
              StatusIs(absl::StatusCode::kInvalidArgument, AllOf(HasSubstr("5"), HasSubstr("4"))));
  EXPECT_THAT(tok->Tokenize("hi", 1, true),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("context length")));
}

TEST(BpeTokenizerTest, RejectsDataThatIsNotGzip) {
  ExpectInvalid("#version: 0.2\na b\n", "not gzip");
  ExpectInvalid("", "not gzip");
}

TEST(BpeTokenizerTest, RejectsTruncatedOrCorruptGzip) {
  const std::string gz = Gzip(MergesText({}));
  ExpectInvalid(gz.substr(0, gz.size() / 2), "truncated");
  ExpectInvalid(gz.substr(0, gz.size() - 4), "truncated");  // no length trailer
  std::string flipped = gz;
  for (size_t i = 20; i < 60; ++i) flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
  ExpectInvalid(flipped, "corrupt");
  ExpectInvalid(gz + "trailing junk", "corrupt");
}

TEST(BpeTokenizerTest, RejectsGarbageLines) {
  ExpectInvalid(Gzip("#version: 0.2\n\x01\x02\xff\xfe garbage\x80\n" + std::string(4096, '\x9c')),
                "line 2");
  ExpectInvalid(Gzip("\xff\xfe\n"), "line 1");
}

TEST(BpeTokenizerTest, RejectsTooFewMerges) {
  std::string text = "#version: 0.2\n";
  for (int i = 0; i < 10; ++i) text += "a b\n";
  ExpectInvalid(Gzip(text), "only 10 merges");
  ExpectInvalid(Gzip(text.substr(0, text.size() - 1)), "only 10 merges");  // no final '\n'
  ExpectInvalid(Gzip("#version: 0.2"), "only 0 merges");
  const std::string full = MergesText({});
  ExpectInvalid(Gzip(full.substr(0, full.size() - 4)), "only 48893 merges");
  EXPECT_OK(BpeTokenizer::FromGzip(Gzip(full.substr(0, full.size() - 1)), kWhat));
}

TEST(BpeTokenizerTest, RejectsMalformedMergeLinesNamingTheLine) {
  for (const std::string bad : {"a", "a  b", " a b", "a b ", "a b c", "a\tb", "a b\r", ""}) {
    SCOPED_TRACE(bad);
    ExpectInvalid(Gzip(MergesText({"a b", "c d", "e f", "g h", "i j", bad})), "line 7");
  }
}

TEST(BpeTokenizerTest, RejectsGzipBombs) {
  std::string text = "#version: 0.2\n";
  while (text.size() <= (size_t{17} << 20)) text += "y y\n";
  const std::string gz = Gzip(text);
  EXPECT_LT(gz.size(), size_t{1} << 20);
  ExpectInvalid(gz, "more than 16 MiB");
}

TEST(BpeTokenizerTest, LoadReportsMissingAndInvalidFiles) {
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("clip_tokenizer_test"));
  EXPECT_THAT(BpeTokenizer::Load(dir + "/absent.txt.gz"),
              StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  const std::string bad = dir + "/plain.txt";
  ASSERT_OK(WriteFileAtomically(bad, "#version: 0.2\n"));
  EXPECT_THAT(BpeTokenizer::Load(bad),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(bad)));
  const std::string good = dir + "/merges.txt.gz";
  ASSERT_OK(WriteFileAtomically(good, Gzip(MergesText({"h i</w>"}))));
  ASSERT_OK_AND_ASSIGN(auto tok, BpeTokenizer::Load(good));
  EXPECT_THAT(tok->Encode("hi"), ElementsAre(512));
}

// ---- Against CLIP's reference outputs ----

class ClipTokenizerGoldenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(xmodal::testing::GoldenDir("clip"));
    if (dir_->empty()) return;
    absl::StatusOr<std::unique_ptr<BpeTokenizer>> tok =
        BpeTokenizer::Load(*dir_ + "/bpe_simple_vocab_16e6.txt.gz");
    ASSERT_OK(tok);
    tokenizer_ = tok->release();
  }
  static void TearDownTestSuite() {
    delete tokenizer_;
    tokenizer_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (dir_->empty()) GTEST_SKIP() << xmodal::testing::GoldenMissing("clip");
    ASSERT_NE(tokenizer_, nullptr);
  }

  static std::string* dir_;
  static BpeTokenizer* tokenizer_;
};
std::string* ClipTokenizerGoldenTest::dir_ = nullptr;
BpeTokenizer* ClipTokenizerGoldenTest::tokenizer_ = nullptr;

TEST_F(ClipTokenizerGoldenTest, MatchesReferenceOnAllCases) {
  ASSERT_OK_AND_ASSIGN(const std::string text, ReadFile(*dir_ + "/tokenizer_cases.json"));
  ASSERT_OK_AND_ASSIGN(const Json golden, ParseJson(text, "tokenizer_cases.json"));
  EXPECT_EQ(golden.at("sot").get<int64_t>(), BpeTokenizer::kStartToken);
  EXPECT_EQ(golden.at("eot").get<int64_t>(), BpeTokenizer::kEndToken);
  EXPECT_EQ(golden.at("vocab_size").get<int64_t>(), BpeTokenizer::kVocabSize);
  const Json& cases = golden.at("cases");
  ASSERT_EQ(cases.size(), 20u);
  for (const Json& c : cases) {
    const std::string input = c.at("text").get<std::string>();
    SCOPED_TRACE(input);
    EXPECT_THAT(tokenizer_->Encode(input),
                ElementsAreArray(c.at("bpe_ids").get<std::vector<int64_t>>()));
    EXPECT_THAT(tokenizer_->Tokenize(input, 77, true),
                IsOkAndHolds(ElementsAreArray(c.at("context_77").get<std::vector<int64_t>>())));
  }
}

TEST_F(ClipTokenizerGoldenTest, LongTextWithoutTruncateIsInvalid) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "a ";
  ASSERT_EQ(tokenizer_->Encode(text).size(), 100u);
  EXPECT_THAT(tokenizer_->Tokenize(text, 77, false),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("102 tokens"), HasSubstr("context length 77"))));
}

// Python's cleaning and CLIP's pattern in the corners; expected ids from CLIP's algorithm run
// with CPython 3.11 and the `regex` module on the same merges file.
TEST_F(ClipTokenizerGoldenTest, MatchesPythonInTheCorners) {
  struct Case {
    std::string text;
    std::vector<int64_t> ids;
  };
  const std::vector<Case> cases = {
      // final sigma and U+0130 (Python's str.lower special cases)
      {"\u03a3\u038a\u03a3\u03a5\u03a6\u039f\u03a3",
       {139, 225, 138, 107, 139, 225, 139, 227, 139, 228, 138, 123, 139, 480}},
      {"\u0391\u03a3.", {138, 109, 139, 480, 269}},
      {"\u0130stanbul", {328, 16384, 11231}},
      // IGNORECASE: U+017F matches 's' in "'s" and in the special tokens
      {"it'\u017f", {585, 6, 129, 379}},
      {"<|\u017ftartoftext|>", {27, 91, 129, 123, 2002, 6659, 18169, 91, 285}},
      {"<|startoftext|>hi<|endoftext|>", {49406, 1883, 49407}},
      // U+0345 matches no alternative; U+001C..U+001F are trimmed but not \s
      {"a\u0345b", {320, 321}},
      {"x\x1fy", {343, 475, 344}},
      {"x \x1c y", {343, 472, 344}},
      {"\x1c x \x1c", {343}},
      {"&notit; &amp;amp; &#0;", {126, 361, 585, 282, 261, 39802}},
      {"tab\tand\u3000wide\u00a0space", {14724, 537, 3184, 2138}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_THAT(tokenizer_->Encode(c.text), ElementsAreArray(c.ids));
  }
}

TEST_F(ClipTokenizerGoldenTest, EncodeIsSafeToCallConcurrently) {
  const std::string text = "a dog running on the beach at sunset, supercalifragilistic";
  const std::vector<int64_t> expected = tokenizer_->Encode(text);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) mismatches[t] += tokenizer_->Encode(text) != expected;
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_THAT(mismatches, ::testing::Each(0));
}

}  // namespace
}  // namespace xmodal::model::clip
