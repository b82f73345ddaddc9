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
  // A box's name may be shortened in the diagram: its full names (its <title>) in the panel.
  svg.querySelectorAll("a.box").forEach(function (box) {
    function name() {
      var title = box.querySelector("title");
      var p = document.createElement("p");
      p.className = "box-name";
      p.textContent = title ? title.textContent : "";
      panel.replaceChildren(p);
    }
    box.addEventListener("mouseenter", name);
    box.addEventListener("focus", name);
    box.addEventListener("mouseleave", clear);
    box.addEventListener("blur", clear);
  });
  svg.querySelectorAll("a.flow").forEach(function (flow) {
    flow.addEventListener("mouseenter", function () { show(flow); });
    flow.addEventListener("focus", function () { show(flow); });
    flow.addEventListener("mouseleave", clear);
    flow.addEventListener("blur", clear);
  });
})();
