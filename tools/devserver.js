// Dev server only (tools/devserver.py injects this into the pages it serves; built files
// never contain it): reload the page when the site has been rebuilt since it was served.
(function () {
  "use strict";
  var served = document.currentScript ? document.currentScript.dataset.generation : null;
  var events = new EventSource("/__devserver/events");
  events.addEventListener("message", function (event) {
    if (served === null) {
      served = event.data;
    } else if (event.data !== served) {
      events.close();
      window.location.reload();
    }
  });
})();
