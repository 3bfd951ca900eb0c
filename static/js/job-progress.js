// A job's page (templates/organizer/jobs/job.html): fills the progress bar, then polls the job's JSON once a
// second while it is queued or running, and reloads the page when its status changes (running; then done or
// failed, to show the result or the failure). Without script, the page refreshes itself every 2 s instead
// (<noscript><meta http-equiv="refresh">).
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) {
    return;
  }
  var bar = box.querySelector("[data-job-bar]");
  var meter = box.querySelector("[role=progressbar]");

  function field(name, value) {
    var element = box.querySelector("[data-job-" + name + "]");
    if (element) {
      element.textContent = value;
    }
  }

  function show(state) {
    var percent = Math.max(0, Math.min(100, Number(state.percent) || 0));
    bar.style.width = percent + "%";
    meter.setAttribute("aria-valuenow", String(percent));
    field("percent", String(percent));
    field("done", String(state.done));
    field("total", state.total ? String(state.total) : "—");
  }

  function poll() {
    fetch(box.dataset.pollUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (state && (state.finished || state.status !== box.dataset.status)) {
          window.location.reload();  // started, or finished: the page shows its times, its result or failure
          return;
        }
        if (state) {
          show(state);
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 2000);  // the server is busy or restarting: try again a little later
      });
  }

  show({percent: box.dataset.percent, done: box.querySelector("[data-job-done]").textContent,
        total: Number(box.querySelector("[data-job-total]").textContent) || 0});
  if (box.dataset.status === "queued" || box.dataset.status === "running") {
    window.setTimeout(poll, 1000);
  }
}());
