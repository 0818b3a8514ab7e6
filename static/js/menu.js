// The main menu's button on phones: opens and closes the menu (no inline script: the CSP).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll(".mainnav-toggle")) {
    button.addEventListener("click", () => {
      const nav = button.closest(".mainnav");
      const open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
});
