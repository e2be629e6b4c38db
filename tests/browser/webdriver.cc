#include "tests/browser/webdriver.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <glog/logging.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

extern char** environ;

namespace xmodal::testing {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

// The W3C name of an element reference in JSON.
constexpr char kElementKey[] = "element-6066-11e4-a52e-4f735466cecf";

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A port that was free a moment ago: bind 127.0.0.1:0, read the port, close.
absl::StatusOr<int> PickFreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string error = std::strerror(errno);
    close(fd);
    return absl::InternalError(absl::StrCat("binding a loopback port: ", error));
  }
  close(fd);
  return ntohs(addr.sin_port);
}

// Spawns `binary --port=N` in a new process group, its output appended to `log_path` (or
// discarded).
absl::StatusOr<pid_t> SpawnChromedriver(const std::string& binary, int port,
                                        const std::string& log_path) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  const std::string out = log_path.empty() ? "/dev/null" : log_path;
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  std::string port_flag = absl::StrCat("--port=", port);
  std::string arg0 = binary;
  char* argv[] = {arg0.data(), port_flag.data(), nullptr};
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return absl::UnavailableError(absl::StrCat("spawning ", binary, ": ", std::strerror(rc)));
  }
  return pid;
}

// True when the child has exited (and reaps it).
bool HasExited(pid_t pid) {
  int status = 0;
  return waitpid(pid, &status, WNOHANG) == pid;
}

absl::StatusCode CodeOfError(const std::string& error) {
  if (error == "no such element" || error == "no such window" || error == "no such frame" ||
      error == "no such alert" || error == "no such cookie" || error == "unknown command") {
    return absl::StatusCode::kNotFound;
  }
  if (error == "timeout" || error == "script timeout") return absl::StatusCode::kDeadlineExceeded;
  if (error == "invalid argument" || error == "invalid selector") {
    return absl::StatusCode::kInvalidArgument;
  }
  if (error == "element not interactable" || error == "element click intercepted" ||
      error == "stale element reference" || error == "invalid element state" ||
      error == "invalid session id" || error == "unexpected alert open") {
    return absl::StatusCode::kFailedPrecondition;
  }
  return absl::StatusCode::kUnknown;
}

// value[key] when it is a string, else "" (never throws, unlike json::value).
std::string StringField(const json& value, const char* key) {
  if (!value.is_object()) return "";
  const auto it = value.find(key);
  return it != value.end() && it->is_string() ? it->get<std::string>() : "";
}

bool IsTruthy(const json& value) {
  if (value.is_null()) return false;
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number()) return value.get<double>() != 0;
  if (value.is_string()) return !value.get<std::string>().empty();
  return true;
}

}  // namespace

std::vector<std::string> DefaultChromeArgs() {
  return {"--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--window-size=1280,900",
          "--use-fake-ui-for-media-stream",
          "--use-fake-device-for-media-stream",
          "--autoplay-policy=no-user-gesture-required",
          "--no-first-run",
          "--disable-dev-shm-usage"};
}

WebDriver::WebDriver(Token, pid_t pid, int port)
    : pid_(pid), port_(port), http_(std::make_unique<httplib::Client>("127.0.0.1", port)) {
  http_->set_connection_timeout(5);
  http_->set_read_timeout(180);
  http_->set_write_timeout(30);
}

WebDriver::~WebDriver() { Quit(); }

absl::StatusOr<std::unique_ptr<WebDriver>> WebDriver::Start(const WebDriverOptions& options) {
  if (access(options.chromedriver.c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(options.chromedriver, " is missing (Debian package chromium-driver)"));
  }
  absl::Status last = absl::UnavailableError("chromedriver did not start");
  const Clock::time_point start = Clock::now();
  for (int attempt = 0; attempt < 3; ++attempt) {  // another process may take the port
    absl::StatusOr<int> port = PickFreePort();
    if (!port.ok()) return port.status();
    absl::StatusOr<pid_t> pid = SpawnChromedriver(options.chromedriver, *port, options.log_path);
    if (!pid.ok()) return pid.status();
    auto driver = std::make_unique<WebDriver>(Token(), *pid, *port);
    bool ready = false;
    bool exited = false;
    while (SecondsSince(start) < options.startup_timeout_seconds) {
      if (HasExited(*pid)) {
        driver->pid_ = -1;
        exited = true;
        break;
      }
      absl::StatusOr<json> status = driver->Command("GET", "/status");
      if (status.ok() && status->is_object() && status->contains("ready") &&
          IsTruthy((*status)["ready"])) {
        ready = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (ready) {
      if (absl::Status s = driver->CreateSession(options); !s.ok()) return s;
      return driver;
    }
    last = absl::UnavailableError(absl::StrCat(
        "chromedriver on port ", *port, exited ? " exited at start-up" : " did not become ready",
        options.log_path.empty() ? "" : absl::StrCat(" (see ", options.log_path, ")")));
    if (!exited) return last;  // timed out: no point in trying again
  }
  return last;
}

absl::Status WebDriver::CreateSession(const WebDriverOptions& options) {
  json chrome = {{"args", options.chrome_args}};
  if (!options.chromium.empty()) chrome["binary"] = options.chromium;
  const json capabilities = {
      {"capabilities",
       {{"alwaysMatch",
         {{"browserName", "chrome"},
          {"goog:chromeOptions", chrome},
          {"unhandledPromptBehavior", "dismiss"},
          {"timeouts",
           {{"script", static_cast<int64_t>(options.script_timeout_seconds * 1000)},
            {"pageLoad", static_cast<int64_t>(options.page_load_timeout_seconds * 1000)},
            {"implicit", 0}}}}}}}};
  absl::StatusOr<json> session = Command("POST", "/session", capabilities);
  if (!session.ok()) return session.status();
  session_id_ = StringField(*session, "sessionId");
  if (session_id_.empty()) {
    return absl::UnknownError(absl::StrCat("new session: no sessionId in ", session->dump()));
  }
  return absl::OkStatus();
}

void WebDriver::Quit() {
  if (!session_id_.empty()) {
    const absl::StatusOr<json> deleted = Command("DELETE", SessionPath(""));
    if (!deleted.ok()) LOG(WARNING) << "deleting the WebDriver session: " << deleted.status();
    session_id_.clear();
  }
  if (pid_ > 0) {
    kill(-pid_, SIGTERM);  // chromedriver's group: it and any browser left behind
    const Clock::time_point start = Clock::now();
    while (!HasExited(pid_)) {
      if (SecondsSince(start) > 5) {
        kill(-pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
  }
}

std::string WebDriver::SessionPath(absl::string_view suffix) const {
  return absl::StrCat("/session/", session_id_, suffix);
}

absl::StatusOr<json> WebDriver::Command(absl::string_view method, const std::string& path,
                                        const json& body) {
  const std::string payload = body.is_null() ? "{}" : body.dump();
  httplib::Result result = method == "GET"      ? http_->Get(path)
                           : method == "DELETE" ? http_->Delete(path)
                                                : http_->Post(path, payload, "application/json");
  const std::string what = absl::StrCat(method, " ", path);
  if (!result) {
    return absl::UnavailableError(absl::StrCat(what, ": chromedriver unreachable (",
                                               httplib::to_string(result.error()), ")"));
  }
  const json response = json::parse(result->body, nullptr, /*allow_exceptions=*/false);
  if (response.is_discarded() || !response.is_object()) {
    return absl::UnknownError(
        absl::StrCat(what, ": HTTP ", result->status,
                     " with a body that is not JSON: ", result->body.substr(0, 200)));
  }
  const json value = response.contains("value") ? response["value"] : json();
  // W3C errors are non-200 answers; a script's result may well have an "error" field itself.
  if (result->status != 200) {
    const std::string error = StringField(value, "error");
    const std::string message = StringField(value, "message");
    if (error.empty()) {
      return absl::UnknownError(
          absl::StrCat(what, ": HTTP ", result->status, ": ", result->body.substr(0, 2000)));
    }
    return absl::Status(CodeOfError(error),
                        absl::StrCat(what, ": ", error, ": ", message.substr(0, 2000)));
  }
  return value;
}

absl::Status WebDriver::Navigate(const std::string& url) {
  return Command("POST", SessionPath("/url"), {{"url", url}}).status();
}

absl::StatusOr<std::string> WebDriver::CurrentUrl() {
  absl::StatusOr<json> url = Command("GET", SessionPath("/url"));
  if (!url.ok()) return url.status();
  if (!url->is_string()) return absl::UnknownError("current URL is not a string");
  return url->get<std::string>();
}

absl::StatusOr<WebElement> WebDriver::FindElement(const std::string& css) {
  absl::StatusOr<json> found =
      Command("POST", SessionPath("/element"), {{"using", "css selector"}, {"value", css}});
  if (!found.ok()) return found.status();
  return WebElement{StringField(*found, kElementKey)};
}

absl::StatusOr<std::vector<WebElement>> WebDriver::FindElements(const std::string& css) {
  absl::StatusOr<json> found =
      Command("POST", SessionPath("/elements"), {{"using", "css selector"}, {"value", css}});
  if (!found.ok()) return found.status();
  std::vector<WebElement> elements;
  if (!found->is_array()) return absl::UnknownError("find elements: the value is not a list");
  for (const json& e : *found) elements.push_back(WebElement{StringField(e, kElementKey)});
  return elements;
}

absl::Status WebDriver::Click(const WebElement& element) {
  return Command("POST", SessionPath(absl::StrCat("/element/", element.id, "/click"))).status();
}

absl::Status WebDriver::SendKeys(const WebElement& element, const std::string& text) {
  return Command("POST", SessionPath(absl::StrCat("/element/", element.id, "/value")),
                 {{"text", text}})
      .status();
}

absl::StatusOr<std::string> WebDriver::Text(const WebElement& element) {
  absl::StatusOr<json> text =
      Command("GET", SessionPath(absl::StrCat("/element/", element.id, "/text")));
  if (!text.ok()) return text.status();
  return text->is_string() ? text->get<std::string>() : std::string();
}

json WebDriver::ElementArg(const WebElement& element) { return {{kElementKey, element.id}}; }

absl::StatusOr<json> WebDriver::ExecuteScript(const std::string& body, const json& args) {
  return Command("POST", SessionPath("/execute/sync"), {{"script", body}, {"args", args}});
}

absl::StatusOr<json> WebDriver::ExecuteAsyncScript(const std::string& body, const json& args) {
  return Command("POST", SessionPath("/execute/async"), {{"script", body}, {"args", args}});
}

absl::Status WebDriver::WaitUntil(const std::function<absl::StatusOr<bool>()>& condition,
                                  double timeout_seconds, absl::string_view what) {
  const Clock::time_point start = Clock::now();
  absl::Status last = absl::OkStatus();
  while (true) {
    absl::StatusOr<bool> done = condition();
    if (done.ok() && *done) return absl::OkStatus();
    if (!done.ok()) last = done.status();
    if (SecondsSince(start) > timeout_seconds) {
      return absl::DeadlineExceededError(
          absl::StrCat("waited ", timeout_seconds, " s for ", what,
                       last.ok() ? "" : absl::StrCat(" (last error: ", last.ToString(), ")")));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

absl::StatusOr<json> WebDriver::WaitForScript(const std::string& body, double timeout_seconds,
                                              const json& args) {
  const Clock::time_point start = Clock::now();
  std::string last = "nothing";
  while (true) {
    absl::StatusOr<json> value = ExecuteScript(body, args);
    if (value.ok() && IsTruthy(*value)) return *value;
    last = value.ok() ? value->dump() : value.status().ToString();
    if (SecondsSince(start) > timeout_seconds) {
      return absl::DeadlineExceededError(absl::StrCat("waited ", timeout_seconds,
                                                      " s for the script to return a value; "
                                                      "last: ",
                                                      last.substr(0, 2000), "\nscript: ", body));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

absl::Status WebDriver::SetWindowSize(int width, int height) {
  return Command("POST", SessionPath("/window/rect"), {{"width", width}, {"height", height}})
      .status();
}

absl::StatusOr<std::string> WebDriver::ScreenshotPng() {
  absl::StatusOr<json> shot = Command("GET", SessionPath("/screenshot"));
  if (!shot.ok()) return shot.status();
  std::string png;
  if (!shot->is_string() || !absl::Base64Unescape(shot->get<std::string>(), &png)) {
    return absl::UnknownError("screenshot: the value is not base64");
  }
  return png;
}

absl::Status WebDriver::SaveScreenshot(const std::string& path) {
  absl::StatusOr<std::string> png = ScreenshotPng();
  if (!png.ok()) return png.status();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(png->data(), static_cast<std::streamsize>(png->size()));
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("writing ", path));
  return absl::OkStatus();
}

}  // namespace xmodal::testing
