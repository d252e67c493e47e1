// Import job page of the admin: polls the job's JSON status every second, moves the <progress>
// bar and, once the import is finished, reloads the page to show its counts and report.
// The live region is rewritten only when the state changes or every tenth of the file, so that
// a screen reader is not interrupted every second.
(function () {
  "use strict";

  var INTERVAL = 1000;
  var MAX_FAILURES = 30;

  function start(section) {
    var url = section.getAttribute("data-status-url");
    var bar = section.querySelector("[data-import-bar]");
    var message = section.querySelector("[data-import-message]");
    var lastStatus = null;
    var lastStep = -1;
    var failures = 0;

    function show(data) {
      if (data.percent === null || data.percent === undefined) {
        bar.removeAttribute("value");
        bar.textContent = "";
      } else {
        bar.value = data.percent;
        bar.textContent = data.percent + " %";
      }
      var step = data.percent === null ? -1 : Math.floor(data.percent / 10);
      if (data.status !== lastStatus || step !== lastStep) {
        message.textContent = data.message;
        lastStatus = data.status;
        lastStep = step;
      }
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          show(data);
          if (data.finished) {
            window.location.reload();
          } else {
            window.setTimeout(poll, INTERVAL);
          }
        })
        .catch(function () {
          failures += 1;
          if (failures < MAX_FAILURES) {
            window.setTimeout(poll, INTERVAL);
          }
        });
    }

    window.setTimeout(poll, INTERVAL);
  }

  document.querySelectorAll("[data-import-progress]").forEach(function (section) {
    if (section.getAttribute("data-finished") !== "1") {
      start(section);
    }
  });
})();
