// The organization picker of the team registration: as a member's organization is typed, suggest the
// organizations already registered (from the JSON endpoint in data-org-search), so members pick the name on
// file. Without this script the typed name is kept, and written as the registered one when it matches.
(function () {
  "use strict";
  var list = document.getElementById("registered-orgs");
  if (!list) { return; }
  var timer = null;

  function suggest(input) {
    var url = input.getAttribute("data-org-search") + "?q=" + encodeURIComponent(input.value);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { organizations: [] }; })
      .then(function (data) {
        list.replaceChildren.apply(list, data.organizations.map(function (name) {
          var option = document.createElement("option");
          option.value = name;
          return option;
        }));
      })
      .catch(function () { /* no suggestions: the typed name still works */ });
  }

  document.querySelectorAll("[data-org-search]").forEach(function (input) {
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      if (input.value.trim().length >= 2) {
        timer = window.setTimeout(function () { suggest(input); }, 200);
      }
    });
  });
}());
