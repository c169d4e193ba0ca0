/* The position statement's live word count: counts as people type (the server counts
   the same way when it saves; evidence markers like [evidence 12] are not words). */
(function () {
  "use strict";
  var total = document.querySelector("[data-hg-total-words]");
  var here = document.querySelector("[data-hg-section-words]");
  var boxes = document.querySelectorAll("textarea[data-hg-words]");
  if (!total || !here || !boxes.length) { return; }
  var limit = parseInt(total.getAttribute("data-limit"), 10);
  var others = parseInt(total.getAttribute("data-others"), 10) - parseInt(total.getAttribute("data-section"), 10);
  function words(text) {
    var cleaned = text.replace(/\[evidence \d+\]/g, " ");
    var found = cleaned.match(/[A-Za-z0-9\u2019'][A-Za-z0-9\u2019'\-]*/g);
    return found ? found.length : 0;
  }
  function update() {
    var count = 0;
    for (var i = 0; i < boxes.length; i++) { count += words(boxes[i].value); }
    here.textContent = count;
    var sum = others + count;
    total.textContent = sum;
    total.classList.toggle("hg-word-count--over", sum > limit);
  }
  for (var i = 0; i < boxes.length; i++) { boxes[i].addEventListener("input", update); }
})();
