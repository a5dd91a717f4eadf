// One refresh per user at a time, whatever the number of tabs (the app's tab, the
// card tab, a second window): the Web Locks API, which a plain callback-shaped JS
// API is easier to use from Python through.
//
//   b24cLocks.hold(name, wait) -> Promise<release function | null>
//     wait false: null at once when another tab holds the lock;
//     wait true:  resolves when this tab holds it.
//   Call release() to let the next one in.  Without Web Locks (an old webview)
//   every tab may run: hold() resolves to a no-op release.
(function () {
  "use strict";
  window.b24cLocks = {
    hold: function (name, wait) {
      if (!navigator.locks) return Promise.resolve(function () {});
      return new Promise(function (resolve, reject) {
        navigator.locks.request(String(name), wait ? {} : {ifAvailable: true}, function (lock) {
          if (!lock) {
            resolve(null);
            return undefined;
          }
          return new Promise(function (release) { resolve(release); });
        }).catch(reject);
      });
    }
  };
})();
