// Dev server only (tools/devserver.py injects this into the pages it serves; built files
// never contain it): reload the page when the site has been rebuilt since it was served,
// and while a save does not build, show its problems over the page until a save builds.
// Under the site's Content-Security-Policy: no inline script or style, only same-origin
// files (the overlay's look is /__devserver/overlay.css) and text set as text.
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

  var overlay = null;
  var dismissed = null; // the problems the editor closed; shown again only when they change

  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function styleSheet() {
    if (!document.getElementById("devserver-overlay-style")) {
      var link = document.createElement("link");
      link.id = "devserver-overlay-style";
      link.rel = "stylesheet";
      link.href = "/__devserver/overlay.css";
      document.head.appendChild(link);
    }
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function show(problems) {
    hide();
    styleSheet();
    overlay = element("div", "devserver-overlay");
    overlay.id = "devserver-overlay";
    var box = element("div", "devserver-overlay__box");
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "devserver-overlay-title");
    var title = element("h2", "devserver-overlay__title", "The last save did not build");
    title.id = "devserver-overlay-title";
    var note = element(
      "p",
      "devserver-overlay__note",
      "The page shows the last good build. Fix these problems and save: this goes away when the site builds."
    );
    var lines = element("pre", "devserver-overlay__problems", problems);
    var close = element("button", "devserver-overlay__dismiss", "Dismiss");
    close.type = "button";
    close.addEventListener("click", function () {
      dismissed = problems;
      hide();
    });
    box.append(title, note, lines, close);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
    close.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && overlay) {
      overlay.querySelector(".devserver-overlay__dismiss").click();
    }
  });

  var reports = new EventSource("/__devserver/problems");
  reports.addEventListener("message", function (event) {
    var problems = JSON.parse(event.data).problems;
    if (!problems) {
      dismissed = null;
      hide();
    } else if (problems !== dismissed) {
      show(problems);
    }
  });
})();
