// Runs before PyScript, as a plain script, and does only what Python cannot
// do because it is not running yet:
//  1. decides the mode (docs/app.md "Two modes of one page"):
//     - in a portal (window.name is "DOMAIN|PROTOCOL|APP_SID", as Bitrix24
//       names an app's frame) it loads BX24.js from <meta name="b24c:bx24">
//       at once (a script element added to the head), waits for
//       BX24.init, asks user.current, and so knows the namespace
//       MEMBER_ID:USER_ID; then it paints the last dashboard this user saw
//       from IndexedDB (idb.js, viewcache.js), marked as cached and inert,
//       while Python starts;
//     - standalone (opened directly) it never requests BX24.js, and starts
//       downloading the demo snapshot the page will classify;
//  2. puts the skeleton's few words into the page's language;
//  3. if PyScript or Pyodide fails before our Python can report it, shows a
//     sentence with the detail behind a toggle and sets window.__pyError,
//     so neither a user nor a test waits forever on "Loading…".
//
// For Python (web/portal.py): window.b24cBoot = {mode, ready, pickLanguage}.
// `ready` resolves to {mode: "standalone", lang, language} or, in a portal,
// {mode: "portal", ns, memberId, userId, user, lang (BX24.getLang()),
// language ("en" | "ru"), isAdmin, placement, placementOptions, appOptions,
// domain, protocol, cachedView}; it rejects with an Error whose `code` is
// "no_crm_access" (user.current refused: ACCESS_DENIED, insufficient_scope)
// or "bx24_failed" (anything else), also kept in b24cBoot.error.
// Signals: window.__cachedViewAt (performance.now() when the cached view
// was painted).
//
// All other UI strings live in py/b24clients/strings.py; the language
// mapping here is the same as strings.pick_language (tests check both).
(function () {
  "use strict";

  var BOOT_TEXT = {
    en: {
      title: "Clients",
      starting: "Loading…",
      failed: "The app could not start. Reload the page; if this happens again, send the details below to your Bitrix24 administrator.",
      details: "Details",
      cached: "Cached"
    },
    ru: {
      title: "Клиенты",
      starting: "Загрузка…",
      failed: "Приложение не запустилось. Обновите страницу; если ошибка повторится, передайте подробности ниже администратору Битрикс24.",
      details: "Подробности",
      cached: "Из кэша"
    }
  };

  // Bitrix24 language codes shown with the Russian UI; everything else is English.
  var RUSSIAN_UI = {ru: true, ua: true, by: true, kz: true};
  var FRAME_NAME = /^[^|]+\|[01]?\|[^|]+$/;  // DOMAIN|PROTOCOL|APP_SID
  var DEMO_SNAPSHOT = "./demo/snapshot.json";
  var WAIT_MS = 30000;  // BX24.init and user.current; a portal that never answers must not hang the page

  function pickLanguage(value) {
    value = String(value || "").trim().toLowerCase();
    return RUSSIAN_UI[value] ? "ru" : "en";
  }

  var query = new URLSearchParams(location.search);
  var portalMode = FRAME_NAME.test(window.name || "");
  // In a portal the handler URL carries the user's LANG: a first guess until BX24.getLang().
  var lang = pickLanguage(portalMode ? query.get("LANG") : query.get("lang"));
  var text = BOOT_TEXT[lang];

  function setLanguage(code) {
    lang = code;
    text = BOOT_TEXT[lang];
    document.documentElement.lang = lang;
    document.title = text.title;
    if (document.readyState !== "loading") localiseSkeleton();
  }

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

  function domReady() {
    return new Promise(function (resolve) {
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resolve);
      else resolve();
    });
  }

  // --- failures before Python can report them ------------------------------------

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
    app.removeAttribute("inert");
    app.setAttribute("aria-busy", "false");
  }

  var bx24Src = null;

  // Capture phase: also sees load errors of <script> elements (which do not
  // bubble), e.g. a missing vendor/pyscript/core.js.
  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target.tagName === "SCRIPT") {
      // BX24.js not loading is reported by b24cBoot.ready (Python says it in words).
      if (target.hasAttribute("data-b24c-bx24")) return;
      fail("failed to load " + (target.src || "a script"));
    } else if (event.message) {
      // BX24.js throws 'Query error!' on an HTTP 5xx and never calls back:
      // Python's transport times the call out and retries it.
      if (/Query error!/.test(event.message)) return;
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

  // --- the two modes ---------------------------------------------------------------

  var boot = window.b24cBoot = {mode: portalMode ? "portal" : "standalone", pickLanguage: pickLanguage,
                                error: null, cachedView: false};

  function bootError(code, message) {
    var error = new Error(message);
    error.code = code;
    return error;
  }

  function standalone() {
    // The demo data downloads while Python starts; app.py's fetch() of the
    // same URL takes it from the preload (same mode: crossorigin).
    var link = document.createElement("link");
    link.rel = "preload";
    link.as = "fetch";
    link.href = DEMO_SNAPSHOT;
    link.crossOrigin = "anonymous";
    document.head.appendChild(link);
    return Promise.resolve({mode: "standalone", lang: query.get("lang") || "", language: lang});
  }

  function bx24Url() {
    var meta = document.querySelector('meta[name="b24c:bx24"]');
    return (meta && meta.getAttribute("content")) || "//api.bitrix24.com/api/v1/";
  }

  // BX24.js from the platform's address; `then` once it has run (or failed to
  // load). Added as an element, not written into the parser's stream: it
  // starts downloading at once all the same, nothing on the page needs it
  // before b24cBoot.ready, and Chrome may refuse a cross-site script written
  // into the stream on a slow connection (a phone in the mobile app).
  function loadBx24(then) {
    bx24Src = bx24Url();
    var script = document.createElement("script");
    script.src = bx24Src;
    script.async = false;
    script.setAttribute("data-b24c-bx24", "");
    script.onload = script.onerror = function () { then(); };
    document.head.appendChild(script);
  }

  function withTimeout(promise, what) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        reject(bootError("bx24_failed", what + ": no answer from Bitrix24 within " + WAIT_MS / 1000 + " s"));
      }, WAIT_MS);
      promise.then(function (value) { clearTimeout(timer); resolve(value); },
                   function (error) { clearTimeout(timer); reject(error); });
    });
  }

  function bx24Init() {
    return new Promise(function (resolve, reject) {
      loadBx24(function () {
        var BX24 = window.BX24;
        if (!BX24 || typeof BX24.init !== "function") {
          reject(bootError("bx24_failed", "BX24.js did not load from " + bx24Src));
          return;
        }
        BX24.init(function () { resolve(BX24); });
      });
    });
  }

  var DENIED = {ACCESS_DENIED: true, insufficient_scope: true};

  function failure(answer, status, what) {
    var code = typeof answer.error === "string" ? answer.error : (answer.error && answer.error.error) || "";
    var detail = answer.error_description || (answer.error && answer.error.error_description) || "";
    return bootError(DENIED[code] ? "no_crm_access" : "bx24_failed",
                     what + ": " + (code || "error") + (detail ? ": " + detail : "") +
                     (status ? " (HTTP " + status + ")" : ""));
  }

  // The user and the app's options in one request: user.current and
  // app.option.get as one batch (BX24.appOption.get only reads one name).
  function whoAmI(BX24) {
    return new Promise(function (resolve, reject) {
      BX24.callMethod("batch", {halt: 0, cmd: {user: "user.current", options: "app.option.get"}}, function (result) {
        var answer = result && result.answer || {};
        if (answer.error !== undefined) {
          reject(failure(answer, result.status, "user.current"));
          return;
        }
        var out = answer.result || {};
        var errors = out.result_error || {};
        if (errors.user) {
          reject(failure(errors.user, 0, "user.current"));
          return;
        }
        var user = (out.result || {}).user;
        if (!user || user.ID === undefined) {
          reject(bootError("bx24_failed", "user.current: no user in the answer"));
          return;
        }
        var options = (out.result || {}).options;
        resolve({user: user, options: options && typeof options === "object" && !Array.isArray(options) ? options : {}});
      });
    });
  }

  function formatWhen(iso) {
    var moment = new Date(iso);
    if (isNaN(moment.getTime())) return "";
    try {
      return moment.toLocaleString(lang, {day: "numeric", month: "long", year: "numeric",
                                          hour: "2-digit", minute: "2-digit"});
    } catch (e) {
      return moment.toISOString().slice(0, 16).replace("T", " ");
    }
  }

  // The last dashboard this user saw, painted at once: only over the cold
  // skeleton (never over what Python has drawn), only in the page's language.
  function showCachedView(record) {
    var app = document.getElementById("app");
    if (!record || !record.html || !app || !window.b24cView) return false;
    if (app.getAttribute("aria-busy") !== "true" || settled()) return false;
    if (record.lang && record.lang !== lang) return false;
    try {
      window.b24cView.restore(app, record.html);
    } catch (e) {
      return false;  // a broken or older record: the skeleton stays
    }
    var note = document.createElement("p");
    note.className = "cached-note";
    note.setAttribute("role", "status");
    var when = formatWhen(record.savedAt);
    note.textContent = text.cached + (when ? " · " + when : "");
    app.insertBefore(note, app.firstChild);
    app.setAttribute("data-cached", "true");
    app.inert = true;  // its controls do nothing until Python takes over (screen.mount lifts it)
    window.__cachedViewAt = performance.now();
    return true;
  }

  function portal() {
    var context = {mode: "portal"};
    return withTimeout(bx24Init(), "BX24.init").then(function (BX24) {
      setLanguage(pickLanguage(BX24.getLang()));
      var info = BX24.placement && BX24.placement.info ? BX24.placement.info() : {};
      var auth = BX24.getAuth() || {};
      context.lang = BX24.getLang() || "";
      context.language = lang;
      context.isAdmin = !!BX24.isAdmin();
      context.placement = info.placement || "DEFAULT";
      context.placementOptions = info.options || {};
      context.domain = BX24.getDomain();
      context.protocol = query.get("PROTOCOL") || (location.protocol === "https:" ? "1" : "0");
      context.memberId = String(auth.member_id || "");
      return withTimeout(whoAmI(BX24), "user.current");
    }).then(function (who) {
      context.appOptions = who.options;
      context.user = who.user;
      context.userId = String(who.user.ID);
      if (!context.memberId) throw bootError("bx24_failed", "BX24.getAuth() gave no member_id");
      context.ns = context.memberId + ":" + context.userId;
      if (!window.b24cIdb) return null;
      return window.b24cIdb.loadView(context.ns).catch(function () { return null; });
    }).then(function (record) {
      return domReady().then(function () {
        context.cachedView = showCachedView(record);
        boot.cachedView = context.cachedView;
        return context;
      });
    });
  }

  function start() {
    var ready = portalMode ? portal() : standalone();
    ready = ready.catch(function (error) {
      if (!error || !error.code) error = bootError("bx24_failed", String(error && error.message || error));
      boot.error = {code: error.code, message: error.message};
      throw error;
    });
    ready.catch(function () { /* handled by Python (portal.connect): not an unhandled rejection */ });
    return ready;
  }

  document.documentElement.lang = lang;
  document.title = text.title;
  boot.ready = start();

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", localiseSkeleton);
  } else {
    localiseSkeleton();
  }
})();
