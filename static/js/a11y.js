// A table wider than its box scrolls sideways inside it (.table-responsive): the box takes the keyboard focus so
// that the arrow keys scroll it too (WCAG 2.1.1); named after the table's caption where it has one.
(function () {
  function reachable() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
        var caption = box.querySelector("caption");
        if (caption && caption.textContent.trim()) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  reachable();
  window.addEventListener("resize", reachable);
})();
