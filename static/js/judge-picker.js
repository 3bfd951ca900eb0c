// The judge picker of the assignment board: as the organizer types, suggest matching judges (name,
// organization, load) from the page's JSON endpoint, and put the chosen judge's id in the hidden field.
// Without this script the organizer types the judge's user name, which the server looks up.
(function () {
  "use strict";
  document.querySelectorAll("[data-judge-search]").forEach(function (input) {
    var form = input.form;
    var hidden = form.querySelector("input[name='judge_id']");
    var list = document.getElementById(input.getAttribute("list"));
    var found = {};
    var timer = null;

    function choose() {
      hidden.value = found[input.value] || "";
    }

    function suggest() {
      var url = input.getAttribute("data-judge-search") + "?q=" + encodeURIComponent(input.value);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { judges: [] }; })
        .then(function (data) {
          found = {};
          list.replaceChildren.apply(list, data.judges.map(function (judge) {
            var option = document.createElement("option");
            option.value = judge.label;
            found[judge.label] = String(judge.id);
            return option;
          }));
          choose();
        })
        .catch(function () { /* no suggestions: the typed user name still works */ });
    }

    input.addEventListener("input", function () {
      choose();
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 200);
    });
    input.addEventListener("change", choose);
  });
}());
