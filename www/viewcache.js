// The last dashboard a user saw, kept as a tree of plain data and rebuilt
// with createElement/textContent: never HTML, so CRM text saved in the cache
// can only ever come back as text (spec/app.md "Safety").
//   b24cView.capture(node)       -> JSON string of node's children
//   b24cView.restore(node, json) -> replaces node's children with the copy
// Event handlers are not saved: the restored view is inert until Python
// replaces it with the live one.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var SKIP = {SCRIPT: true, DIALOG: true};

  function capture(node) {
    if (node.nodeType === 3) return node.nodeValue;
    if (node.nodeType !== 1 || SKIP[node.tagName]) return null;
    var attrs = {};
    for (var i = 0; i < node.attributes.length; i++) {
      var name = node.attributes[i].name;
      if (name.slice(0, 2) !== "on") attrs[name] = node.attributes[i].value;
    }
    var kids = [];
    for (var child = node.firstChild; child; child = child.nextSibling) {
      var copy = capture(child);
      if (copy !== null) kids.push(copy);
    }
    return {t: node.tagName.toLowerCase(), s: node.namespaceURI === SVG ? 1 : 0, a: attrs, c: kids};
  }

  function build(item) {
    if (typeof item === "string") return document.createTextNode(item);
    if (!item || typeof item.t !== "string" || !/^[a-z][a-z0-9-]*$/.test(item.t) || item.t === "script") {
      return document.createTextNode("");
    }
    var node = item.s ? document.createElementNS(SVG, item.t) : document.createElement(item.t);
    var attrs = item.a || {};
    for (var name in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, name) && name.slice(0, 2) !== "on" &&
          /^[a-z][a-z0-9_:.-]*$/i.test(name)) {
        var value = String(attrs[name]);
        if ((name === "href" || name === "src") && /^\s*javascript:/i.test(value)) continue;
        node.setAttribute(name, value);
      }
    }
    (item.c || []).forEach(function (kid) { node.appendChild(build(kid)); });
    return node;
  }

  window.b24cView = {
    capture: function (node) {
      var kids = [];
      for (var child = node.firstChild; child; child = child.nextSibling) {
        var copy = capture(child);
        if (copy !== null) kids.push(copy);
      }
      return JSON.stringify(kids);
    },
    restore: function (node, json) {
      var kids = JSON.parse(json);
      if (!Array.isArray(kids)) throw new Error("not a saved view");
      node.replaceChildren.apply(node, kids.map(build));
    }
  };
})();
