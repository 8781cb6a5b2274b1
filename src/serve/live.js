/* Diglot preview: reload after a rebuild, keeping the scroll position (the chosen view is
   kept by the page itself); show build errors in an overlay. Injected only by `diglot serve`. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = (script && script.getAttribute("data-base")) || "/";
  var scrollKey = "diglot:serve:scroll:" + location.pathname;

  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved !== null) {
      sessionStorage.removeItem(scrollKey);
      var y = parseInt(saved, 10);
      if (!isNaN(y)) {
        window.addEventListener("load", function () { window.scrollTo(0, y); });
      }
    }
  } catch (e) { /* storage unavailable: reload to the top */ }

  function reload() {
    try { sessionStorage.setItem(scrollKey, String(window.scrollY)); } catch (e) { /* ignore */ }
    location.reload();
  }

  var overlay = null;
  function hideOverlay() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function showOverlay(report) {
    hideOverlay();
    overlay = document.createElement("div");
    overlay.id = "diglot-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);" +
      "color:#f5f5f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem;";
    var title = document.createElement("h2");
    title.style.cssText = "margin:0 0 1rem;color:#ff8a80;font:600 18px/1.4 system-ui,sans-serif;";
    title.textContent = "构建失败 · Build failed — the last good version is still served";
    overlay.appendChild(title);
    (report.diagnostics || []).forEach(function (d) {
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0 0 1rem;";
      pre.textContent = d.severity + ": " + d.place + ": " + d.message + (d.hint ? "\n  = help: " + d.hint : "");
      overlay.appendChild(pre);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Close");
    close.style.cssText = "position:absolute;top:1rem;right:1rem;font-size:20px;background:none;color:inherit;border:0;cursor:pointer;";
    close.addEventListener("click", hideOverlay);
    overlay.appendChild(close);
    document.body.appendChild(overlay);
  }

  if (!window.EventSource) return;
  var events = new EventSource(base + "__diglot/events");
  events.addEventListener("reload", reload);
  events.addEventListener("error-report", function (e) {
    try { showOverlay(JSON.parse(e.data)); } catch (err) { /* malformed: ignore */ }
  });
})();
