// The search page (server/web) in headless Chromium, driven over WebDriver, against a real
// in-process server (gRPC and HTTP on loopback ephemeral ports) over a collection indexed with
// the toy-rgb model (testing/toy_model.h), whose embeddings are known:
//   images (64x64, one colour) -> [R, G, B, 0, 0, 0, 0, 0.05]: red, orange, yellow, green, teal,
//     blue; texts "red car", "green field", "blue sky" -> the axis of their first letter, and
//     "ciel bleu" (a manifest text with metadata language=fr) -> the fixed vector of 'c';
//   tones.wav: 2 s of 1500 Hz (green axis), then 1 s of 300 Hz (red axis): a text "red" finds
//     its segment 2-3 s; high.wav: 2 s of 5000 Hz (blue axis).
// Each test loads the page, acts as a user (typing, choosing and dropping files, the fake
// microphone, "More like this", reloads, a phone-sized window) and checks what is shown.
//
// Skipped when Chromium or chromedriver is missing (Debian packages chromium and
// chromium-driver, installed by scripts/install-deps.sh). Screenshots and chromedriver's log
// go to XMODAL_BROWSER_ARTIFACTS_DIR (build/test-tmp/browser).
#include <glog/logging.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <numbers>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/file_util.h"
#include "core/media/audio.h"
#include "core/media/image.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "indexer/pipeline.h"
#include "server/server.h"
#include "testing/status_matchers.h"
#include "testing/toy_model.h"
#include "tests/browser/webdriver.h"

#ifndef XMODAL_BROWSER_ARTIFACTS_DIR
#define XMODAL_BROWSER_ARTIFACTS_DIR "/tmp/xmodal-browser-test"
#endif

namespace xmodal {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::xmodal::testing::WebDriver;
using ::xmodal::testing::WebElement;

constexpr char kChromedriver[] = "/usr/bin/chromedriver";
constexpr char kChromium[] = "/usr/bin/chromium";
constexpr double kTimeoutSeconds = 30;

// ---- The corpus -------------------------------------------------------------------------------

std::string SolidPng(uint8_t r, uint8_t g, uint8_t b) {
  media::Image image{.width = 64, .height = 64};
  for (int i = 0; i < 64 * 64; ++i) image.rgb.insert(image.rgb.end(), {r, g, b});
  absl::StatusOr<std::string> png = media::EncodePng(image);
  CHECK(png.ok()) << png.status();
  return *png;
}

// A 16 kHz WAV of consecutive sine tones, {hz, seconds} each.
std::string TonesWav(const std::vector<std::pair<double, double>>& tones) {
  media::Audio audio{.sample_rate = 16000};
  for (const auto& [hz, seconds] : tones) {
    const int n = static_cast<int>(seconds * audio.sample_rate);
    for (int i = 0; i < n; ++i) {
      audio.samples.push_back(
          0.5f * static_cast<float>(std::sin(2 * std::numbers::pi * hz * i / audio.sample_rate)));
    }
  }
  absl::StatusOr<std::string> wav = media::EncodeAudio(audio, media::AudioContainer::kWav);
  CHECK(wav.ok()) << wav.status();
  return *wav;
}

absl::Status WriteCorpus(const std::string& dir) {
  if (absl::Status s = MakeDirectories(dir); !s.ok()) return s;
  const std::map<std::string, std::string> files = {
      {"red.png", SolidPng(255, 0, 0)},
      {"orange.png", SolidPng(255, 128, 0)},
      {"yellow.png", SolidPng(255, 255, 0)},
      {"green.png", SolidPng(0, 255, 0)},
      {"teal.png", SolidPng(0, 160, 160)},
      {"blue.png", SolidPng(0, 0, 255)},
      {"red.txt", "red car"},
      {"green.txt", "green field"},
      {"blue.txt", "blue sky"},
      {"tones.wav", TonesWav({{1500, 2.0}, {300, 1.0}})},
      {"high.wav", TonesWav({{5000, 2.0}})},
  };
  for (const auto& [name, bytes] : files) {
    if (absl::Status s = WriteFileAtomically(dir + "/" + name, bytes); !s.ok()) return s;
  }
  return WriteFileAtomically(
      dir + "/../texts.jsonl",
      R"({"text": "ciel bleu", "metadata": {"language": "fr", "source": "phrasebook"}})"
      "\n");
}

std::string Basename(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// ---- Page probes ------------------------------------------------------------------------------

// The page after a search: null until the results have been rendered more than arguments[0]
// times and the status is final; then the status, the error shown, the URL and the hits.
constexpr char kSnapshotScript[] = R"js(
  const after = arguments[0];
  const results = document.getElementById('results');
  const state = document.getElementById('status').dataset.state;
  if (Number(results.dataset.renderCount || 0) <= after) return null;
  if (state !== 'done' && state !== 'error') return null;
  const error = document.getElementById('error');
  return {
    state,
    renderCount: Number(results.dataset.renderCount),
    status: document.getElementById('status').textContent,
    error: error.hidden ? '' : error.textContent.trim(),
    errorCode: error.hidden ? '' : (error.dataset.code || ''),
    url: location.href,
    hits: [...results.querySelectorAll('.hit')].map((h) => ({
      id: h.dataset.itemId,
      modality: h.dataset.modality,
      source: h.dataset.sourceUri,
      score: Number(h.dataset.score),
    })),
  };
)js";

class SearchPageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (access(kChromedriver, X_OK) != 0 || access(kChromium, X_OK) != 0) {
      skip_reason_ = absl::StrCat(
          "needs ", kChromium, " and ", kChromedriver,
          ": install the Debian packages chromium and chromium-driver (scripts/install-deps.sh)");
      return;
    }
    ASSERT_OK_AND_ASSIGN(const std::string temp, MakeTempDirectory("browser_test_"));
    root_ = std::filesystem::canonical(temp).string();
    ASSERT_OK(xmodal::testing::WriteToyModelPackage(root_ + "/model"));
    ASSERT_OK(WriteCorpus(root_ + "/corpus"));
    indexer::IndexerOptions index;
    index.collection_dir = root_ + "/collection";
    index.model_dir = root_ + "/model";
    index.paths = {root_ + "/corpus"};
    index.manifests = {root_ + "/texts.jsonl"};
    index.threads = 2;
    ASSERT_OK(indexer::RunIndexer(index, nullptr).status());

    server::ServerOptions options;
    options.collection_dir = root_ + "/collection";
    options.model_dir = root_ + "/model";
    options.listen = "127.0.0.1:0";
    options.http_listen = "127.0.0.1:0";
    options.threads = 2;
    options.reload_interval_seconds = 0;
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<server::Server> server, server::Server::Start(options));
    ASSERT_GT(server->http_port(), 0);
    base_url_ = absl::StrCat("http://127.0.0.1:", server->http_port());
    server_ = server.release();

    // Item ids by file name, from the JSON API.
    ASSERT_OK_AND_ASSIGN(json all, PostSearch({{"query", {{"text", "red"}}}, {"k", 100}}));
    for (const json& hit : all["hits"]) {
      (*ids_)[Basename(hit["sourceUri"].get<std::string>())] = hit["itemId"].get<std::string>();
    }
    ASSERT_EQ(ids_->size(), 12u) << all.dump();

    ASSERT_OK(MakeDirectories(XMODAL_BROWSER_ARTIFACTS_DIR));
    xmodal::testing::WebDriverOptions browser;
    browser.chromedriver = kChromedriver;
    browser.chromium = kChromium;
    browser.log_path = std::string(XMODAL_BROWSER_ARTIFACTS_DIR) + "/chromedriver.log";
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<WebDriver> driver, WebDriver::Start(browser));
    driver_ = driver.release();
  }

  static void TearDownTestSuite() {
    delete driver_;  // quits Chromium and chromedriver
    driver_ = nullptr;
    if (server_ != nullptr) server_->Shutdown(1.0);
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    ASSERT_NE(server_, nullptr) << "the server did not start (see the suite's set-up)";
    ASSERT_NE(driver_, nullptr) << "the browser did not start (see the suite's set-up)";
  }

  // POST /v1/search with a JSON body, straight to the server: the expected answers.
  static absl::StatusOr<json> PostSearch(const json& request) {
    httplib::Client http("127.0.0.1", server_->http_port());
    http.set_read_timeout(60);
    httplib::Result result = http.Post("/v1/search", request.dump(), "application/json");
    if (!result) return absl::UnavailableError(httplib::to_string(result.error()));
    json body = json::parse(result->body, nullptr, false);
    if (body.is_discarded()) return absl::DataLossError("not JSON: " + result->body);
    if (result->status != 200) {
      return absl::UnknownError(absl::StrCat("HTTP ", result->status, ": ", result->body));
    }
    return body;
  }

  static std::string Id(const std::string& name) {
    const auto it = ids_->find(name);
    return it == ids_->end() ? "unknown:" + name : it->second;
  }

  // Loads the page at `path_and_query` and waits for its script to have started.
  static void Open(const std::string& path_and_query) {
    ASSERT_OK(driver_->Navigate(base_url_ + path_and_query));
    ASSERT_OK(
        driver_->WaitForScript("return window.xmodal !== undefined;", kTimeoutSeconds).status());
  }

  static int RenderCount() {
    absl::StatusOr<json> n = driver_->ExecuteScript(
        "return Number(document.getElementById('results').dataset.renderCount || 0);");
    return n.ok() && n->is_number() ? n->get<int>() : -1;
  }

  // Waits for the results of a search rendered after `after` renders (kSnapshotScript).
  static json WaitForResults(int after) {
    absl::StatusOr<json> snapshot =
        driver_->WaitForScript(kSnapshotScript, kTimeoutSeconds, json::array({after}));
    EXPECT_TRUE(snapshot.ok()) << snapshot.status();
    return snapshot.ok() ? *snapshot : json::object({{"hits", json::array()}});
  }

  static std::vector<std::string> Names(const json& snapshot) {
    std::vector<std::string> names;
    for (const json& hit : snapshot["hits"]) {
      names.push_back(Basename(hit["source"].get<std::string>()));
    }
    return names;
  }
  static std::vector<std::string> Ids(const json& snapshot) {
    std::vector<std::string> ids;
    for (const json& hit : snapshot["hits"]) ids.push_back(hit["id"].get<std::string>());
    return ids;
  }

  static void SaveScreenshot(const std::string& name) {
    const std::string path = absl::StrCat(XMODAL_BROWSER_ARTIFACTS_DIR, "/", name);
    EXPECT_OK(driver_->SaveScreenshot(path));
    std::cout << "screenshot: " << path << std::endl;
  }

  static inline std::string skip_reason_;
  static inline std::string root_;
  static inline std::string base_url_;
  static inline server::Server* server_ = nullptr;
  static inline WebDriver* driver_ = nullptr;
  static inline auto* ids_ = new std::map<std::string, std::string>();
};

TEST_F(SearchPageTest, TypedTextShowsThumbnailsOfTheExpectedImagesInScoreOrder) {
  Open("/");
  // Collection info in the header, counts beside the toggles.
  ASSERT_OK_AND_ASSIGN(
      json model, driver_->WaitForScript("return document.getElementById('info').dataset.model;",
                                         kTimeoutSeconds));
  EXPECT_EQ(model, "toy-rgb");
  ASSERT_OK_AND_ASSIGN(
      json info, driver_->ExecuteScript("return document.getElementById('info').textContent;"));
  EXPECT_THAT(info.get<std::string>(), HasSubstr("6 images"));
  EXPECT_THAT(info.get<std::string>(), HasSubstr("4 texts"));
  EXPECT_THAT(info.get<std::string>(), HasSubstr("2 sounds"));
  EXPECT_THAT(info.get<std::string>(), HasSubstr("generation 1"));

  // Images only: untick texts and sounds, type, press Enter.
  for (const char* box : {"#t-text", "#t-audio"}) {
    ASSERT_OK_AND_ASSIGN(WebElement toggle, driver_->FindElement(box));
    ASSERT_OK(driver_->Click(toggle));
  }
  ASSERT_OK_AND_ASSIGN(WebElement q, driver_->FindElement("#q"));
  ASSERT_OK(driver_->SendKeys(q, std::string("red car") + xmodal::testing::kEnterKey));
  const json results = WaitForResults(0);
  ASSERT_EQ(results["state"], "done") << results.dump();
  ASSERT_EQ(results["hits"].size(), 6u) << results.dump();
  // red ~ 0.999, orange ~ 0.893, yellow ~ 0.707; the rest have no red at all (ties at ~0).
  const std::vector<std::string> names = Names(results);
  EXPECT_THAT(std::vector<std::string>(names.begin(), names.begin() + 3),
              ElementsAre("red.png", "orange.png", "yellow.png"));
  for (const json& hit : results["hits"]) EXPECT_EQ(hit["modality"], "image");
  EXPECT_NEAR(results["hits"][0]["score"].get<double>(), 0.99875, 2e-3);

  // Every thumbnail really loaded, in the order of the hits.
  ASSERT_OK_AND_ASSIGN(json loaded, driver_->WaitForScript(R"js(
      const imgs = [...document.querySelectorAll('#results .hit[data-modality="image"] img')];
      if (imgs.length !== 6 || !imgs.every((i) => i.complete && i.naturalWidth > 0)) return null;
      return imgs.map((i) => i.closest('.hit').dataset.itemId);
  )js",
                                                           kTimeoutSeconds));
  EXPECT_EQ(loaded, json(Ids(results)));
  ASSERT_OK_AND_ASSIGN(
      json src, driver_->ExecuteScript("return document.querySelector('#results img').getAttribute("
                                       "'src') + ' ' + document.querySelector('#results img')."
                                       "getAttribute('loading');"));
  EXPECT_EQ(src, absl::StrCat("/v1/items/", Id("red.png"), "/thumbnail?size=256 lazy"));
  ASSERT_OK_AND_ASSIGN(
      json text, driver_->ExecuteScript("return document.getElementById('results').textContent;"));
  EXPECT_THAT(text.get<std::string>(), Not(HasSubstr("null")));
  EXPECT_THAT(text.get<std::string>(), HasSubstr("red.png"));

  // The query is in the URL; timings and generation are shown.
  ASSERT_OK_AND_ASSIGN(std::string url, driver_->CurrentUrl());
  EXPECT_EQ(url, base_url_ + "/?q=red+car&targets=image&k=20");
  ASSERT_OK_AND_ASSIGN(json timings, driver_->ExecuteScript(R"js(
      const t = document.getElementById('timings');
      return {text: t.textContent, search: t.dataset.searchMs, encode: t.dataset.encodeMs,
              generation: document.getElementById('generation').textContent};
  )js"));
  EXPECT_THAT(timings["text"].get<std::string>(), HasSubstr("search"));
  EXPECT_THAT(timings["text"].get<std::string>(), HasSubstr("round trip"));
  EXPECT_GT(std::stod(timings["encode"].get<std::string>()), 0.0);
  EXPECT_EQ(timings["generation"], "Index generation 1");
  SaveScreenshot("search_page_wide.png");
}

TEST_F(SearchPageTest, TextHitsShowTheirTextAndMetadata) {
  Open("/?q=ciel&targets=text&k=10");
  const json results = WaitForResults(0);
  ASSERT_EQ(results["state"], "done") << results.dump();
  ASSERT_EQ(results["hits"].size(), 4u);
  ASSERT_OK_AND_ASSIGN(json cards, driver_->ExecuteScript(R"js(
      return [...document.querySelectorAll('#results .hit')].map((h) => ({
        modality: h.dataset.modality,
        text: h.querySelector('.hit-text')?.textContent ?? null,
        metadata: Object.fromEntries([...h.querySelectorAll('.metadata [data-key]')].map(
            (m) => [m.dataset.key, m.querySelector('dd').textContent])),
        score: h.querySelector('.score').textContent,
        all: h.textContent,
      }));
  )js"));
  // 'c' embeds to the same vector as "ciel bleu": cosine 1.
  EXPECT_EQ(cards[0]["modality"], "text");
  EXPECT_EQ(cards[0]["text"], "ciel bleu");
  EXPECT_EQ(cards[0]["metadata"], json({{"language", "fr"}, {"source", "phrasebook"}}));
  EXPECT_EQ(cards[0]["score"], "1.000");
  std::vector<std::string> texts;
  for (const json& card : cards) {
    texts.push_back(card["text"].get<std::string>());
    // Nothing missing is printed as a placeholder.
    for (const char* placeholder : {"null", "undefined", "NaN", "[object"}) {
      EXPECT_THAT(card["all"].get<std::string>(), Not(HasSubstr(placeholder))) << card.dump();
    }
  }
  EXPECT_THAT(texts,
              ::testing::UnorderedElementsAre("ciel bleu", "red car", "green field", "blue sky"));
}

TEST_F(SearchPageTest, ChoosingAnImageFileShowsItsMatches) {
  Open("/?targets=image&k=10");
  // Amber (1, 0.78, 0) is not in the collection: yellow 0.993, orange 0.980, red 0.787,
  // green 0.618, teal 0.437, blue ~0.
  const std::string amber = root_ + "/amber.png";
  ASSERT_OK(WriteFileAtomically(amber, SolidPng(255, 200, 0)));
  const int before = RenderCount();
  ASSERT_OK_AND_ASSIGN(WebElement file, driver_->FindElement("#file"));
  ASSERT_OK(driver_->SendKeys(file, amber));
  const json results = WaitForResults(before);
  ASSERT_EQ(results["state"], "done") << results.dump();
  EXPECT_THAT(Names(results), ElementsAre("yellow.png", "orange.png", "red.png", "green.png",
                                          "teal.png", "blue.png"));
  // An upload cannot be kept in the URL, and the page says so.
  ASSERT_OK_AND_ASSIGN(std::string url, driver_->CurrentUrl());
  EXPECT_THAT(url, Not(HasSubstr("q=")));
  ASSERT_OK_AND_ASSIGN(json shown, driver_->ExecuteScript(R"js(
      return {note: !document.getElementById('url-note').hidden,
              summary: document.getElementById('query-summary').textContent};
  )js"));
  EXPECT_EQ(shown["note"], true);
  EXPECT_THAT(shown["summary"].get<std::string>(), HasSubstr("amber.png"));
}

TEST_F(SearchPageTest, DroppingAnImageShowsItsMatches) {
  Open("/?targets=image&k=10");
  const int before = RenderCount();
  // The blue item's own bytes, dropped on the drop zone as a user would drop a file.
  ASSERT_OK_AND_ASSIGN(json type, driver_->ExecuteAsyncScript(R"js(
      const [id, done] = arguments;
      (async () => {
        const response = await fetch(`/v1/items/${encodeURIComponent(id)}/content`);
        const blob = await response.blob();
        const file = new File([blob], 'dropped.png', {type: blob.type});
        const transfer = new DataTransfer();
        transfer.items.add(file);
        const drop = document.getElementById('drop');
        for (const name of ['dragenter', 'dragover', 'drop']) {
          drop.dispatchEvent(new DragEvent(name, {bubbles: true, cancelable: true,
                                                  dataTransfer: transfer}));
        }
        return blob.type;
      })().then(done, (e) => done('failed: ' + e));
  )js",
                                                              json::array({Id("blue.png")})));
  EXPECT_EQ(type, "image/png");
  const json results = WaitForResults(before);
  ASSERT_EQ(results["state"], "done") << results.dump();
  const std::vector<std::string> names = Names(results);
  ASSERT_GE(names.size(), 2u);
  // Itself (cosine 1), then teal (0.708); the others have no blue (~0).
  EXPECT_EQ(names[0], "blue.png");
  EXPECT_EQ(names[1], "teal.png");
  EXPECT_NEAR(results["hits"][0]["score"].get<double>(), 1.0, 1e-3);
  ASSERT_OK_AND_ASSIGN(json summary,
                       driver_->ExecuteScript("return document.getElementById('query-summary')."
                                              "textContent;"));
  EXPECT_THAT(summary.get<std::string>(), HasSubstr("dropped.png"));
}

TEST_F(SearchPageTest, SoundHitPlaysFromItsBestSegment) {
  ASSERT_OK_AND_ASSIGN(json expected, PostSearch({{"query", {{"text", "red"}}},
                                                  {"targets", json::array({"MODALITY_AUDIO"})},
                                                  {"k", 10}}));
  ASSERT_EQ(expected["hits"].size(), 2u) << expected.dump();
  const json& best = expected["hits"][0];
  ASSERT_EQ(Basename(best["sourceUri"].get<std::string>()), "tones.wav");
  const double start = best["startSeconds"].get<double>();
  const double end = best["endSeconds"].get<double>();
  EXPECT_DOUBLE_EQ(start, 2.0);  // the 300 Hz second
  EXPECT_DOUBLE_EQ(end, 3.0);

  Open("/?q=red&targets=audio&k=10");
  const json results = WaitForResults(0);
  ASSERT_EQ(results["state"], "done") << results.dump();
  EXPECT_THAT(Names(results), ElementsAre("tones.wav", "high.wav"));
  const std::string audio = absl::StrCat("document.querySelector('.hit[data-item-id=\"",
                                         best["itemId"].get<std::string>(), "\"] audio')");
  ASSERT_OK_AND_ASSIGN(json attributes, driver_->ExecuteScript(absl::StrCat(
                                            "const a = ", audio, "; return {start: a.dataset.",
                                            "startSeconds, end: a.dataset.endSeconds, preload: ",
                                            "a.preload, controls: a.controls, segment: a.closest(",
                                            "'.hit').querySelector('.segment').textContent};")));
  EXPECT_EQ(std::stod(attributes["start"].get<std::string>()), start);
  EXPECT_EQ(std::stod(attributes["end"].get<std::string>()), end);
  EXPECT_EQ(attributes["preload"], "metadata");
  EXPECT_EQ(attributes["controls"], true);
  EXPECT_THAT(attributes["segment"].get<std::string>(), HasSubstr("0:02.0"));
  EXPECT_THAT(attributes["segment"].get<std::string>(), HasSubstr("0:03.0"));
  // Once the metadata is in, the player sits at the segment (the server serves Range).
  ASSERT_OK_AND_ASSIGN(json position,
                       driver_->WaitForScript(absl::StrCat("const a = ", audio,
                                                           "; return a.readyState >= 1 && "
                                                           "a.currentTime > 0 ? {t: a.currentTime,"
                                                           " d: a.duration} : null;"),
                                              kTimeoutSeconds));
  EXPECT_NEAR(position["t"].get<double>(), start, 0.01);
  EXPECT_NEAR(position["d"].get<double>(), 3.0, 0.05);
}

TEST_F(SearchPageTest, MoreLikeThisSearchesTheNeighboursAndTheUrlBringsThemBack) {
  Open("/?q=red+car&targets=image&k=10");
  const json first = WaitForResults(0);
  ASSERT_EQ(first["state"], "done") << first.dump();
  ASSERT_EQ(Names(first)[0], "red.png");

  // "More like this" on the red image: its neighbours, without itself.
  ASSERT_OK_AND_ASSIGN(std::vector<WebElement> buttons, driver_->FindElements(".more-like-this"));
  ASSERT_EQ(buttons.size(), 6u);
  ASSERT_OK(driver_->Click(buttons[0]));
  const json similar = WaitForResults(first["renderCount"].get<int>());
  ASSERT_EQ(similar["state"], "done") << similar.dump();
  const std::vector<std::string> names = Names(similar);
  ASSERT_EQ(names.size(), 5u);
  EXPECT_EQ(names[0], "orange.png");  // 0.893
  EXPECT_EQ(names[1], "yellow.png");  // 0.707
  EXPECT_THAT(names, Not(::testing::Contains("red.png")));
  ASSERT_OK_AND_ASSIGN(std::string url, driver_->CurrentUrl());
  EXPECT_EQ(url, absl::StrCat(base_url_, "/?item=", Id("red.png"), "&targets=image&k=10"));
  EXPECT_OK(driver_
                ->WaitForScript("return document.getElementById('query-summary').textContent"
                                ".includes('red.png');",
                                kTimeoutSeconds)
                .status());  // the item is named (GET /v1/items/ID)

  // Loading that URL again gives the same hits.
  ASSERT_OK(driver_->Navigate(url));
  const json reloaded = WaitForResults(0);
  EXPECT_EQ(reloaded["state"], "done");
  EXPECT_EQ(Ids(reloaded), Ids(similar));

  // Back returns to the text search.
  ASSERT_OK(driver_->Navigate(base_url_ + "/?q=red+car&targets=image&k=10"));
  const json again = WaitForResults(0);
  ASSERT_OK_AND_ASSIGN(WebElement more, driver_->FindElement(".more-like-this"));
  ASSERT_OK(driver_->Click(more));
  const json similar_again = WaitForResults(again["renderCount"].get<int>());
  ASSERT_OK(driver_->ExecuteScript("history.back();").status());
  const json back = WaitForResults(similar_again["renderCount"].get<int>());
  EXPECT_EQ(Ids(back), Ids(first));
  ASSERT_OK_AND_ASSIGN(json q,
                       driver_->ExecuteScript("return document.getElementById('q').value;"));
  EXPECT_EQ(q, "red car");
}

TEST_F(SearchPageTest, MicrophoneRecordsAWavThatTheServerSearchesWith) {
  Open("/?targets=text,image,audio&k=10");
  ASSERT_OK_AND_ASSIGN(WebElement mic, driver_->FindElement("#mic"));
  ASSERT_OK(driver_->Click(mic));
  ASSERT_OK_AND_ASSIGN(json recording, driver_->WaitForScript(R"js(
      const error = document.getElementById('error');
      if (!error.hidden) return 'error: ' + error.textContent;
      return document.getElementById('mic').dataset.state === 'recording' &&
             document.getElementById('mic').getAttribute('aria-pressed') === 'true' && 'recording';
  )js",
                                                              kTimeoutSeconds));
  ASSERT_EQ(recording, "recording");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_OK(driver_->Click(mic));  // stop

  // Chromium's fake device gives a beeping tone; its WAV is a valid query the server accepts.
  const json results = WaitForResults(0);
  ASSERT_EQ(results["state"], "done") << "the server refused the recording: " << results.dump();
  EXPECT_EQ(results["error"], "");
  EXPECT_EQ(results["hits"].size(), 10u);

  // The upload was a 16-bit mono PCM WAV of about the time recorded.
  const std::string kWavHeader = R"js(
      const done = arguments[arguments.length - 1];
      window.xmodal.lastRecording.arrayBuffer().then((buffer) => {
        const v = new DataView(buffer);
        const tag = (o) => String.fromCharCode(...new Uint8Array(buffer, o, 4));
        done({riff: tag(0), wave: tag(8), format: v.getUint16(20, true),
              channels: v.getUint16(22, true), rate: v.getUint32(24, true),
              bits: v.getUint16(34, true), data: tag(36), bytes: v.getUint32(40, true),
              size: buffer.byteLength, type: window.xmodal.lastRecording.type,
              name: window.xmodal.lastRecording.name});
      }, (e) => done(String(e)));
  )js";
  ASSERT_OK_AND_ASSIGN(json wav, driver_->ExecuteAsyncScript(kWavHeader));
  EXPECT_EQ(wav["riff"], "RIFF") << wav.dump();
  EXPECT_EQ(wav["wave"], "WAVE");
  EXPECT_EQ(wav["format"], 1);
  EXPECT_EQ(wav["channels"], 1);
  EXPECT_EQ(wav["bits"], 16);
  EXPECT_EQ(wav["data"], "data");
  EXPECT_EQ(wav["type"], "audio/wav");
  EXPECT_EQ(wav["size"].get<int64_t>(), 44 + wav["bytes"].get<int64_t>());
  const double seconds = wav["bytes"].get<double>() / 2 / wav["rate"].get<double>();
  EXPECT_GT(seconds, 0.8);
  EXPECT_LT(seconds, 3.5);
  ASSERT_OK_AND_ASSIGN(json summary,
                       driver_->ExecuteScript("return document.getElementById('query-summary')."
                                              "textContent;"));
  EXPECT_THAT(summary.get<std::string>(), HasSubstr("recording"));

  // Left alone, a recording stops by itself at 5 s and is searched.
  ASSERT_OK(driver_->Click(mic));
  const json capped = WaitForResults(results["renderCount"].get<int>());
  EXPECT_EQ(capped["state"], "done") << capped.dump();
  ASSERT_OK_AND_ASSIGN(json long_wav, driver_->ExecuteAsyncScript(kWavHeader));
  const double long_seconds = long_wav["bytes"].get<double>() / 2 / long_wav["rate"].get<double>();
  EXPECT_GT(long_seconds, 4.5);
  EXPECT_LE(long_seconds, 5.0);
}

TEST_F(SearchPageTest, ShowsTheServersErrorMessage) {
  ASSERT_FALSE(PostSearch({{"query", {{"itemId", "no-such-item"}}}}).ok());
  httplib::Client http("127.0.0.1", server_->http_port());
  httplib::Result refused =
      http.Post("/v1/search", R"({"query":{"itemId":"no-such-item"}})", "application/json");
  ASSERT_TRUE(refused);
  const json expected = json::parse(refused->body, nullptr, false);
  ASSERT_EQ(expected.value("code", ""), "NOT_FOUND") << refused->body;

  Open("/?item=no-such-item");
  const json unknown = WaitForResults(0);
  EXPECT_EQ(unknown["state"], "error");
  EXPECT_EQ(unknown["errorCode"], "NOT_FOUND");
  EXPECT_THAT(unknown["error"].get<std::string>(),
              HasSubstr(expected["message"].get<std::string>()));
  EXPECT_TRUE(unknown["hits"].empty());

  // A file that is neither an image nor a sound: the server's INVALID_ARGUMENT is shown.
  const std::string notes = root_ + "/notes.txt";
  ASSERT_OK(WriteFileAtomically(notes, "just some words"));
  ASSERT_OK_AND_ASSIGN(WebElement file, driver_->FindElement("#file"));
  ASSERT_OK(driver_->SendKeys(file, notes));
  const json bad = WaitForResults(unknown["renderCount"].get<int>());
  EXPECT_EQ(bad["state"], "error");
  EXPECT_EQ(bad["errorCode"], "INVALID_ARGUMENT");
  EXPECT_THAT(bad["error"].get<std::string>(), HasSubstr("file"));
}

TEST_F(SearchPageTest, PhoneWindowNeverScrollsSidewaysEvenWithAThousandHits) {
  ASSERT_OK(driver_->SetWindowSize(360, 740));
  Open("/?q=red+car&k=20");
  const json results = WaitForResults(0);
  ASSERT_EQ(results["state"], "done") << results.dump();
  ASSERT_EQ(results["hits"].size(), 12u);
  const std::string kWidths =
      "return {scroll: document.documentElement.scrollWidth, client: "
      "document.documentElement.clientWidth, inner: window.innerWidth};";
  ASSERT_OK_AND_ASSIGN(json widths, driver_->ExecuteScript(kWidths));
  ASSERT_LE(widths["inner"].get<int>(), 400) << "the window did not get narrow: " << widths.dump();
  EXPECT_LE(widths["scroll"].get<int>(), widths["inner"].get<int>()) << widths.dump();

  // 1,000 hits through the page's own renderer: the real hits repeated, with long unbroken
  // texts, source paths and metadata to wrap.
  ASSERT_OK_AND_ASSIGN(json rendered, driver_->ExecuteAsyncScript(R"js(
      const done = arguments[arguments.length - 1];
      (async () => {
        const response = await fetch('/v1/search', {method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({query: {text: 'red car'}, k: 20})});
        const real = (await response.json()).hits;
        const hits = Array.from({length: 1000}, (_, i) => {
          const hit = structuredClone(real[i % real.length]);
          hit.score = 1 - i / 1000;
          if (hit.modality === 'MODALITY_TEXT') hit.text = `${'longword'.repeat(40)} ${i}`;
          hit.sourceUri = `/a/very/long/path/${'segment'.repeat(30)}/${i}.bin`;
          hit.metadata = {language: 'en', note: 'unbroken'.repeat(25)};
          return hit;
        });
        const start = performance.now();
        const count = window.xmodal.renderHits(hits);
        document.documentElement.scrollWidth;  // layout
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        return {count, ms: performance.now() - start,
                cards: document.querySelectorAll('#results .hit').length};
      })().then(done, (e) => done(String(e)));
  )js"));
  ASSERT_TRUE(rendered.is_object()) << rendered.dump();
  EXPECT_EQ(rendered["count"], 1000);
  EXPECT_EQ(rendered["cards"], 1000);
  EXPECT_LT(rendered["ms"].get<double>(), 3000.0) << "rendering 1,000 hits took too long";
  std::cout << "rendered 1000 hits in " << rendered["ms"].get<double>() << " ms" << std::endl;

  ASSERT_OK_AND_ASSIGN(widths, driver_->ExecuteScript(kWidths));
  EXPECT_LE(widths["scroll"].get<int>(), widths["inner"].get<int>()) << widths.dump();
  SaveScreenshot("search_page_phone.png");
  // And at the bottom of the list, where the cards are laid out late (content-visibility).
  ASSERT_OK(driver_
                ->ExecuteAsyncScript(
                    "const done = arguments[0]; window.scrollTo(0, document.body.scrollHeight);"
                    "requestAnimationFrame(() => requestAnimationFrame(() => done(true)));")
                .status());
  ASSERT_OK_AND_ASSIGN(widths, driver_->ExecuteScript(kWidths));
  EXPECT_LE(widths["scroll"].get<int>(), widths["inner"].get<int>()) << widths.dump();
  SaveScreenshot("search_page_phone_bottom.png");
  ASSERT_OK(driver_->SetWindowSize(1280, 900));
}

}  // namespace
}  // namespace xmodal
