// Progress of a background job: polls the job's state (JSON) and moves the bar; reloads the page
// once the job is finished so that the result (file, changes, failure) is shown. Without JavaScript
// the « Actualiser » link does the same by hand.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.getAttribute("data-finished") === "oui") { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-progress");
  var percent = document.getElementById("job-percent");
  var message = document.getElementById("job-message");
  var delay = 500;
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        if (state.finished) { window.location.reload(); return; }
        if (bar) { bar.value = state.progress; bar.textContent = state.progress + " %"; }
        if (percent) { percent.textContent = state.progress + " %"; }
        if (message && state.message) { message.textContent = state.message; }
        delay = Math.min(delay * 1.2, 3000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, delay);
})();
