// Accessibility fixes for markup the theme and docutils generate (found by axe-core in
// tests/test_browser.py). A control's accessible name must contain its visible text.
function quietIcons(button) {
  button.querySelectorAll("i[title]").forEach(function (icon) {
    icon.setAttribute("aria-hidden", "true");
    icon.removeAttribute("title");
  });
}

function gpuipoA11yFixes() {
  document.querySelectorAll(".search-button__button").forEach(function (button) {
    // An icon-only button (on a narrow screen) has no visible text: its name is its tooltip's.
    var visible = button.textContent.replace(/\s+/g, " ").trim();
    button.setAttribute("aria-label", visible || button.getAttribute("data-bs-original-title") || button.title || "Search");
  });
  // docutils marks the bibliography role="list" but its entries role="doc-biblioentry".
  document.querySelectorAll('.citation-list[role="list"] > [role="doc-biblioentry"]').forEach(function (entry) {
    entry.setAttribute("role", "listitem");
  });
  // The colour-mode button's icons carry titles ("Light", ...) that would become its visible text.
  document.querySelectorAll(".theme-switch-button").forEach(quietIcons);
  // The claims tables become cards on a phone (custom.css): each cell names its column.
  document.querySelectorAll('table[id^="tab-claims"]').forEach(function (table) {
    var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.replace(/\s+/g, " ").trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        if (names[i]) cell.setAttribute("data-label", names[i]);
      });
    });
  });
}
// Once the page is parsed and again once everything (the theme's deferred scripts, which may redraw its
// buttons) has run: the fixes are idempotent.
document.addEventListener("DOMContentLoaded", gpuipoA11yFixes);
window.addEventListener("load", gpuipoA11yFixes);
