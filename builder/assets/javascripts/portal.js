/* Small accessibility fixes on every page, applied as soon as the page is parsed:
 * - Material's search dialog gets an accessible name;
 * - each checklist box (disabled, for printing) is labelled with the text of its item.
 */
(function () {
  "use strict";
  function fix() {
    document.querySelectorAll(".md-search[role='dialog']").forEach(function (dialog) {
      if (!dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
    });
    document.querySelectorAll(".task-list-item input[type='checkbox']").forEach(function (box) {
      if (box.hasAttribute("aria-label")) return;
      var item = box.closest(".task-list-item");
      var text = item ? item.textContent.trim().replace(/\s+/g, " ") : "";
      box.setAttribute("aria-label", text ? "Checklist item: " + text.slice(0, 120) : "Checklist item");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fix);
  else fix();
})();
