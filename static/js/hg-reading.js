/* Reading a record: "Save and continue" never races the page's own autosave.
   The server already treats a page's own autosave as no conflict and drops one that arrives
   after the page's save; this keeps the two from crossing in the first place:
   - an autosave still waiting for its delay when the form is sent is cancelled (the save
     carries every answer it would have);
   - while an autosave is on its way, the save waits for it (so it sends the version the
     autosave made), then goes, with the button that was pressed.
   The page works without this file and without htmx. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-hg-autosave]");
  if (!form) { return; }
  var inFlight = false;
  var sending = false;
  var waiting = null;  // {submitter} of a press held until the autosave answers

  function send() {
    var held = waiting;
    waiting = null;
    if (!held) { return; }
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(held.submitter || undefined);
    } else {
      if (held.submitter && held.submitter.name) {
        var carried = document.createElement("input");
        carried.type = "hidden";
        carried.name = held.submitter.name;
        carried.value = held.submitter.value;
        form.appendChild(carried);
      }
      sending = true;
      form.submit();
    }
  }

  form.addEventListener("htmx:beforeRequest", function (event) {
    if (event.target !== form) { return; }
    if (sending || waiting) {
      event.preventDefault();  // the save is going (or about to): it carries these answers
      return;
    }
    inFlight = true;
  });
  form.addEventListener("htmx:afterRequest", function (event) {
    if (event.target !== form) { return; }
    inFlight = false;
    send();
  });
  form.addEventListener("submit", function (event) {
    if (event.defaultPrevented) { return; }
    if (inFlight) {
      event.preventDefault();
      waiting = { submitter: event.submitter || null };
      var status = document.getElementById("autosave-status");
      if (status) { status.textContent = "Saving your answers…"; }
      // Never hold the press for long: the server copes with a crossing anyway.
      window.setTimeout(function () { inFlight = false; send(); }, 4000);
      return;
    }
    sending = true;
  });
  // Coming back with the browser's Back button shows the page from its cache: start afresh.
  window.addEventListener("pageshow", function () { sending = false; waiting = null; });
})();
