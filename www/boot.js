// Runs before PyScript, as a plain script, and does only what Python cannot
// do because it is not running yet:
//  1. puts the skeleton's few words into the page's language (?lang=ru);
//  2. if PyScript or Pyodide fails before our Python can report it, shows a
//     sentence with the detail behind a toggle and sets window.__pyError,
//     so neither a user nor a test waits forever on "Starting Python…".
// All other UI strings live in py/b24clients/web/strings.py.
(function () {
  "use strict";

  var BOOT_TEXT = {
    en: {
      title: "Clients",
      starting: "Starting Python…",
      failed: "The app could not start. Reload the page; if this happens again, send the details below to your Bitrix24 administrator.",
      details: "Details"
    },
    ru: {
      title: "Клиенты",
      starting: "Запуск Python…",
      failed: "Приложение не запустилось. Обновите страницу; если ошибка повторится, передайте подробности ниже администратору Битрикс24.",
      details: "Подробности"
    }
  };

  var lang = new URLSearchParams(location.search).get("lang") === "ru" ? "ru" : "en";
  var text = BOOT_TEXT[lang];
  document.documentElement.lang = lang;
  document.title = text.title;

  function localiseSkeleton() {
    var nodes = document.querySelectorAll("[data-boot-text]");
    for (var i = 0; i < nodes.length; i++) {
      var key = nodes[i].getAttribute("data-boot-text");
      if (text[key]) nodes[i].textContent = text[key];
    }
  }

  function settled() {
    return window.__pyReadyAt !== undefined || window.__pyError !== undefined;
  }

  // PyScript prints Python tracebacks as red ".py-error" banners; when we
  // show our own error box, their text goes behind its toggle instead
  // (style.css hides the banners then).
  function pyErrorText() {
    return Array.prototype.map.call(document.querySelectorAll(".py-error"), function (node) {
      return node.textContent.trim();
    }).join("\n\n");
  }

  function lastLine(textBlock) {
    var lines = textBlock.split("\n").filter(function (line) { return line.trim(); });
    return lines.length ? lines[lines.length - 1].trim() : "";
  }

  function fail(detail) {
    if (settled()) return;
    window.__pyError = String(detail || "unknown error");
    var app = document.getElementById("app");
    if (!app) return;
    var box = document.createElement("div");
    box.className = "error";
    box.setAttribute("role", "alert");
    var sentence = document.createElement("p");
    sentence.className = "error__sentence";
    sentence.textContent = text.failed;
    var more = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = text.details;
    var pre = document.createElement("pre");
    pre.className = "error__detail";
    pre.textContent = [window.__pyError, pyErrorText()].filter(Boolean).join("\n\n");
    more.append(summary, pre);
    box.append(sentence, more);
    app.replaceChildren(box);
    app.setAttribute("aria-busy", "false");
  }

  // Capture phase: also sees load errors of <script> elements (which do not
  // bubble), e.g. a missing vendor/pyscript/core.js.
  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target.tagName === "SCRIPT") {
      fail("failed to load " + (target.src || "a script"));
    } else if (event.message) {
      fail(event.message);
    }
  }, true);

  window.addEventListener("unhandledrejection", function (event) {
    var reason = event.reason;
    fail(reason && reason.message ? reason.message : reason);
  });

  // PyScript fires this when every <script type="py"> has finished. If ours
  // finished without reporting success or failure, something swallowed it.
  window.addEventListener("py:all-done", function () {
    fail(lastLine(pyErrorText()) || "Python finished without showing the dashboard");
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", localiseSkeleton);
  } else {
    localiseSkeleton();
  }
})();
