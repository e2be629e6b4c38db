// Model::Load, input preparation and Encode on the toy package (testing/toy_model.h),
// and the error paths of Load.
#include "core/model/model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <thread>
#include <vector>

#include "core/base/file_util.h"
#include "core/base/json.h"
#include "core/base/sha256.h"
#include "testing/status_matchers.h"
#include "testing/toy_model.h"

namespace xmodal::model {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::xmodal::testing::StatusIs;
using ::xmodal::testing::WriteTorchScriptModule;
using ::xmodal::testing::WriteToyModelPackage;

media::Image SolidImage(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
  media::Image img{w, h, {}};
  for (int i = 0; i < w * h; ++i) img.rgb.insert(img.rgb.end(), {r, g, b});
  return img;
}

media::Audio Tone(double hz, double seconds) {
  media::Audio a{16000, std::vector<float>(static_cast<size_t>(seconds * 16000))};
  for (size_t i = 0; i < a.samples.size(); ++i) {
    a.samples[i] = 0.5f * static_cast<float>(std::sin(2 * std::numbers::pi * hz * i / 16000));
  }
  return a;
}

// Rewrites `dir/model.json` after `edit`.
void EditManifest(const std::string& dir, const std::function<void(Json&)>& edit) {
  ASSERT_OK_AND_ASSIGN(std::string text, ReadFile(dir + "/model.json"));
  Json doc = Json::parse(text);
  edit(doc);
  ASSERT_OK(WriteFileAtomically(dir + "/model.json", doc.dump(2)));
}

class ModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::string> dir = MakeTempDirectory("model_test_");
    ASSERT_OK(dir);
    dir_ = new std::string(*dir + "/toy");
    ASSERT_OK(WriteToyModelPackage(*dir_));
    absl::StatusOr<std::unique_ptr<Model>> model = Model::Load(*dir_);
    ASSERT_OK(model);
    model_ = model->release();
  }
  static void TearDownTestSuite() {
    delete model_;
    delete dir_;
  }

  // A fresh copy of the toy package in its own directory.
  static std::string FreshPackage(const std::string& name = "toy-rgb") {
    absl::StatusOr<std::string> dir = MakeTempDirectory("model_pkg_");
    EXPECT_OK(dir);
    EXPECT_OK(WriteToyModelPackage(*dir, {.name = name}));
    return *dir;
  }

  static FloatMatrix EncodeOne(const ModelInput& input) {
    const ModelInput* batch[] = {&input};
    absl::StatusOr<FloatMatrix> out = model_->Encode(input.modality, batch);
    EXPECT_OK(out);
    return out.ok() ? *out : FloatMatrix();
  }

  static std::string* dir_;
  static Model* model_;  // raw pointers: gtest suite state
};

std::string* ModelTest::dir_ = nullptr;
Model* ModelTest::model_ = nullptr;

TEST_F(ModelTest, LoadsTheToyPackage) {
  const ModelManifest& m = model_->manifest();
  EXPECT_EQ(m.name, "toy-rgb");
  EXPECT_EQ(m.embedding_dim, 8);
  EXPECT_TRUE(model_->Supports(Modality::kText));
  EXPECT_TRUE(model_->Supports(Modality::kImage));
  EXPECT_TRUE(model_->Supports(Modality::kAudio));
  const ModelPin& pin = model_->pin();
  EXPECT_EQ(pin.name, "toy-rgb");
  EXPECT_EQ(pin.version, "1");
  EXPECT_EQ(pin.embedding_dim, 8);
  EXPECT_EQ(pin.files_sha256.size(), 64u);
  EXPECT_EQ(pin.ToString(), "toy-rgb 1 (dim 8, sha256 " + pin.files_sha256.substr(0, 8) + "...)");
}

TEST_F(ModelTest, PinIsTheHashOfTheFileHashesInNameOrder) {
  std::string listing;
  for (const char* name : {"audio.pt", "image.pt", "model.json", "text.pt"}) {
    ASSERT_OK_AND_ASSIGN(std::string digest, Sha256OfFile(*dir_ + "/" + name));
    listing += std::string(name) + "\n" + digest + "\n";
  }
  EXPECT_EQ(model_->pin().files_sha256, Sha256Hex(listing));
  ASSERT_OK_AND_ASSIGN(ModelPin computed, ComputeModelPin(*dir_));
  EXPECT_EQ(computed, model_->pin());
}

TEST_F(ModelTest, PinChangesWithAFileOrTheName) {
  const std::string dir = FreshPackage();
  ASSERT_OK_AND_ASSIGN(ModelPin before, ComputeModelPin(dir));
  ASSERT_OK(WriteTorchScriptModule(dir + "/audio.pt",
                                   "def forward(self, x):\n    return x.mean([2])[:, 0:8]\n"));
  ASSERT_OK_AND_ASSIGN(ModelPin after_file, ComputeModelPin(dir));
  EXPECT_NE(after_file.files_sha256, before.files_sha256);
  EXPECT_EQ(after_file.name, before.name);

  ASSERT_OK_AND_ASSIGN(ModelPin renamed, ComputeModelPin(FreshPackage("toy-other")));
  EXPECT_EQ(renamed.name, "toy-other");
  EXPECT_NE(renamed.files_sha256, before.files_sha256);
  EXPECT_NE(renamed, before);
}

TEST_F(ModelTest, PrepareTextTokenizesTheNormalizedText) {
  ASSERT_OK_AND_ASSIGN(ModelInput in, model_->PrepareText("  Red \n car "));
  EXPECT_EQ(in.modality, Modality::kText);
  ASSERT_EQ(in.ids.size(), 32u);
  EXPECT_THAT(std::vector<int64_t>(in.ids.begin(), in.ids.begin() + 8),
              ElementsAre('r' + 1, 'e' + 1, 'd' + 1, ' ' + 1, 'c' + 1, 'a' + 1, 'r' + 1, 0));
  EXPECT_TRUE(in.features.empty());
}

TEST_F(ModelTest, PrepareTextRejectsBadText) {
  EXPECT_THAT(model_->PrepareText(""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("text is empty")));
  EXPECT_THAT(model_->PrepareText(" \t\n "),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("text is empty")));
  EXPECT_THAT(model_->PrepareText(std::string(257, 'a')),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("text is 257 bytes long; the limit is 256")));
  EXPECT_OK(model_->PrepareText(std::string(256, 'a')));
  EXPECT_THAT(model_->PrepareText("caf\xc3"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid UTF-8")));
}

TEST_F(ModelTest, PrepareImageAndAudioRejectEmptyInput) {
  EXPECT_THAT(model_->PrepareImage(media::Image{}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("image is empty")));
  EXPECT_THAT(model_->PrepareAudio(media::Audio{16000, {}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no samples")));
}

TEST_F(ModelTest, EncodeGivesUnitRowsOfTheEmbeddingDim) {
  ASSERT_OK_AND_ASSIGN(ModelInput text, model_->PrepareText("a dog"));
  ASSERT_OK_AND_ASSIGN(ModelInput image, model_->PrepareImage(SolidImage(9, 5, 10, 200, 30)));
  ASSERT_OK_AND_ASSIGN(std::vector<ModelInput> audio, model_->PrepareAudio(Tone(440, 2.6)));
  ASSERT_EQ(audio.size(), 3u);
  for (const ModelInput* in : {&text, &image, &audio[0], &audio[2]}) {
    const FloatMatrix out = EncodeOne(*in);
    ASSERT_EQ(out.rows, 1);
    ASSERT_EQ(out.cols, 8);
    EXPECT_NEAR(Dot(out.row(0), out.row(0)), 1.0f, 1e-5) << ModalityName(in->modality);
  }
}

TEST_F(ModelTest, BatchOfThreeEqualsThreeBatchesOfOne) {
  std::vector<ModelInput> texts, images, audios;
  for (const char* t : {"red", "green apple", "xylophone"}) {
    ASSERT_OK_AND_ASSIGN(ModelInput in, model_->PrepareText(t));
    texts.push_back(std::move(in));
  }
  for (uint8_t v : {20, 120, 250}) {
    ASSERT_OK_AND_ASSIGN(ModelInput in, model_->PrepareImage(SolidImage(7, 11, v, 255 - v, 60)));
    images.push_back(std::move(in));
  }
  for (double hz : {300.0, 1500.0, 5000.0}) {
    ASSERT_OK_AND_ASSIGN(std::vector<ModelInput> in, model_->PrepareAudio(Tone(hz, 1.0)));
    audios.push_back(std::move(in[0]));
  }
  for (const std::vector<ModelInput>* inputs : {&texts, &images, &audios}) {
    const std::vector<const ModelInput*> batch = {&(*inputs)[0], &(*inputs)[1], &(*inputs)[2]};
    ASSERT_OK_AND_ASSIGN(FloatMatrix all, model_->Encode((*inputs)[0].modality, batch));
    ASSERT_EQ(all.rows, 3);
    for (int i = 0; i < 3; ++i) {
      const FloatMatrix one = EncodeOne((*inputs)[i]);
      for (int d = 0; d < 8; ++d) EXPECT_NEAR(all.row(i)[d], one.row(0)[d], 1e-6);
    }
  }
}

TEST_F(ModelTest, ConcurrentEncodeCallsAgree) {
  ASSERT_OK_AND_ASSIGN(ModelInput in, model_->PrepareImage(SolidImage(16, 16, 90, 10, 200)));
  const FloatMatrix expected = EncodeOne(in);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const ModelInput* batch[] = {&in};
        absl::StatusOr<FloatMatrix> out = model_->Encode(Modality::kImage, batch);
        if (!out.ok() || out->data != expected.data) ++mismatches[t];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_THAT(mismatches, ElementsAre(0, 0, 0, 0));
}

TEST_F(ModelTest, EncodeRejectsBadBatches) {
  ASSERT_OK_AND_ASSIGN(ModelInput text, model_->PrepareText("red"));
  ASSERT_OK_AND_ASSIGN(ModelInput image, model_->PrepareImage(SolidImage(4, 4, 1, 2, 3)));
  EXPECT_THAT(model_->Encode(Modality::kText, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty batch")));
  const ModelInput* mixed[] = {&text, &image};
  EXPECT_THAT(model_->Encode(Modality::kText, mixed),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("input 1 is image in a batch of text (mixed modalities)")));
  ModelInput short_text = text;
  short_text.ids.resize(5);
  const ModelInput* short_batch[] = {&short_text};
  EXPECT_THAT(model_->Encode(Modality::kText, short_batch),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("input 0 has 5 text values; the model takes 32")));
  ModelInput bad_id = text;
  bad_id.ids[0] = 257;
  const ModelInput* bad_batch[] = {&bad_id};
  EXPECT_THAT(
      model_->Encode(Modality::kText, bad_batch),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("token id 257 outside 0..256")));
}

TEST_F(ModelTest, MissingModalityIsAFailedPrecondition) {
  const std::string dir = FreshPackage();
  EditManifest(dir, [](Json& doc) { doc["modalities"].erase("audio"); });
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model, Model::Load(dir));
  EXPECT_FALSE(model->Supports(Modality::kAudio));
  EXPECT_THAT(model->PrepareAudio(Tone(300, 1.0)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("model 'toy-rgb' has no audio encoder")));
  ASSERT_OK_AND_ASSIGN(std::vector<ModelInput> audio, model_->PrepareAudio(Tone(300, 1.0)));
  const ModelInput* batch[] = {&audio[0]};
  EXPECT_THAT(model->Encode(Modality::kAudio, batch),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no audio encoder")));
}

TEST_F(ModelTest, OneFileCanServeSeveralModalities) {
  const std::string dir = FreshPackage();
  ASSERT_OK(WriteTorchScriptModule(dir + "/both.pt", R"(
def encode_text(self, ids):
    return ids[:, 0:8].float() + 1.0

def encode_image(self, x):
    return x.mean([1])[:, 0, 0:8]
)"));
  EditManifest(dir, [](Json& doc) {
    doc["modalities"].erase("audio");
    doc["modalities"]["text"]["file"] = "both.pt";
    doc["modalities"]["text"]["method"] = "encode_text";
    doc["modalities"]["image"]["file"] = "both.pt";
    doc["modalities"]["image"]["method"] = "encode_image";
  });
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Model> model, Model::Load(dir));
  ASSERT_OK_AND_ASSIGN(ModelInput text, model->PrepareText("ab"));
  const ModelInput* batch[] = {&text};
  ASSERT_OK_AND_ASSIGN(FloatMatrix out, model->Encode(Modality::kText, batch));
  // ids 98, 99, 0, ... + 1, normalised.
  const float norm = std::sqrt(99.0f * 99 + 100 * 100 + 6);
  EXPECT_NEAR(out.row(0)[0], 99 / norm, 1e-5);
  EXPECT_NEAR(out.row(0)[7], 1 / norm, 1e-5);
  ASSERT_OK_AND_ASSIGN(ModelPin pin, ComputeModelPin(dir));
  EXPECT_EQ(pin, model->pin());
}

TEST(ModelLoadTest, MissingDirectoryOrFilesAreNotFound) {
  EXPECT_THAT(Model::Load("/nonexistent/xmodal/model"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("does not exist")));
  ASSERT_OK_AND_ASSIGN(std::string empty, MakeTempDirectory("model_empty_"));
  EXPECT_THAT(Model::Load(empty),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no model.json")));
  EXPECT_THAT(ComputeModelPin(empty),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no model.json")));
  ASSERT_OK_AND_ASSIGN(std::string dir, MakeTempDirectory("model_nofile_"));
  ASSERT_OK(WriteToyModelPackage(dir));
  ASSERT_EQ(std::remove((dir + "/image.pt").c_str()), 0);
  EXPECT_THAT(Model::Load(dir), StatusIs(absl::StatusCode::kNotFound, HasSubstr("image.pt")));
}

TEST(ModelLoadTest, BadManifestIsInvalidArgument) {
  ASSERT_OK_AND_ASSIGN(std::string dir, MakeTempDirectory("model_badjson_"));
  ASSERT_OK(WriteToyModelPackage(dir));
  EditManifest(dir, [](Json& doc) { doc["modalities"]["audio"]["n_fft"] = 500; });
  EXPECT_THAT(Model::Load(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("field 'modalities.audio.n_fft' must be a power of two")));
  ASSERT_OK(WriteFileAtomically(dir + "/model.json", "{\"name\": "));
  EXPECT_THAT(Model::Load(dir),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid JSON")));
}

TEST(ModelLoadTest, FileThatIsNotTorchScriptOrLacksTheMethodIsInvalidArgument) {
  ASSERT_OK_AND_ASSIGN(std::string dir, MakeTempDirectory("model_garbage_"));
  ASSERT_OK(WriteToyModelPackage(dir));
  ASSERT_OK(WriteFileAtomically(dir + "/text.pt", "this is not a zip archive"));
  EXPECT_THAT(Model::Load(dir), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("text.pt' is not a TorchScript module")));
  ASSERT_OK(WriteToyModelPackage(dir));
  EditManifest(dir, [](Json& doc) { doc["modalities"]["image"]["method"] = "encode_image"; });
  EXPECT_THAT(Model::Load(dir), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("'image.pt' has no method 'encode_image' "
                                                   "(modalities.image.method)")));
}

TEST(ModelLoadTest, WrongProbeOutputIsFailedPrecondition) {
  ASSERT_OK_AND_ASSIGN(std::string dir, MakeTempDirectory("model_probe_"));
  ASSERT_OK(WriteToyModelPackage(dir));
  // Five dimensions instead of eight.
  ASSERT_OK(WriteTorchScriptModule(dir + "/image.pt",
                                   "def forward(self, x):\n    return x.mean([1])[:, 0, 0:5]\n"));
  EXPECT_THAT(Model::Load(dir), StatusIs(absl::StatusCode::kFailedPrecondition,
                                         HasSubstr("returned Float[1, 5], expected Float[1, 8]")));
  // The right shape but int64.
  ASSERT_OK(WriteTorchScriptModule(
      dir + "/image.pt", "def forward(self, x):\n    return x.mean([1])[:, 0, 0:8].long()\n"));
  EXPECT_THAT(Model::Load(dir),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("returned Long[1, 8]")));
  // A forward pass that throws on the probe input.
  ASSERT_OK(WriteTorchScriptModule(dir + "/image.pt",
                                   "def forward(self, x):\n    return x.view(7, 3)\n"));
  EXPECT_THAT(Model::Load(dir), StatusIs(absl::StatusCode::kFailedPrecondition,
                                         StartsWith("the image encoder ('image.pt', method "
                                                    "'forward') failed:")));
  // An embedding_dim in the manifest that the encoders do not produce.
  ASSERT_OK(WriteToyModelPackage(dir));
  EditManifest(dir, [](Json& doc) { doc["embedding_dim"] = 16; });
  EXPECT_THAT(Model::Load(dir),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("expected Float[1, 16]")));
}

TEST(SetEncoderThreadsTest, CanBeCalledRepeatedly) {
  SetEncoderThreads(1);
  SetEncoderThreads(2);
  SetEncoderThreads(0);  // treated as 1
}

}  // namespace
}  // namespace xmodal::model
