// Test-only: a minimal W3C WebDriver client for browser tests. Starts chromedriver as a child
// process on a free loopback port, opens one headless Chromium session and drives it over
// HTTP (httplib::Client, nlohmann::json). The browser and chromedriver end with the object.
//
//   ASSIGN_OR_RETURN(auto driver, WebDriver::Start());
//   RETURN_IF_ERROR(driver->Navigate("http://127.0.0.1:8080/"));
//   ASSIGN_OR_RETURN(WebElement q, driver->FindElement("#q"));
//   RETURN_IF_ERROR(driver->SendKeys(q, std::string("red car") + kEnterKey));
//   ASSIGN_OR_RETURN(nlohmann::json n, driver->WaitForScript(
//       "return document.querySelectorAll('.hit').length || null;", 10));
//
// Errors: the WebDriver error of a failed command as an absl::Status (NOT_FOUND for "no such
// element", DEADLINE_EXCEEDED for "timeout" and "script timeout", INVALID_ARGUMENT for
// "invalid argument" and "invalid selector", FAILED_PRECONDITION for "element not
// interactable" and the like, UNKNOWN for others), the message naming the command and
// WebDriver's message; UNAVAILABLE when chromedriver cannot be reached. Not thread-safe: one
// thread drives one browser.
#ifndef XMODAL_TESTS_BROWSER_WEBDRIVER_H_
#define XMODAL_TESTS_BROWSER_WEBDRIVER_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace httplib {
class Client;
}

namespace xmodal::testing {

// WebDriver's key codes (UTF-8 of the private-use code points), for SendKeys.
inline constexpr char kEnterKey[] = "\xEE\x80\x87";  // U+E007

// Chromium flags for tests: headless, no sandbox (tests may run as root), no GPU, a
// 1280x900 window, and the fake microphone/camera granted without a prompt.
std::vector<std::string> DefaultChromeArgs();

struct WebDriverOptions {
  std::string chromedriver = "/usr/bin/chromedriver";
  // goog:chromeOptions.binary; empty: chromedriver's own choice.
  std::string chromium = "/usr/bin/chromium";
  std::vector<std::string> chrome_args = DefaultChromeArgs();
  // Where chromedriver's output goes (appended); empty: discarded.
  std::string log_path;
  // How long chromedriver may take to answer /status and Chromium to open a session.
  double startup_timeout_seconds = 60;
  // The session's script timeout (ExecuteAsyncScript) and page-load timeout.
  double script_timeout_seconds = 30;
  double page_load_timeout_seconds = 60;
};

// A reference to an element of the current page (the WebDriver element id).
struct WebElement {
  std::string id;
};

class WebDriver {
 public:
  // Spawns chromedriver (in its own process group) on a free 127.0.0.1 port, waits until it is
  // ready and creates a session with `options`. FAILED_PRECONDITION when the chromedriver
  // binary is missing; UNAVAILABLE when it does not come up in time or exits; the session
  // error otherwise (chromedriver is stopped again on failure).
  static absl::StatusOr<std::unique_ptr<WebDriver>> Start(const WebDriverOptions& options = {});

  // Quit().
  ~WebDriver();
  WebDriver(const WebDriver&) = delete;
  WebDriver& operator=(const WebDriver&) = delete;

  // Deletes the session (closing Chromium) and stops chromedriver: SIGTERM to its process
  // group, SIGKILL after 5 s. Idempotent.
  void Quit();

  // Loads `url` and waits for the page's load event (the page-load timeout).
  absl::Status Navigate(const std::string& url);
  absl::StatusOr<std::string> CurrentUrl();

  // The first / every element matching a CSS selector. FindElement: NOT_FOUND when none does.
  absl::StatusOr<WebElement> FindElement(const std::string& css);
  absl::StatusOr<std::vector<WebElement>> FindElements(const std::string& css);
  // Scrolls the element into view and clicks its centre as a user would.
  absl::Status Click(const WebElement& element);
  // Types `text` into the element; for <input type=file>, `text` is a local file path.
  absl::Status SendKeys(const WebElement& element, const std::string& text);
  // The element's rendered text.
  absl::StatusOr<std::string> Text(const WebElement& element);

  // Runs `body` as the body of a function in the page (`arguments` are `args`, elements passed
  // as ElementArg) and returns its JSON result. Async: the last argument is a callback that
  // ends the script with its value (or the script's returned promise does); bounded by the
  // script timeout.
  absl::StatusOr<nlohmann::json> ExecuteScript(
      const std::string& body, const nlohmann::json& args = nlohmann::json::array());
  absl::StatusOr<nlohmann::json> ExecuteAsyncScript(
      const std::string& body, const nlohmann::json& args = nlohmann::json::array());
  static nlohmann::json ElementArg(const WebElement& element);

  // Polls `condition` every 50 ms until it returns true; DEADLINE_EXCEEDED naming `what` (and
  // the condition's last error) after `timeout_seconds`.
  absl::Status WaitUntil(const std::function<absl::StatusOr<bool>()>& condition,
                         double timeout_seconds, absl::string_view what);
  // Polls the script `body` until it returns a value other than null, false, 0 or "", and
  // returns that value; DEADLINE_EXCEEDED with the last value or error after `timeout_seconds`.
  absl::StatusOr<nlohmann::json> WaitForScript(
      const std::string& body, double timeout_seconds,
      const nlohmann::json& args = nlohmann::json::array());

  // Resizes the browser window (outer size, CSS pixels).
  absl::Status SetWindowSize(int width, int height);
  // A PNG of the viewport: the bytes, or written to `path` (the folders must exist).
  absl::StatusOr<std::string> ScreenshotPng();
  absl::Status SaveScreenshot(const std::string& path);

  // The chromedriver port and the session id (for logs).
  int port() const { return port_; }
  const std::string& session_id() const { return session_id_; }

  // Constructed only by Start.
  class Token {
    friend class WebDriver;
    Token() = default;
  };
  WebDriver(Token, pid_t pid, int port);

 private:
  // Sends one command; returns the response's "value" or its error as a Status.
  absl::StatusOr<nlohmann::json> Command(absl::string_view method, const std::string& path,
                                         const nlohmann::json& body = nullptr);
  std::string SessionPath(absl::string_view suffix) const;
  absl::Status CreateSession(const WebDriverOptions& options);

  pid_t pid_ = -1;  // chromedriver, leader of its process group
  int port_ = 0;
  std::unique_ptr<httplib::Client> http_;
  std::string session_id_;
};

}  // namespace xmodal::testing

#endif  // XMODAL_TESTS_BROWSER_WEBDRIVER_H_
