// Show the event of the flow under the pointer or the keyboard focus in the details panel.
(function () {
  "use strict";
  var svg = document.querySelector("svg.evolution");
  var panel = document.querySelector("#flow-details .details-body");
  if (!svg || !panel) { return; }
  var hint = panel.innerHTML;
  function show(flow) {
    var card = document.getElementById("details-" + flow.id);
    svg.classList.add("focusing");
    svg.querySelectorAll(".flow.active").forEach(function (f) { f.classList.remove("active"); });
    flow.classList.add("active");
    if (card) { panel.innerHTML = card.innerHTML; }
  }
  function clear() {
    svg.classList.remove("focusing");
    svg.querySelectorAll(".flow.active").forEach(function (f) { f.classList.remove("active"); });
    panel.innerHTML = hint;
  }
  svg.querySelectorAll("a.flow").forEach(function (flow) {
    flow.addEventListener("mouseenter", function () { show(flow); });
    flow.addEventListener("focus", function () { show(flow); });
    flow.addEventListener("mouseleave", clear);
    flow.addEventListener("blur", clear);
  });
})();
