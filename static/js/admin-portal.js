// The admin's "filter" search icon of two-list selectors (filter_horizontal) is a <span> that Django's SelectFilter2.js
// gives an aria-label, which a span may not have (ARIA: aria-label is prohibited on generic roles). Giving it the
// image role keeps the name for screen readers and makes the markup valid. SelectFilter2 builds the widget on "load",
// so this runs after every "load" handler.
window.addEventListener("load", function () {
  window.setTimeout(function () {
    document.querySelectorAll("span.search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }, 0);
});

// A form's error summary takes the focus when the page opens, as GOV.UK's does, so screen readers announce it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-app-error-summary]");
  if (summary) {
    summary.focus();
  }
});
