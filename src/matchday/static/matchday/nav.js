/* The main navigation collapses behind a "Menu" button on small screens. Loaded in the head
   (not deferred) so the page is styled for it before the first paint; without JavaScript the
   links simply stay visible. A static file: the Content-Security-Policy allows no inline
   script. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("nav-toggle");
    if (!button) return;
    var nav = button.closest("nav");
    function set(open) {
      nav.classList.toggle("open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.addEventListener("click", function () {
      set(!nav.classList.contains("open"));
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        set(false);
        button.focus();
      }
    });
  });
})();
