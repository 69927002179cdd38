/* The profile editor: every section saves on its own (htmx swaps only that section), and
   the page asks before leaving while any section holds text that was not saved. No inline
   script (Content-Security-Policy). */
(function () {
  "use strict";
  var dirty = new Set();

  function formOf(target) {
    var form = target && target.closest ? target.closest("form") : null;
    return form && form.closest("main") && form.method.toLowerCase() === "post" ? form : null;
  }
  function mark(form, on) {
    if (on) dirty.add(form); else dirty.delete(form);
    var section = form.closest("section");
    if (!section) return;
    var any = Array.prototype.some.call(section.querySelectorAll("form"), function (f) {
      return dirty.has(f);
    });
    if (any) section.setAttribute("data-unsaved", "true");
    else section.removeAttribute("data-unsaved");
  }
  function forget() {
    // Forms an htmx swap removed from the page are no longer pending.
    dirty.forEach(function (form) { if (!form.isConnected) dirty.delete(form); });
  }

  document.addEventListener("input", function (event) {
    var form = formOf(event.target);
    if (form) mark(form, true);
  });
  document.addEventListener("change", function (event) {
    var form = formOf(event.target);
    if (form) mark(form, true);
  });
  // A plain submit leaves the page: that form's text is on its way, the others' are not.
  document.addEventListener("submit", function (event) {
    var form = formOf(event.target);
    if (form && !form.hasAttribute("hx-post")) mark(form, false);
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    forget();
    // A refused save comes back with the typed text in a bound form: still unsaved.
    if (event.detail.xhr && event.detail.xhr.status === 422) {
      var target = event.detail.target;
      var section = target && target.isConnected ? target : document.getElementById(target && target.id);
      if (section) section.querySelectorAll("form").forEach(function (form) {
        if (form.querySelector("[aria-invalid=true], .errorlist, .form-errors")) mark(form, true);
      });
    }
  });
  window.addEventListener("beforeunload", function (event) {
    forget();
    if (dirty.size === 0) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to show their own question
  });
})();
