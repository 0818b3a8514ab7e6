// The quick search in the header (templates/components/quick_search.html, #16 item 7): a
// combobox (WAI-ARIA 1.2 pattern "combobox with listbox popup") whose list htmx fills from
// /htx/tim-nhanh/. Up and down move through the matches, Enter opens the chosen one (the first
// when none is chosen), Escape closes the list; a click opens a match too. No inline script
// (the CSP): this file is loaded by base.html. Without JavaScript the form opens the list.
(() => {
  const OPEN_CLASS = "open";

  function setUp(form) {
    const input = form.querySelector("[role=combobox]");
    const popup = form.querySelector(".quick-search-popup");
    if (!input || !popup) {
      return;
    }
    let active = -1;

    const options = () => [...popup.querySelectorAll("[role=option]")];
    const listbox = () => popup.querySelector("[role=listbox]");

    // Choose the option at `index` (wrapping round the list), or none with -1.
    function choose(index, wrap = false) {
      const all = options();
      active = wrap && all.length ? (index + all.length) % all.length : index;
      if (active >= all.length) {
        active = -1;
      }
      all.forEach((option, i) => {
        const chosen = i === active;
        option.setAttribute("aria-selected", chosen ? "true" : "false");
        option.classList.toggle("active", chosen);
        if (chosen) {
          option.scrollIntoView({ block: "nearest" });
        }
      });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", all[active].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(open) {
      const list = listbox();
      const hasOptions = options().length > 0;
      const hasText = popup.textContent.trim() !== "";
      const visible = open && (hasOptions || hasText);
      if (list) {
        list.hidden = !(visible && hasOptions);
      }
      popup.classList.toggle(OPEN_CLASS, visible);
      input.setAttribute("aria-expanded", visible && hasOptions ? "true" : "false");
      if (!visible) {
        choose(-1);
      }
    }

    function openChosen() {
      const all = options();
      const option = all[active >= 0 ? active : 0];
      if (option && option.dataset.href) {
        window.location.assign(option.dataset.href);
        return true;
      }
      return false;
    }

    // htmx has put new matches in: nothing chosen yet, the list open if there is anything.
    popup.addEventListener("htmx:afterSwap", () => {
      active = -1;
      show(document.activeElement === input);
    });
    // The answer to the request htmx sends for the current text; an empty field closes.
    input.addEventListener("input", () => {
      if (input.value.trim() === "") {
        show(false);
      }
    });

    input.addEventListener("keydown", (event) => {
      const expanded = input.getAttribute("aria-expanded") === "true";
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options().length) {
          return;
        }
        event.preventDefault();
        if (!expanded) {
          show(true);
        }
        // Down from none: the first; up from none: the last.
        choose(event.key === "ArrowDown" ? active + 1 : Math.max(active, 0) - 1, true);
      } else if (event.key === "Enter") {
        if (expanded && openChosen()) {
          event.preventDefault();
        }
      } else if (event.key === "Escape") {
        if (expanded || popup.classList.contains(OPEN_CLASS)) {
          event.preventDefault();
          show(false);
        }
      }
    });

    popup.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) {
        choose(options().indexOf(option));
        openChosen();
      }
    });
    // An option is chosen with the mouse without taking the focus from the field.
    popup.addEventListener("mousedown", (event) => {
      if (event.target.closest("[role=option]")) {
        event.preventDefault();
      }
    });

    input.addEventListener("focus", () => show(true));
    form.addEventListener("focusout", (event) => {
      if (!form.contains(event.relatedTarget)) {
        show(false);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-quick-search]").forEach(setUp);
  });
})();
