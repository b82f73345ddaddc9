// Turn the plain query form into YASGUI (fetched from the npm registry when the package is built: kgtool/web/assets.py).
(function () {
  "use strict";
  if (typeof Yasgui === "undefined") { return; }
  var host = document.getElementById("editor");
  var form = document.getElementById("plain-form");
  var text = document.getElementById("query-text");
  host.hidden = false;
  // A table cell shows the value as it reads; its language or datatype follows as a quiet hint (YASR's own
  // cells print the term: "1"^^<http://www.w3.org/2001/XMLSchema#integer>).
  Yasgui.Yasr.plugins.table.prototype.formatLiteral = function (binding) {
    var cell = document.createElement("span");
    cell.textContent = binding.value;
    var hint = binding["xml:lang"] || (binding.datatype || "").replace(/^.*[#/]/, "");
    if (hint && binding.datatype !== "http://www.w3.org/2001/XMLSchema#string") {
      var small = document.createElement("small");
      small.className = "term-hint";
      small.textContent = hint;
      if (binding.datatype) { small.title = binding.datatype; }
      cell.appendChild(document.createTextNode(" "));
      cell.appendChild(small);
    }
    return cell.innerHTML;
  };
  var yasgui = new Yasgui(host, {
    // YASGUI builds URLs from the endpoint (new URL(endpoint)): an absolute one, under the page's own prefix
    requestConfig: { endpoint: new URL(host.dataset.endpoint, window.location.href).href, method: "POST",
                     acceptHeaderSelect: host.dataset.accept },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return []; } },
    persistenceId: null,
    tabName: "SPARQL",
    // Autocompletion would ask prefix.cc and LOV on the internet: only the query's own variables.
    yasqe: { value: text.value, autocompleters: ["variables"], resizeable: true, editorHeight: "320px" },
    yasr: { defaultPlugin: "table", pluginOrder: ["table", "response"] }
  });
  form.hidden = true;
  var results = document.getElementById("plain-results");
  if (results) { results.hidden = true; }
  var tab = yasgui.getTab();
  tab.getYasqe().setValue(text.value);
  document.querySelectorAll("a.example").forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      var queries = JSON.parse(document.getElementById("example-queries").textContent);
      event.preventDefault();
      yasgui.getTab().getYasqe().setValue(queries[index]);
      host.scrollIntoView();
    });
  });
  // YASGUI's own markup lacks a few accessible names: give them, now and whenever it redraws.
  function label() {
    host.querySelectorAll(".CodeMirror textarea:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", text.labels && text.labels[0] ? text.labels[0].textContent : "SPARQL");
    });
    host.querySelectorAll(".CodeMirror-scroll[tabindex='-1']").forEach(function (el) { el.tabIndex = 0; });
    host.querySelectorAll("select:not([aria-label]), input:not([aria-label]):not([type=hidden])").forEach(function (el) {
      var name = el.getAttribute("placeholder") || el.getAttribute("title") || el.className || "option";
      if (el.closest("label") && el.closest("label").textContent.trim()) { return; }
      el.setAttribute("aria-label", name.replace(/([a-z])([A-Z])/g, "$1 $2"));
    });
  }
  label();
  new MutationObserver(label).observe(host, { childList: true, subtree: true });
  window.kgYasgui = yasgui;
})();
