// Names for the widgets Django's admin scripts build in the browser
// (see wabp_portal/admin_a11y.py for the ones the server renders).
(function () {
  "use strict";

  var labelCount = 0;

  // Name the box after the field's label (and keep what it shows as choice),
  // or, in a table row without labels, after the select's own aria-label.
  // The read-only text inside that shows the choice is named the same way.
  function name(box, select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    var shown = box.querySelector(".select2-selection__rendered");
    if (label) {
      label.id = label.id || "field-label-" + (++labelCount);
      box.setAttribute("aria-labelledby", label.id + (shown ? " " + shown.id : ""));
      if (shown) { shown.setAttribute("aria-labelledby", label.id); }
    } else if (select.getAttribute("aria-label")) {
      box.removeAttribute("aria-labelledby");
      box.setAttribute("aria-label", select.getAttribute("aria-label"));
      if (shown) { shown.setAttribute("aria-label", select.getAttribute("aria-label")); }
    }
    box.dataset.named = "true";
  }

  function fix(root) {
    // The magnifier icon of a "filter" box: a picture with a text, not a bare span.
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    // An autocomplete box (select2) is named by its current choice only, so an
    // empty one has no name: add the field's.
    root.querySelectorAll('.select2-selection[role="combobox"]:not([data-named])').forEach(function (box) {
      var container = box.closest(".select2-container");
      var select = container && container.previousElementSibling;
      if (select && select.tagName === "SELECT") { name(box, select); }
    });
  }

  new MutationObserver(function () { fix(document); })
    .observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () { fix(document); });
}());
