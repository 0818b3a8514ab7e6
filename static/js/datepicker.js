// The Vietnamese date picker on every date field (input[data-datepicker], made by
// hoptac.core.widgets.VietnameseDateInput), whatever the browser's language: dd/mm/yyyy,
// weeks from Monday, "Hôm nay" and "Xóa". vanillajs-datepicker and its `vi` locale are loaded
// before this file (base.html); fields that htmx swaps in get it too. Typing stays possible:
// the server reads 5/1/2025, 05-01-2025 or 5.1.2025 (the picker reads them the same way).
(function () {
  "use strict";

  function attach(root) {
    if (typeof Datepicker === "undefined" || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("input[data-datepicker]:not([data-datepicker-ready])").forEach(function (input) {
      input.setAttribute("data-datepicker-ready", "");
      new Datepicker(input, {
        language: "vi",
        format: "dd/mm/yyyy",
        weekStart: 1,
        autohide: true,
        todayButton: true,
        todayButtonMode: 1,
        clearButton: true,
        todayHighlight: true,
        buttonClass: "btn",
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    attach(document);
  });
  document.addEventListener("htmx:load", function (event) {
    attach(event.target);
  });
})();
