// The Vietnamese date picker on every date field (input[data-datepicker], made by
// hoptac.core.widgets.VietnameseDateInput), whatever the browser's language: dd/mm/yyyy,
// weeks from Monday, "Hôm nay" and "Xóa". vanillajs-datepicker and its `vi` locale are loaded
// before this file (base.html); fields that htmx swaps in get it too. Typing stays possible:
// the server reads 5/1/2025, 05-01-2025, 5.1.2025 and 2025-01-05 (core.tabular.cells.read_date),
// and so must the picker, which rewrites the field when it loses focus: `readTyped` reads the
// same forms by the same rules (day first; a two-digit year only where one century fits).
(function () {
  "use strict";

  var DAY_FIRST = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4}|\d{2})$/;
  var YEAR_FIRST = /^(\d{4})[\/.\-](\d{1,2})[\/.\-](\d{1,2})$/;

  function fullYear(text) {
    var year = parseInt(text, 10);
    if (text.length === 4) {
      return year;
    }
    var thisYear = new Date().getFullYear();
    if (2000 + year <= thisYear) {
      return 2000 + year;
    }
    return year >= 50 ? 1900 + year : NaN;
  }

  function readTyped(text) {
    var value = String(text).trim();
    var match = DAY_FIRST.exec(value);
    var year, month, day;
    if (match) {
      day = parseInt(match[1], 10); month = parseInt(match[2], 10); year = fullYear(match[3]);
    } else if ((match = YEAR_FIRST.exec(value))) {
      year = parseInt(match[1], 10); month = parseInt(match[2], 10); day = parseInt(match[3], 10);
    } else {
      return NaN;
    }
    var date = new Date(year, month - 1, day);
    if (isNaN(date) || date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) {
      return NaN;  // 30/02/2025 is no day: the picker puts back the last date picked
    }
    return date;
  }

  var FORMAT = {
    toValue: function (text) {
      return readTyped(text);
    },
    toDisplay: function (date) {
      return Datepicker.formatDate(date, "dd/mm/yyyy", "vi");
    },
  };

  function attach(root) {
    if (typeof Datepicker === "undefined" || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("input[data-datepicker]:not([data-datepicker-ready])").forEach(function (input) {
      input.setAttribute("data-datepicker-ready", "");
      new Datepicker(input, {
        language: "vi",
        format: FORMAT,
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
