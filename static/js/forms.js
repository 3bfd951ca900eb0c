// Forms that lose nothing: the characters left under each limited text, a quote above the need's budget told
// before the report is sent, and the error summary brought into view. No inline script (CSP): attributes only.
(function () {
  "use strict";

  // Counted as the server counts: a line break is one character, a character outside the BMP is one.
  function length(text) {
    return Array.from(text.replace(/\r\n/g, "\n")).length;
  }

  function setUpCounter(counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    var limit = parseInt(counter.getAttribute("data-limit"), 10);
    if (!field || !(limit > 0)) {
      return;
    }
    // The browser's maxlength cuts a paste silently: the counter says how much is over, the server refuses it.
    field.removeAttribute("maxlength");
    field.setAttribute("data-maxlength", String(limit));
    var update = function () {
      var left = limit - length(field.value);
      if (left >= 0) {
        counter.textContent = counter.getAttribute("data-remaining-text").replace("{n}", String(left));
        counter.classList.remove("text-danger");
        if (field.getAttribute("data-over") === "1") {
          field.classList.remove("is-invalid");
          field.removeAttribute("data-over");
        }
      } else {
        counter.textContent = counter.getAttribute("data-over-text").replace("{n}", String(-left));
        counter.classList.add("text-danger");
        field.classList.add("is-invalid");
        field.setAttribute("data-over", "1");
      }
    };
    field.addEventListener("input", update);
    update();
  }

  function setUpBudget(field) {
    var budget = parseFloat(field.getAttribute("data-budget"));
    var warning = document.getElementById(field.getAttribute("data-budget-warning"));
    if (!warning || isNaN(budget)) {
      return;
    }
    var update = function () {
      var value = parseFloat(String(field.value).replace(/,/g, ""));
      warning.hidden = !(value > budget);
    };
    field.addEventListener("input", update);
    update();
  }

  function start() {
    document.querySelectorAll("[data-counter-for]").forEach(setUpCounter);
    document.querySelectorAll("input[data-budget]").forEach(setUpBudget);
    var summary = document.getElementById("form-errors");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
