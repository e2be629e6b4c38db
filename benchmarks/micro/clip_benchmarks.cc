// clip/* micro-benchmarks (issue 12): the native CLIP towers (core/model/clip/clip_encoder.h) of
// a full-size ViT-B/32 with random weights that this file builds in memory
// (testing/random_clip.h; no files, no download), next to LibTorch's own matrix multiply in
// the same run:
//   clip/image/batch:{1,8,32}     images/s and GFLOP/s (inputs: 3 x 224 x 224 normalised floats)
//   clip/text/batch:1             a 16-token query (start, 14 BPE ids, end): p50 and GFLOP/s
//   clip/text/batch:32            32 such queries: texts/s and GFLOP/s
//   clip/matmul/m:M/k:K/n:N       at::mm of [M, K] x [K, N]: 1600 x 768 x 3072 is the image
//                                 tower's MLP at batch 32 (32 x 50 tokens); 16 x 512 x 2048 the
//                                 text tower's at batch 1 (16 tokens)
// Each in float32 and, with "/bf16" after the batch or sizes, in bfloat16 (the towers with
// architecture.compute "bfloat16"; at::mm of bfloat16 matrices).
// Without a suffix they run with one LibTorch intra-op thread per core (set here: the suite
// itself runs single-threaded); "/intra_op:1" variants run single-threaded, as the server runs
// each query (one worker per core, server/server.cc). Every benchmark restores the thread count it
// found. Wall time (UseRealTime). Counters: items_per_second (images, texts or matmuls), "GFLOPS"
// (GFLOP/s: the analytic FLOPs below over wall time) and "p50_ms" (the median of the
// per-iteration wall times of the repetition).
//
// FLOPs, counted as 2 * m * n * k per matrix product (a multiply and an add), nothing else
// (layer norms, softmax, activations, residual adds, embedding lookups are left out: they
// are a few percent at these sizes). One transformer block of width w over L tokens:
//   QKV projection 2*L*w*3w + Q K^T 2*L*L*w (summed over heads) + A V 2*L*L*w
//   + output projection 2*L*w*w + MLP 2*L*w*4w + 2*L*4w*w     = 24*L*w^2 + 4*L^2*w
// Image tower (patch p, image S, grid g = S/p, L = g^2 + 1, embedding e): the patch
// convolution as a matrix product 2 * g^2 * w * (3*p*p), the blocks, the projection 2*w*e.
//   ViT-B/32: 0.231 + 12 * (24*50*768^2 + 4*50^2*768) / 1e9 + 0.0008 = 8.82 GFLOP per image.
// Text tower (L = the tokens up to the end token, the towers run no further): the blocks and
// the projection 2*w*e. At L = 16, w = 512: 1.215 GFLOP per query.
//
// Registered at static initialisation (this file's registrar, at the end), so the group needs
// no line in micro_main.cc; the fixture (random weights, about 600 MB of float32) is built on
// the first run of a clip/ benchmark and freed through OnRelease. With --tiny (the suite test)
// the same benchmarks run on a tiny CLIP so that they stay cheap.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmarks/micro/register.h"
#include "core/model/clip/clip_config.h"
#include "core/model/clip/clip_encoder.h"
#include "core/model/encoder_backend.h"
#include "testing/random_clip.h"

namespace xmodal::bench {
namespace {

using model::clip::ClipShape;

constexpr int64_t kStartToken = 49406;
constexpr int64_t kEndToken = 49407;
constexpr int kQueryTokens = 16;  // start + 14 ids + end

// 24*L*w^2 + 4*L^2*w per block (see the top of the file).
double BlockFlops(double w, double tokens) { return 24 * tokens * w * w + 4 * tokens * tokens * w; }

double ImageFlops(const ClipShape& s) {
  const model::ArchitectureSpec& a = s.architecture;
  const double w = a.vision.width;
  const double grid = a.image_size / a.patch_size;
  const double conv = 2 * grid * grid * w * (3.0 * a.patch_size * a.patch_size);
  return conv + a.vision.layers * BlockFlops(w, grid * grid + 1) + 2 * w * s.embedding_dim;
}

double TextFlops(const ClipShape& s, int tokens) {
  const model::ArchitectureSpec& a = s.architecture;
  const double w = a.text.width;
  return a.text.layers * BlockFlops(w, tokens) + 2 * w * s.embedding_dim;
}

// Whether this process was started with --tiny (xmodal-microbench's flag for the suite test;
// its value is not passed to benchmark groups, so it is read off the command line).
bool TinyRun() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t start = 0;
  while (start < cmdline.size()) {
    size_t end = cmdline.find('\0', start);
    if (end == std::string::npos) end = cmdline.size();
    if (cmdline.compare(start, end - start, "--tiny") == 0) return true;
    start = end + 1;
  }
  return false;
}

// A CLIP with ViT-B/32's vocabulary and context but tiny towers, for --tiny.
ClipShape TinyShape() {
  ClipShape s = testing::VitB32Shape();
  s.architecture.vision = {.width = 64, .layers = 2, .heads = 2};
  s.architecture.image_size = 64;
  s.architecture.text = {.width = 64, .layers = 2, .heads = 2};
  s.embedding_dim = 32;
  return s;
}

// The random model in one arithmetic ("float32" or "bfloat16"), built on first use and shared
// by the clip/ benchmarks of that arithmetic.
struct ClipFixture {
  std::string compute;
  std::once_flag once;
  ClipShape shape;
  std::string label;
  std::unique_ptr<model::clip::ClipEncoder> encoder;
  std::string error;

  const model::clip::ClipEncoder* Get() {
    std::call_once(once, [this] {
      const bool tiny = TinyRun();
      shape = tiny ? TinyShape() : testing::VitB32Shape();
      shape.architecture.compute = compute;
      label = absl::StrCat(tiny ? "tiny CLIP (--tiny)" : "ViT-B/32", ", random weights, ",
                           model::clip::ParameterCount(shape), " parameters, ", compute);
      absl::StatusOr<std::unique_ptr<model::clip::ClipEncoder>> created =
          model::clip::ClipEncoder::Create(shape, "quick_gelu",
                                           testing::RandomClipWeights(shape, /*seed=*/1));
      if (created.ok()) {
        encoder = *std::move(created);
      } else {
        error = created.status().ToString();
      }
    });
    return encoder.get();
  }
};

ClipFixture& Fixture(bool bf16) {
  const auto make = [](const char* compute) {
    auto* f = new ClipFixture;
    f->compute = compute;
    OnRelease([f] { f->encoder.reset(); });
    return f;
  };
  static ClipFixture* f32 = make("float32");
  static ClipFixture* bf = make("bfloat16");
  return bf16 ? *bf : *f32;
}

// Sets LibTorch's intra-op threads for one benchmark (0: one per core) and restores the
// previous count when it ends.
class IntraOpThreads {
 public:
  explicit IntraOpThreads(int threads) : saved_(at::get_num_threads()) {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads > 0 ? threads : cores);
  }
  ~IntraOpThreads() { at::set_num_threads(saved_); }
  IntraOpThreads(const IntraOpThreads&) = delete;
  IntraOpThreads& operator=(const IntraOpThreads&) = delete;

 private:
  int saved_;
};

std::string Suffix(int threads) { return threads > 0 ? absl::StrCat("/intra_op:", threads) : ""; }

// `batch` different images (3 x S x S values in CLIP's normalised range), deterministic.
std::vector<model::ModelInput> Images(const ClipShape& s, int batch) {
  std::vector<model::ModelInput> out(static_cast<size_t>(batch));
  const int64_t size = 3 * int64_t{s.architecture.image_size} * s.architecture.image_size;
  uint32_t state = 12345;
  for (model::ModelInput& in : out) {
    in.modality = Modality::kImage;
    in.features.resize(static_cast<size_t>(size));
    for (float& v : in.features) {
      state = state * 1664525u + 1013904223u;
      v = static_cast<float>(state >> 8) / float(1 << 24) * 3.8f - 1.8f;
    }
  }
  return out;
}

// `batch` different queries of kQueryTokens tokens each, zero-padded to the context.
std::vector<model::ModelInput> Queries(const ClipShape& s, int batch) {
  std::vector<model::ModelInput> out(static_cast<size_t>(batch));
  uint32_t state = 777;
  for (model::ModelInput& in : out) {
    in.modality = Modality::kText;
    in.ids.assign(static_cast<size_t>(s.architecture.context_length), 0);
    in.ids[0] = kStartToken;
    for (int i = 1; i < kQueryTokens - 1; ++i) {
      state = state * 1664525u + 1013904223u;
      in.ids[i] = 256 + int64_t{state >> 8} % (kStartToken - 256);  // BPE ids below the specials
    }
    in.ids[kQueryTokens - 1] = kEndToken;
  }
  return out;
}

void SetFlopCounter(benchmark::State& state, double flops_per_iteration) {
  state.counters["GFLOPS"] =
      benchmark::Counter(flops_per_iteration / 1e9, benchmark::Counter::kIsIterationInvariantRate);
}

void RegisterEncode(Modality modality, int batch, int threads, bool bf16) {
  const std::string name = absl::StrCat("clip/", ModalityName(modality), "/batch:", batch,
                                        bf16 ? "/bf16" : "", Suffix(threads));
  benchmark::RegisterBenchmark(
      name.c_str(),
      [modality, batch, threads, bf16](benchmark::State& state) {
        ClipFixture& fixture = Fixture(bf16);
        const model::clip::ClipEncoder* encoder = fixture.Get();
        if (encoder == nullptr) {
          state.SkipWithError(fixture.error.c_str());
          return;
        }
        const ClipShape& shape = fixture.shape;
        IntraOpThreads intra_op(threads);
        const std::vector<model::ModelInput> inputs =
            modality == Modality::kText ? Queries(shape, batch) : Images(shape, batch);
        std::vector<const model::ModelInput*> ptrs;
        for (const model::ModelInput& in : inputs) ptrs.push_back(&in);
        if (absl::Status s = encoder->Run(modality, ptrs).status(); !s.ok()) {  // warm-up
          state.SkipWithError(s.ToString().c_str());
          return;
        }
        std::vector<double> ms;
        for (auto _ : state) {
          const auto start = std::chrono::steady_clock::now();
          absl::StatusOr<FloatMatrix> out = encoder->Run(modality, ptrs);
          if (!out.ok()) {
            state.SkipWithError(out.status().ToString().c_str());
            return;
          }
          benchmark::DoNotOptimize(out->data.data());
          ms.push_back(
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count());
        }
        state.SetItemsProcessed(state.iterations() * batch);
        const double flops = batch * (modality == Modality::kText ? TextFlops(shape, kQueryTokens)
                                                                  : ImageFlops(shape));
        SetFlopCounter(state, flops);
        if (!ms.empty()) {
          std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
          state.counters["p50_ms"] = ms[ms.size() / 2];
        }
        state.SetLabel(absl::StrCat(fixture.label, "; intra-op threads ", at::get_num_threads()));
      })
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}

void RegisterMatmul(int64_t m, int64_t k, int64_t n, int threads, bool bf16) {
  const std::string name =
      absl::StrCat("clip/matmul/m:", m, "/k:", k, "/n:", n, bf16 ? "/bf16" : "", Suffix(threads));
  benchmark::RegisterBenchmark(
      name.c_str(),
      [m, k, n, threads, bf16](benchmark::State& state) {
        IntraOpThreads intra_op(threads);
        c10::InferenceMode guard;
        const at::ScalarType dtype = bf16 ? at::kBFloat16 : at::kFloat;
        const at::Tensor a = (at::randn({m, k}) * 0.02).to(dtype);
        const at::Tensor b = (at::randn({k, n}) * 0.02).to(dtype);
        at::Tensor c = at::mm(a, b);  // warm-up, and the output buffer
        for (auto _ : state) {
          at::mm_out(c, a, b);
          benchmark::DoNotOptimize(c.data_ptr());
        }
        state.SetItemsProcessed(state.iterations());
        SetFlopCounter(state, 2.0 * double(m) * double(n) * double(k));
        state.SetLabel(absl::StrCat("at::mm ", bf16 ? "bfloat16" : "float32", "; intra-op threads ",
                                    at::get_num_threads()));
      })
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}

}  // namespace

// clip/*: see the top of the file. Called once, by the registrar below.
void RegisterClipBenchmarks() {
  for (const bool bf16 : {false, true}) {
    for (const int threads : {0, 1}) {
      for (const int batch : {1, 8, 32}) {
        if (threads == 1 && batch == 8) continue;
        RegisterEncode(Modality::kImage, batch, threads, bf16);
      }
    }
    for (const int threads : {0, 1}) {
      for (const int batch : {1, 32}) RegisterEncode(Modality::kText, batch, threads, bf16);
    }
    for (const int threads : {0, 1}) {
      RegisterMatmul(1600, 768, 3072, threads, bf16);  // the image tower's MLP at batch 32
      RegisterMatmul(16, 512, 2048, threads, bf16);    // the text tower's MLP at batch 1
    }
  }
}

namespace {
[[maybe_unused]] const bool kRegistered = (RegisterClipBenchmarks(), true);
}  // namespace

}  // namespace xmodal::bench
