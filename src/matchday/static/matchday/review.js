/* The review table: keyboard shortcuts for reviewing in sequence, the selection count of
   bulk actions, and keeping the current row after htmx replaces it. No inline script
   (Content-Security-Policy): this file is the page's only behaviour besides htmx. */
(function () {
  "use strict";
  var table = document.getElementById("review-table");
  if (!table) return;
  var currentId = null;

  function rows() {
    return Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-proposal]"));
  }
  function current() {
    return currentId ? document.getElementById(currentId) : null;
  }
  function select(row, focus) {
    var old = current();
    if (old) { old.classList.remove("current"); old.removeAttribute("aria-current"); }
    currentId = row ? row.id : null;
    if (!row) return;
    row.classList.add("current");
    row.setAttribute("aria-current", "true");
    if (focus !== false) {
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }
  }
  function move(delta) {
    var all = rows();
    var i = all.indexOf(current());
    var next = all[Math.min(all.length - 1, Math.max(0, i + delta))];
    if (next) select(next);
  }
  function nextPending(from) {
    var all = rows();
    for (var i = all.indexOf(from) + 1; i < all.length; i++) {
      if (all[i].classList.contains("proposal-pending")) return all[i];
    }
    return null;
  }
  function press(selector) {
    var row = current();
    var el = row && row.querySelector(selector);
    if (el && !el.disabled) el.click();
  }
  function follow(rel) {
    var link = document.querySelector('.pagination a[rel="' + rel + '"]');
    if (link) window.location.assign(link.href);
  }
  function updateCount() {
    var n = table.querySelectorAll("input.select-row:checked").length;
    var out = document.getElementById("selected-count");
    if (out) out.textContent = n + " selected";
  }

  // Keys act on the state the partner sees once the previous action has finished: while a
  // row's request is in flight (from its swap until the current row has moved on), keys are
  // queued and replayed in order after the table settles. Without this, "x" pressed right
  // after a rejection ticked the rejected row, which then was no longer the current one.
  var busy = false;
  var queue = [];
  function handle(key) {
    switch (key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": press('[data-action="approve"]'); break;
      case "u": press('[data-action="undo"]'); break;
      case "o": press('[data-action="open"]'); break;
      case "n": follow("next"); break;
      case "p": follow("prev"); break;
      case "x": {
        var box = current() && current().querySelector("input.select-row");
        if (box) { box.checked = !box.checked; updateCount(); }
        break;
      }
      case "r": {
        var row = current();
        var details = row && row.querySelector("details.reject-box");
        if (!details) return;
        details.open = true;
        details.querySelector("[data-reason]").focus();
        break;
      }
    }
  }
  function release() {
    busy = false;
    // Replay one key at a time; a replayed key may start a request, which queues the rest.
    while (queue.length && !busy) handle(queue.shift());
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, button, [contenteditable]")) {
      if (event.key === "Escape" && target.blur) {
        target.blur();
        var box = target.closest("details");
        if (box) box.open = false;
        select(current());
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if ("jkauonpxr".indexOf(event.key) === -1 || event.key.length !== 1) return;
    event.preventDefault();
    if (busy) queue.push(event.key);
    else handle(event.key);
  });

  // A decision replaced the current row: keep it current, or after approving or rejecting
  // move on to the next proposal still awaiting review. One response settles several
  // elements (the row and the status counts), so each request is handled once.
  var lastRequest = null;
  var swapping = false;
  function fromTable(event) {
    return event.detail.elt && table.contains(event.detail.elt);
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var action = (event.detail.elt && event.detail.elt.getAttribute("hx-post")) || "";
    lastRequest = /\/(approve|reject)\/$/.test(action) ? "decide" : "other";
    if (fromTable(event)) { busy = true; swapping = true; }
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.shouldSwap) swapping = false;
  });
  // A failed request, or one whose answer is not swapped in, never settles: stop queueing.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (busy && (event.detail.failed || !swapping)) { lastRequest = null; release(); }
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    var request = lastRequest;
    lastRequest = null;
    if (!request) return;
    var row = current();  // ids are stable: the replaced row is found again by its id
    if (row) {
      var ok = !row.querySelector(".actions .form-errors");
      // Never take the focus from a field the partner is already typing in.
      var active = document.activeElement;
      var typing = active && active.closest && active.closest("input, textarea, select");
      select(request === "decide" && ok ? nextPending(row) || row : row, !typing);
      updateCount();
    }
    if (busy) window.setTimeout(release, 0);  // after every element of this swap settled
  });

  table.addEventListener("click", function (event) {
    var row = event.target.closest("tr[data-proposal]");
    if (row) select(row, false);
  });
  table.addEventListener("change", function (event) {
    if (event.target.id === "select-all") {
      table.querySelectorAll("input.select-row").forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
    updateCount();
  });

  var first = rows().filter(function (r) { return r.classList.contains("proposal-pending"); })[0] || rows()[0];
  select(first, false);
  updateCount();
})();
