/* Live skip logic for questionnaire pages. The server applies the same rules, so the page
   works without this file; with it, follow-up questions appear as soon as they apply. */
(function () {
  "use strict";
  var form = document.querySelector("[data-hg-questionnaire]");
  var engine = window.HowGood && window.HowGood.expressions;
  if (!form || !engine) { return; }
  var previousNode = document.getElementById("hg-answers");
  var previous = previousNode ? JSON.parse(previousNode.textContent) : {};
  var items = Array.prototype.slice.call(form.querySelectorAll("[data-hg-item]"));
  var shownInput = form.querySelector("[data-hg-shown]");

  function answers() {
    var result = {};
    Object.keys(previous).forEach(function (k) { result[k] = previous[k]; });
    items.forEach(function (wrapper) {
      var name = wrapper.getAttribute("data-hg-item");
      var controls = form.querySelectorAll("[name='" + name + "']");
      if (!controls.length) { return; }
      var first = controls[0];
      if (first.type === "checkbox") {
        result[name] = Array.prototype.filter.call(controls, function (c) { return c.checked; }).map(function (c) { return c.value; });
      } else if (first.type === "radio") {
        var checked = Array.prototype.filter.call(controls, function (c) { return c.checked; })[0];
        result[name] = checked ? checked.value : "";
      } else {
        result[name] = first.value;
      }
    });
    return result;
  }

  function update() {
    var current = answers();
    var shown = [];
    items.forEach(function (wrapper) {
      var ast = wrapper.getAttribute("data-relevant");
      var visible = true;
      if (ast) {
        try { visible = engine.evaluate(JSON.parse(ast), current); } catch (e) { visible = true; }
      }
      wrapper.hidden = !visible;
      if (visible) { shown.push(wrapper.getAttribute("data-hg-item")); }
    });
    if (shownInput) { shownInput.value = shown.sort().join(" "); }
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
