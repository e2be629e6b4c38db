// End-to-end tests of xmodal-eval's library (trainer/eval/eval_run.h) with the toy-rgb model
// package (testing/toy_model.h) on a generated corpus of coloured stamps whose
// descriptions start with the colour's letter and whose sounds are tones in the colour's
// band, so the toy model retrieves them exactly.
#include "trainer/eval/eval_run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/base/file_util.h"
#include "core/base/json.h"
#include "testing/status_matchers.h"
#include "testing/toy_model.h"
#include "tests/corpus/fake_stamp_tree.h"

namespace xmodal::eval {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::SolidImage;
using ::xmodal::testing::StatusIs;
using ::xmodal::testing::Tone;
using ::xmodal::testing::WriteAudioAt;
using ::xmodal::testing::WriteFileAt;
using ::xmodal::testing::WritePngAt;

const TaskResult& Task(const EvalReport& report, const std::string& name) {
  for (const TaskResult& t : report.tasks) {
    if (t.name == name) return t;
  }
  ADD_FAILURE() << "no task " << name;
  return report.tasks.front();
}

const RecallAtK* Entry(const TaskResult& task, const std::string& breakdown,
                       const std::string& key) {
  for (const Breakdown& b : task.breakdowns) {
    if (b.name != breakdown) continue;
    for (const auto& [k, r] : b.entries) {
      if (k == key) return &r;
    }
  }
  return nullptr;
}

class EvalRunTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_OK_AND_ASSIGN(model_dir_, MakeTempDirectory("eval_run_model"));
    ASSERT_OK(testing::WriteToyModelPackage(model_dir_));
    ASSERT_OK_AND_ASSIGN(corpus_dir_, MakeTempDirectory("eval_run_corpus"));
    const std::string& root = corpus_dir_;
    // blue (SVG) and blue-2 (PNG) share a group: "Blue sky." == "blue sky".
    ASSERT_OK(WritePngAt(root, "c/red.png", SolidImage(32, 32, 255, 0, 0)));
    ASSERT_OK(WriteFileAt(root, "c/red.txt",
                          "red apple\nko.utf8=빨간 사과\npt.utf8=rubra maçã\nfr.utf8=rouge\n"));
    ASSERT_OK(WriteAudioAt(root, "c/red.ogg", Tone(300, 3.0, 16000)));
    ASSERT_OK(WriteAudioAt(root, "c/red_desc.ogg", Tone(300, 1.0, 16000)));
    ASSERT_OK(WriteAudioAt(root, "c/red_desc_pt_BR.wav", Tone(300, 1.0, 16000)));
    ASSERT_OK(WritePngAt(root, "c/green.png", SolidImage(24, 40, 0, 255, 0)));
    ASSERT_OK(WriteFileAt(root, "c/green.txt", "green leaf\nfr.utf8=grün\n"));
    ASSERT_OK(WriteAudioAt(root, "c/green.ogg", Tone(1500, 2.5, 16000)));
    ASSERT_OK(WriteAudioAt(root, "c/green_desc_fr.ogg", Tone(1500, 1.0, 16000)));
    ASSERT_OK(WriteFileAt(root, "c/blue.svg",
                          R"(<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20">)"
                          R"(<rect width="30" height="20" fill="#0000ff"/></svg>)"));
    ASSERT_OK(WriteFileAt(root, "c/blue.txt", "Blue sky.\n"));
    ASSERT_OK(WriteAudioAt(root, "c/blue.ogg", Tone(5000, 1.5, 16000)));
    ASSERT_OK(WritePngAt(root, "c/blue-2.png", SolidImage(16, 16, 0, 0, 255)));
    ASSERT_OK(WriteFileAt(root, "c/blue-2.txt", "blue sky\n"));
    // A stamp whose image does not decode: its image fails, its text cannot be answered.
    ASSERT_OK(WriteFileAt(root, "c/zz-broken.png", "not a png"));
    ASSERT_OK(WriteFileAt(root, "c/zz-broken.txt", "broken thing\n"));
  }

  EvalOptions Options() const {
    EvalOptions o;
    o.model_dir = model_dir_;
    o.corpus_dir = corpus_dir_;
    o.threads = 2;
    return o;
  }

  static std::string model_dir_, corpus_dir_;
};
std::string EvalRunTest::model_dir_;
std::string EvalRunTest::corpus_dir_;

TEST_F(EvalRunTest, ScoresEveryTaskWithGroups) {
  ASSERT_OK_AND_ASSIGN(const EvalReport report, RunEvaluation(Options(), nullptr));
  EXPECT_EQ(report.model_name, "toy-rgb");
  EXPECT_EQ(report.embedding_dim, 8);
  EXPECT_EQ(report.stamps, 5);
  EXPECT_EQ(report.groups, 4);
  ASSERT_EQ(report.tasks.size(), 6u);
  // The broken image fails clean and under the three held-out transforms.
  EXPECT_EQ(report.failure_count, 4);
  ASSERT_FALSE(report.failures.empty());
  EXPECT_THAT(report.failures[0], HasSubstr("zz-broken.png"));

  const TaskResult& t2i = Task(report, "text_to_image");
  EXPECT_EQ(t2i.gallery_items, 4);
  EXPECT_EQ(t2i.overall.queries, 9);  // 4 + 2 + 1 + 1 + 1 descriptions
  const RecallAtK* en = Entry(t2i, "per_language", "en");
  ASSERT_NE(en, nullptr);
  EXPECT_EQ(en->queries, 5);
  EXPECT_DOUBLE_EQ(en->r1, 0.8);  // every English text but the broken stamp's
  const RecallAtK* held = Entry(t2i, "split", "held_out_languages");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->queries, 1);  // pt
  EXPECT_DOUBLE_EQ(held->r1, 1.0);
  EXPECT_EQ(Entry(t2i, "split", "training_languages")->queries, 8);
  EXPECT_NE(Entry(t2i, "per_language", "ko"), nullptr);
  EXPECT_EQ(t2i.breakdowns[1].entries[0].first, "en");

  const TaskResult& i2t = Task(report, "image_to_text");
  EXPECT_EQ(i2t.gallery_items, 5);
  EXPECT_EQ(i2t.skipped_queries, 3);
  EXPECT_EQ(i2t.overall.queries, 12);
  EXPECT_DOUBLE_EQ(i2t.overall.r1, 1.0);  // blue's image finds blue-2's text: same group
  ASSERT_EQ(i2t.breakdowns.size(), 1u);
  ASSERT_EQ(i2t.breakdowns[0].entries.size(), 3u);
  EXPECT_EQ(i2t.breakdowns[0].entries[0].first, "blur");
  EXPECT_EQ(i2t.breakdowns[0].entries[1].first, "pixelate");
  EXPECT_EQ(i2t.breakdowns[0].entries[2].first, "noise");

  const TaskResult& s2i = Task(report, "sound_to_image");
  EXPECT_EQ(s2i.overall.queries, 3);
  EXPECT_DOUBLE_EQ(s2i.overall.r1, 1.0);
  const TaskResult& sp2i = Task(report, "speech_to_image");
  EXPECT_EQ(sp2i.overall.queries, 3);
  EXPECT_DOUBLE_EQ(sp2i.overall.r1, 1.0);
  EXPECT_EQ(Entry(sp2i, "split", "held_out_languages")->queries, 1);  // pt_BR
  EXPECT_NE(Entry(sp2i, "per_language", "fr"), nullptr);
  const TaskResult& i2a = Task(report, "image_to_audio");
  EXPECT_EQ(i2a.gallery_items, 3);
  EXPECT_EQ(i2a.overall.queries, 3);
  EXPECT_DOUBLE_EQ(i2a.overall.r1, 1.0);
  const TaskResult& t2a = Task(report, "text_to_audio");
  EXPECT_EQ(t2a.overall.queries, 3);
  EXPECT_DOUBLE_EQ(t2a.overall.r1, 1.0);
}

TEST_F(EvalRunTest, DeterministicLimitAndOutputs) {
  EvalOptions o = Options();
  o.limit = 2;  // c/blue and c/blue-2
  ASSERT_OK_AND_ASSIGN(const EvalReport a, RunEvaluation(o, nullptr));
  o.threads = 1;
  ASSERT_OK_AND_ASSIGN(const EvalReport b, RunEvaluation(o, nullptr));
  EXPECT_EQ(a.stamps, 2);
  EXPECT_EQ(a.groups, 1);
  EXPECT_EQ(a.limit, 2);
  EXPECT_EQ(ReportToJson(a)["tasks"], ReportToJson(b)["tasks"]);

  ASSERT_OK_AND_ASSIGN(const std::string out, MakeTempDirectory("eval_run_out"));
  ASSERT_OK(WriteEvalOutputs(a, out + "/eval.json", out + "/eval.md"));
  ASSERT_OK_AND_ASSIGN(const std::string json_text, ReadFile(out + "/eval.json"));
  ASSERT_OK_AND_ASSIGN(const Json json, ParseJson(json_text, "eval.json"));
  EXPECT_EQ(json["corpus"]["stamps"], 2);
  EXPECT_EQ(json["tasks"]["text_to_image"]["overall"]["queries"], 2);
  ASSERT_OK_AND_ASSIGN(const std::string md, ReadFile(out + "/eval.md"));
  EXPECT_THAT(md, HasSubstr("# Held-out evaluation: toy-rgb 1"));
}

TEST_F(EvalRunTest, TasksOfAModalityTheModelLacksAreSkipped) {
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("eval_run_no_audio"));
  ASSERT_OK(testing::WriteToyModelPackage(dir));
  ASSERT_OK_AND_ASSIGN(const std::string manifest_text, ReadFile(dir + "/model.json"));
  ASSERT_OK_AND_ASSIGN(Json manifest, ParseJson(manifest_text, "model.json"));
  manifest["modalities"].erase("audio");
  ASSERT_OK(WriteFileAtomically(dir + "/model.json", manifest.dump(2)));
  EvalOptions o = Options();
  o.model_dir = dir;
  ASSERT_OK_AND_ASSIGN(const EvalReport report, RunEvaluation(o, nullptr));
  ASSERT_EQ(report.tasks.size(), 6u);
  EXPECT_TRUE(Task(report, "text_to_image").ran);
  EXPECT_TRUE(Task(report, "image_to_text").ran);
  for (const char* name :
       {"sound_to_image", "speech_to_image", "image_to_audio", "text_to_audio"}) {
    EXPECT_FALSE(Task(report, name).ran) << name;
    EXPECT_EQ(Task(report, name).skipped_reason, "the model does not encode audio");
  }
}

TEST_F(EvalRunTest, BadOptionsAndMissingInputs) {
  EvalOptions o = Options();
  o.model_dir = "";
  EXPECT_THAT(RunEvaluation(o, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--model")));
  o = Options();
  o.limit = -1;
  EXPECT_THAT(RunEvaluation(o, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--limit")));
  o = Options();
  o.model_dir = corpus_dir_ + "/no-model";
  EXPECT_THAT(RunEvaluation(o, nullptr), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  o = Options();
  o.corpus_dir = corpus_dir_ + "/no-corpus";
  EXPECT_THAT(RunEvaluation(o, nullptr),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("tuxpaint-stamps-default")));
}

}  // namespace
}  // namespace xmodal::eval
