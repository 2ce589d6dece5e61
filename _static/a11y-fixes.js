// Accessibility fixes for markup the theme and docutils generate (found by axe-core in
// tests/test_browser.py). A control's accessible name must contain its visible text.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".search-button__button").forEach(function (button) {
    button.setAttribute("aria-label", button.textContent.replace(/\s+/g, " ").trim());
  });
  // docutils marks the bibliography role="list" but its entries role="doc-biblioentry".
  document.querySelectorAll('.citation-list[role="list"] > [role="doc-biblioentry"]').forEach(function (entry) {
    entry.setAttribute("role", "listitem");
  });
  document.querySelectorAll(".theme-switch-button i[title]").forEach(function (icon) {
    icon.setAttribute("aria-hidden", "true");
    icon.removeAttribute("title");
  });
});
