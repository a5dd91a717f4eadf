/*
 * The portal shell's side of the BX24 frame protocol (bitrix24-rest.md §6.1).
 *
 * The app frame posts "cmd:JSON params:callbackId:APP_SID" to this window; we
 * relay each message to the simulator (POST /_shell/message), which decides
 * the answer and the effect on the page, then post "callbackId:JSON answer"
 * back to the frame.  Every message and its answer is kept in
 * window.__shellLog for tests: {cmd, params, callback, answer?, effect?, at}.
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('shell-config').textContent);
  var log = window.__shellLog = [];
  var shell = window.__shell = {config: config, title: '', size: null, paths: [], scroll: null, reloadData: 0,
                                applications: []};
  var openedApplication = null;  /* the log entry of the openApplication whose slider is open */

  function frame() { return document.getElementById('app-frame'); }
  function frameOrigin() { return new URL(frame().src, location.href).origin; }

  /* "cmd:params:callback:sid" — params is JSON and may itself hold ':' */
  function parse(data) {
    var first = data.indexOf(':'), last = data.lastIndexOf(':');
    if (first < 0 || last === first) return null;
    var middle = data.slice(first + 1, last), cut = middle.lastIndexOf(':');
    if (cut < 0) return null;
    var json = middle.slice(0, cut);
    return {cmd: data.slice(0, first), params: json ? JSON.parse(json) : null,
            callback: middle.slice(cut + 1), sid: data.slice(last + 1)};
  }

  function reply(callback, answer) {
    if (!callback) return;
    var text = answer === null || answer === undefined ? '' : JSON.stringify(answer);
    frame().contentWindow.postMessage(callback + ':' + text, frameOrigin());
  }

  function apply(effect, entry) {
    var f = frame();
    if (effect.navigate) f.src = effect.navigate;
    if (effect.resize) {
      var w = effect.resize.width, h = effect.resize.height;
      if (w) f.style.width = /%$/.test(String(w)) ? w : parseInt(w, 10) + 'px';
      if (h) f.style.height = parseInt(h, 10) + 'px';
      shell.size = effect.resize;
    }
    if ('title' in effect) {
      shell.title = effect.title;
      document.getElementById('shell-title').textContent = effect.title;
    }
    if ('scroll' in effect) {  // BX24.scrollParentWindow: the portal's page scrolls to that offset
      shell.scroll = effect.scroll;
      window.scrollTo(0, parseInt(effect.scroll, 10) || 0);
    }
    if (effect.reloadData) shell.reloadData++;
    if (effect.application) {
      shell.applications.push(effect.application);
      if (openedApplication) closeApplication();
      openedApplication = entry;
      document.getElementById('app-slider-frame').src = effect.application;
      document.getElementById('app-slider').hidden = false;
      document.getElementById('app-slider-close').onclick = closeApplication;
    }
    if (effect.closeApplication && window.parent !== window) {
      /* this page is the slider of an openApplication: the page around it closes it */
      window.parent.postMessage({b24simShell: 'closeApplication'}, location.origin);
    }
    if (effect.slider) {
      shell.paths.push(effect.slider);
      document.getElementById('slider-path').textContent = effect.slider;
      var slider = document.getElementById('slider');
      slider.hidden = false;
      document.getElementById('slider-close').onclick = function () {
        slider.hidden = true;
        entry.answer = {result: 'close'};
        reply(entry.callback, entry.answer);
      };
    }
  }

  /* Time travel between two opens (POST /_sim/travel): resolves with the portal's answer
     {from, to, date, rung, pings}; the page shows the new portal date. */
  window.__simTravel = function (days, extra) {
    var amounts = Object.assign({days: days || 0}, extra || {});
    return fetch('/_sim/travel', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                  body: JSON.stringify(amounts)})
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        var shown = document.getElementById('portal-date');
        if (shown && answer.date) shown.textContent = answer.date;
        shell.travels = (shell.travels || []).concat([answer]);
        return answer;
      });
  };

  function closeApplication() {
    var entry = openedApplication;
    openedApplication = null;
    document.getElementById('app-slider').hidden = true;
    document.getElementById('app-slider-frame').src = 'about:blank';
    if (entry) {
      entry.answer = null;  /* BX24.openApplication's closeCallback: called without arguments */
      reply(entry.callback, null);
    }
  }

  window.addEventListener('message', function (event) {
    var slider = document.getElementById('app-slider-frame');
    if (slider && event.source === slider.contentWindow && event.origin === location.origin
        && event.data && event.data.b24simShell === 'closeApplication') {
      closeApplication();
      return;
    }
    var f = frame();
    if (!f || event.source !== f.contentWindow || event.origin !== frameOrigin()) return;
    if (typeof event.data !== 'string') return;
    var message;
    try { message = parse(event.data); } catch (e) { message = null; }
    if (!message || message.sid !== config.app_sid) {
      log.push({ignored: String(event.data), at: Date.now()});
      return;
    }
    var entry = {cmd: message.cmd, params: message.params, callback: message.callback, at: Date.now()};
    log.push(entry);
    fetch('/_shell/message', {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({sid: config.app_sid, cmd: message.cmd, params: message.params})
    }).then(function (response) {
      if (!response.ok) throw new Error('shell: HTTP ' + response.status);
      return response.json();
    }).then(function (out) {
      if (out.effect) { entry.effect = out.effect; apply(out.effect, entry); }
      if ('answer' in out) { entry.answer = out.answer; reply(message.callback, out.answer); }
      if (!('answer' in out) && !out.effect) entry.ignored = true;
    }).catch(function (error) {
      entry.failed = String(error);
    });
  });
})();
