// text/* micro-benchmarks (register.h): tokenisation of a short query and a long caption.
#include <benchmark/benchmark.h>

#include <string>

#include "benchmarks/micro/register.h"
#include "core/model/model_manifest.h"
#include "core/model/tokenizer.h"

namespace xmodal::bench {
namespace {

constexpr char kShort[] = "a Red Car parked by the river";
constexpr char kLong[] =
    "A small red wooden boat is tied to the old stone pier while seagulls circle above the "
    "harbour; behind it, fishermen in yellow coats unload crates of fresh fish, and the "
    "church bell rings over the roofs of the village as the evening light turns the water "
    "gold. Children run along the beach with a blue kite, and a dog barks at the waves.";

}  // namespace

void RegisterTextBenchmarks() {
  for (const char* type : {"bytes", "char_ngram"}) {
    for (const bool long_text : {false, true}) {
      model::TokenizerSpec spec;
      spec.type = type;
      spec.context_length = long_text ? 256 : 64;
      const std::string text = long_text ? kLong : kShort;
      const std::string name =
          std::string("text/tokenize/") + type + (long_text ? "/long" : "/short");
      benchmark::RegisterBenchmark(name.c_str(), [spec, text](benchmark::State& state) {
        for (auto _ : state) benchmark::DoNotOptimize(model::Tokenize(spec, text));
        state.SetItemsProcessed(state.iterations());
        state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
      })->Unit(benchmark::kNanosecond);
    }
  }
}

}  // namespace xmodal::bench
