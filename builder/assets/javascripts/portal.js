/* Small accessibility fixes on every page, applied once Material has set the page up:
 * - each checklist box (disabled, for printing) is labelled with the text of its item;
 * - a table too wide for the screen (Material wraps it in a frame that scrolls sideways) can
 *   be scrolled from the keyboard: its frame takes focus and is named after the table.
 */
(function () {
  "use strict";
  function fix() {
    document.querySelectorAll(".task-list-item input[type='checkbox']").forEach(function (box) {
      if (box.hasAttribute("aria-label")) return;
      var item = box.closest(".task-list-item");
      var text = item ? item.textContent.trim().replace(/\s+/g, " ") : "";
      box.setAttribute("aria-label", text ? "Checklist item: " + text.slice(0, 120) : "Checklist item");
    });
    scrollFrames();
  }
  function scrollFrames() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (frame) {
      var wide = frame.scrollWidth > frame.clientWidth + 1;
      if (wide && !frame.hasAttribute("tabindex")) {
        var heading = previousHeading(frame);
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("role", "region");
        frame.setAttribute("aria-label", "Table" + (heading ? ": " + heading : "") + ", scrolls sideways");
      } else if (!wide && frame.getAttribute("role") === "region") {
        frame.removeAttribute("tabindex");
        frame.removeAttribute("role");
        frame.removeAttribute("aria-label");
      }
    });
  }
  function previousHeading(node) {
    for (var el = node; el; el = el.previousElementSibling || el.parentElement) {
      if (/^H[1-6]$/.test(el.tagName)) return el.textContent.replace(/\u00b6/g, "").trim();
      if (el.classList && el.classList.contains("md-content__inner")) return "";
    }
    return "";
  }
  // Material wraps tables when it mounts a page; its document$ replays the page to late
  // subscribers, so this runs after the wrapping (DOMContentLoaded is the fallback).
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(fix);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
  var resizing = 0;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(scrollFrames, 200);
  });
})();
