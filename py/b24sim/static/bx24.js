/*
 * b24sim's stand-in for //api.bitrix24.com/api/v1/ (BX24.js).
 *
 * Written for the simulated portal from the documented API
 * (bitrix24-rest.md §1.1, §1.5, §2.2, §3.1, §5.2, §6): the frame protocol to
 * the parent window (the portal shell) and the REST endpoint over XHR.  It
 * keeps the real library's documented quirks, because the app must survive
 * them:
 *   - callMethod drops params.start (only result.next() pages);
 *   - an HTTP 5xx, a network error or an answer that is not JSON throws
 *     'Query error!' and the callback is never called;
 *   - 401 expired_token: the token is refreshed through the parent and the
 *     call re-sent; the callback sees only the second answer;
 *   - a client-side throttle: 90 requests at once, then 2 per second.
 * Where it differs from the real library: docs/simulator.md.
 */
(function () {
  'use strict';

  var P = {
    DOMAIN: '', PROTOCOL: 0, APP_SID: '', PATH: '', LANG: '',
    AUTH_ID: '', REFRESH_ID: '', AUTH_EXPIRES: 0, MEMBER_ID: '', IS_ADMIN: false,
    PLACEMENT: '', PLACEMENT_OPTIONS: {}, APP_OPTIONS: {}, USER_OPTIONS: {}
  };

  /* window.name is "DOMAIN|PROTOCOL|APP_SID" (PROTOCOL 1 = https) */
  var name = (window.name || '').split('|');
  P.DOMAIN = (name[0] || '').replace(/:(80|443)$/, '');
  P.PROTOCOL = parseInt(name[1], 10) || 0;
  P.APP_SID = name[2] || '';
  if (!P.DOMAIN || !P.APP_SID) {
    window.BX24 = null;
    throw new Error('Unable to initialize Bitrix24 JS library!');
  }

  var BX24 = window.BX24 = {};
  var noop = function () {};

  function defer(fn, ms) { setTimeout(fn, ms || 10); }
  function portal() { return (P.PROTOCOL ? 'https' : 'http') + '://' + P.DOMAIN; }

  /* --- frame protocol: up "cmd:JSON:callbackId:APP_SID", down "callbackId:JSON" --- */

  var callbacks = {}, lastId = 0;

  function send(cmd, params, cb) {
    if (typeof params === 'function') { cb = params; params = null; }
    var id = '';
    if (cb) {
      id = 'c' + (++lastId) + Math.random().toString(36).slice(2, 10);
      callbacks[id] = cb;
    }
    parent.postMessage(cmd + ':' + (params ? JSON.stringify(params) : '') + ':' + id + ':' + P.APP_SID, portal());
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== portal() || typeof event.data !== 'string') return;
    var cut = event.data.indexOf(':');
    var id = cut < 0 ? event.data : event.data.slice(0, cut);
    var text = cut < 0 ? '' : event.data.slice(cut + 1);
    if (callbacks[id]) callbacks[id].call(window, text ? JSON.parse(text) : []);
  });

  /* --- init and install (§6.1) --- */

  var initialized = false, initQueue = [], installQueue = [];

  BX24.init = function (cb) { if (cb) initQueue.push(cb); };
  BX24.install = function (cb) { if (cb) installQueue.push(cb); };
  BX24.installFinish = function () { send('setInstallFinish', {}); };

  function setAuth(data) {
    P.AUTH_ID = data.AUTH_ID;
    P.REFRESH_ID = data.REFRESH_ID;
    P.AUTH_EXPIRES = Date.now() + data.AUTH_EXPIRES * 1000;
  }

  function runInstallers(done) {
    var installer = installQueue.shift();
    if (!installer) {
      BX24.installFinish = noop;
      send('setInstall', {install: true});
      defer(done);
      return;
    }
    BX24.installFinish = function () { runInstallers(done); };
    if (typeof installer === 'function') {
      try { installer.call(document); } catch (e) { console.error('Installation failed!', e); }
    } else {
      var script = document.createElement('script');
      script.src = installer;
      document.head.appendChild(script);
    }
  }

  send('getInitData', function (data) {
    P.PATH = data.PATH;
    P.LANG = data.LANG;
    P.PROTOCOL = data.PROTOCOL;
    P.PLACEMENT = data.PLACEMENT;
    P.PLACEMENT_OPTIONS = data.PLACEMENT_OPTIONS || {};
    setAuth(data);
    P.IS_ADMIN = !!data.IS_ADMIN;
    P.MEMBER_ID = data.MEMBER_ID || '';
    P.APP_OPTIONS = data.APP_OPTIONS || {};
    P.USER_OPTIONS = data.USER_OPTIONS || {};
    initialized = true;
    defineOptions();

    var start = function () {
      BX24.init = function (cb) { defer(function () { cb.call(document); }); };
      if (!data.INSTALL) BX24.installFinish = noop;
      var queued = initQueue;
      initQueue = [];
      queued.forEach(function (cb) { BX24.init(cb); });
    };
    if (data.FIRST_RUN && installQueue.length) runInstallers(start);
    else start();
  });

  /* --- auth (§5.2): expires_in is an absolute ms timestamp --- */

  BX24.getAuth = function () {
    return initialized && P.AUTH_EXPIRES > Date.now()
      ? {access_token: P.AUTH_ID, refresh_token: P.REFRESH_ID, expires_in: P.AUTH_EXPIRES,
         domain: P.DOMAIN, member_id: P.MEMBER_ID}
      : false;
  };

  BX24.refreshAuth = function (cb) {
    if (!initialized) return;
    send('refreshAuth', {}, function (data) {
      setAuth(data);
      if (cb) cb(BX24.getAuth());
    });
  };

  BX24.isAdmin = function () { return !!P.IS_ADMIN; };
  BX24.getLang = function () { return P.LANG; };
  BX24.getDomain = function () { return P.DOMAIN; };

  /* --- REST (§1.1, §1.5) --- */

  /* The real library's client-side throttle: 90 at once, then 2 per second. */
  var pace = {amount: 0, at: 0, MAX: 90, PER_MS: 0.002, WAIT_MS: 1000};

  function ajax(query) {
    var now = Date.now();
    if (pace.at) pace.amount = Math.max(0, pace.amount - (now - pace.at) * pace.PER_MS);
    pace.at = now;
    if (pace.amount >= pace.MAX) {
      defer(function () { ajax(query); }, pace.WAIT_MS);
      return undefined;
    }
    pace.amount++;
    return request(query);
  }

  function isSuccess(status) {
    return (status >= 200 && status < 300) || status === 304 || (status >= 400 && status < 500);
  }

  function refreshAndResend(query) {
    BX24.refreshAuth(function () {
      query.refreshed = true;  // one silent retry per call (the real library has no limit)
      ajax(query);
    });
  }

  function request(query) {
    if (!initialized) {
      BX24.init(function () { request(query); });
      return undefined;
    }
    if (P.AUTH_EXPIRES < Date.now()) {
      refreshAndResend(query);
      return undefined;
    }
    var xhr = new XMLHttpRequest();
    xhr.open('POST', portal() + P.PATH + '/' + encodeURIComponent(query.method) + '.json');
    xhr.onload = function () {
      var status = xhr.status, answer;
      if (!isSuccess(status)) throw 'Query error!';
      try {
        answer = xhr.responseText.length ? JSON.parse(xhr.responseText) : {result: {}};
      } catch (e) {
        throw 'Query error!';
      }
      if (answer.error === 'expired_token' && !query.refreshed) {
        refreshAndResend(query);
      } else if (typeof query.callback === 'function') {
        query.callback.call(window, new AjaxResult(answer, query, status));
      }
    };
    xhr.onerror = function () { throw 'Query error!'; };

    var body = 'auth=' + P.AUTH_ID;
    if (query.start !== undefined) body += '&start=' + parseInt(query.start, 10);
    if (query.data) {
      if (query.data.start) delete query.data.start;  // the documented defect (§2.2)
      body += '&' + encode(query.data, '');
    }
    xhr.send(body);
    return xhr;
  }

  /* PHP-style a[b][c]=v, as the real prepareData writes it: scalars first, then
     nested values; an empty array is "name=", a Date its toJSON(), null nothing. */
  function encode(data, prefix) {
    if (data === null || data === undefined || typeof data === 'string') return data || '';
    var parts = [], nested = [];
    Object.keys(data).forEach(function (key) {
      var name = encodeURIComponent(key), value = data[key];
      if (prefix) name = prefix + '[' + name + ']';
      if (typeof value === 'object') nested.push([name, value]);
      else parts.push(name + '=' + encodeURIComponent(value));
    });
    nested.forEach(function (pair) {
      var name = pair[0], value = pair[1], text;
      if (value instanceof Date) text = name + '=' + encodeURIComponent(value.toJSON());
      else if (Array.isArray(value) && value.length === 0) text = name + '=';
      else text = encode(value, name);
      if (text) parts.push(text);
    });
    return parts.join('&');
  }

  function clone(value) {
    if (value === null || typeof value !== 'object') return value;
    if (value instanceof Date) return new Date(value.getTime());
    var copy = Array.isArray(value) ? [] : {};
    Object.keys(value).forEach(function (key) { copy[key] = clone(value[key]); });
    return copy;
  }

  function AjaxResult(answer, query, status) {
    this.answer = answer;
    this.query = {method: query.method, data: clone(query.data), callback: query.callback, start: query.start};
    this.status = status;
    if (answer.next !== undefined) answer.next = parseInt(answer.next, 10);
    if (answer.error !== undefined) {
      answer.ex = new AjaxError(status, typeof answer.error === 'string' ? answer : answer.error);
    }
  }
  AjaxResult.prototype.data = function () { return this.answer.result; };
  AjaxResult.prototype.error = function () { return this.answer.ex; };
  AjaxResult.prototype.error_description = function () { return this.answer.error_description; };
  AjaxResult.prototype.more = function () { return !isNaN(this.answer.next); };
  AjaxResult.prototype.total = function () { return parseInt(this.answer.total, 10); };
  AjaxResult.prototype.time = function () { return this.answer.time; };
  AjaxResult.prototype.next = function (cb) {
    if (!this.more()) return false;
    this.query.start = this.answer.next;
    if (typeof cb === 'function') this.query.callback = cb;
    return ajax(this.query);
  };

  function AjaxError(status, ex) { this.status = status; this.ex = ex; }
  AjaxError.prototype.getError = function () { return this.ex; };
  AjaxError.prototype.getStatus = function () { return this.status; };
  AjaxError.prototype.toString = function () {
    return this.ex.error + (this.ex.error_description ? ': ' + this.ex.error_description : '') +
      ' (' + this.status + ')';
  };

  BX24.callMethod = function (method, params, callback) {
    return ajax({method: method, data: params, callback: callback});
  };

  /* calls: [[method, params], ...], [{method, params}, ...] or {key: [method, params], ...} (§3.1) */
  BX24.callBatch = function (calls, callback, haltOnError) {
    var list = Array.isArray(calls), cmd = list ? [] : {}, queries = {}, count = 0;
    Object.keys(calls).forEach(function (key) {
      var call = calls[key], method = null, params = null;
      if (!call) return;
      if (Array.isArray(call)) { method = call[0]; params = call[1]; }
      else if (call.method) { method = call.method; params = call.params; }
      if (!method) return;
      cmd[key] = method + '?' + encode(params, '');
      queries[key] = {method: method, data: params};
      count++;
    });
    if (!count) return undefined;
    return ajax({method: 'batch', data: {halt: haltOnError ? 1 : 0, cmd: cmd}, callback: function (res) {
      if (!callback) return;
      var data = res.data(), results = list ? [] : {};
      Object.keys(queries).forEach(function (key) {
        if (data.result[key] === undefined && data.result_error[key] === undefined) return;
        results[key] = new AjaxResult({
          result: data.result[key] !== undefined ? data.result[key] : {},
          error: data.result_error[key] || undefined,
          total: data.result_total[key],
          next: data.result_next[key]
        }, {method: queries[key].method, data: queries[key].data, callback: callback}, res.status);
      });
      callback.call(window, results);
    }});
  };

  BX24.callBind = function (event, handler, authType, callback) {
    if (!BX24.isAdmin()) return false;
    return BX24.callMethod('event.bind', {event: event || '', handler: handler || '',
                                          auth_type: authType === undefined ? 0 : authType}, callback);
  };
  BX24.callUnbind = BX24.callUnBind = function (event, handler, authType, callback) {
    if (!BX24.isAdmin()) return false;
    var params = {event: event || '', handler: handler || ''};
    if (authType !== undefined && authType !== null) params.auth_type = authType;
    return BX24.callMethod('event.unbind', params, callback);
  };

  /* --- the window and the portal around it (§6.2) --- */

  BX24.getScrollSize = function () {
    var root = document.documentElement;
    return {scrollWidth: Math.max(root.scrollWidth, root.offsetWidth),
            scrollHeight: Math.max(root.scrollHeight, root.offsetHeight)};
  };
  BX24.resizeWindow = function (width, height, cb) {
    width = parseInt(width, 10);
    height = parseInt(height, 10);
    if (width > 0 && height > 0) send('resizeWindow', {width: width, height: height}, cb);
  };
  BX24.fitWindow = function (cb) {
    send('resizeWindow', {width: '100%', height: BX24.getScrollSize().scrollHeight}, cb);
  };
  BX24.reloadWindow = function (cb) { send('reloadWindow', {}, cb); };
  BX24.setTitle = function (title, cb) { send('setTitle', {title: String(title)}, cb); };
  BX24.scrollParentWindow = function (scroll, cb) {
    scroll = parseInt(scroll, 10);
    if (!isNaN(scroll)) send('setScroll', {scroll: scroll}, cb);
  };
  BX24.openPath = function (path, cb) { send('openPath', {path: path}, cb); };
  /* The app again, in a slider: params become its PLACEMENT_OPTIONS, settings go along as
     bx24_* keys; closeCallback is called without arguments once the slider is closed. */
  BX24.openApplication = function (params, closeCallback, settings) {
    var options = {};
    Object.keys(params || {}).forEach(function (key) { options[key] = params[key]; });
    Object.keys(settings || {}).forEach(function (key) { options['bx24_' + key] = settings[key]; });
    send('openApplication', options, function () { if (typeof closeCallback === 'function') closeCallback(); });
  };
  BX24.closeApplication = function (cb) { send('closeApplication', {}, cb); };

  BX24.placement = {
    info: function () { return {placement: P.PLACEMENT, options: P.PLACEMENT_OPTIONS}; },
    getInterface: function (cb) { send('getInterface', cb); },
    call: function (cmd, params, cb) {
      if (BX24[cmd]) return;
      if (typeof params === 'function') { cb = params; params = {}; }
      send(cmd, params, cb);  // the portal ignores commands the placement does not know
    },
    bindEvent: function (event, cb) { send('placementBindEvent', {event: event}, cb); }
  };

  /* --- options (§6.2): values from the init data; appOption.set only for admins --- */

  BX24.appOption = BX24.userOption = {get: noop, set: noop};

  function defineOptions() {
    BX24.userOption = {
      get: function (name) { return P.USER_OPTIONS[name]; },
      set: function (name, value) {
        P.USER_OPTIONS[name] = value;
        send('setUserOption', {name: name, value: value});
      }
    };
    BX24.appOption = {
      get: function (name) { return P.APP_OPTIONS[name]; },
      set: BX24.isAdmin() ? function (name, value, cb) {
        P.APP_OPTIONS[name] = value;
        send('setAppOption', {name: name, value: value}, cb);
      } : noop
    };
  }

  /* --- DOM readiness --- */

  var ready = false, readyQueue = [];
  BX24.isReady = function () { return ready; };
  BX24.ready = function (fn) {
    if (typeof fn !== 'function') return;
    if (ready) defer(function () { fn.call(document); });
    else readyQueue.push(fn);
  };
  function onReady() {
    if (ready) return;
    ready = true;
    readyQueue.forEach(function (fn) { BX24.ready(fn); });
    readyQueue = [];
  }
  if (document.readyState === 'complete') onReady();
  else {
    document.addEventListener('DOMContentLoaded', onReady);
    window.addEventListener('load', onReady);
  }
})();
