// Turn the plain query form into YASGUI (the bundle is installed by scripts/fetch-web-assets).
(function () {
  "use strict";
  if (typeof Yasgui === "undefined") { return; }
  var host = document.getElementById("editor");
  var form = document.getElementById("plain-form");
  var text = document.getElementById("query-text");
  host.hidden = false;
  var yasgui = new Yasgui(host, {
    requestConfig: { endpoint: host.dataset.endpoint, method: "POST",
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
