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
                     acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9" },
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
  window.kgYasgui = yasgui;
})();
