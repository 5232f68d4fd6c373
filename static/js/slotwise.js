// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  function setupNavToggle() {
    var toggle = document.querySelector("[data-nav-toggle]");
    var nav = document.getElementById("main-nav");
    if (!toggle || !nav) return;
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // <input type=checkbox data-reveal="id"> shows/hides the element with that id.
  function setupReveals(root) {
    root.querySelectorAll("[data-reveal]").forEach(function (box) {
      var target = document.getElementById(box.getAttribute("data-reveal"));
      if (!target) return;
      var sync = function () { target.hidden = !box.checked; };
      box.addEventListener("change", sync);
      sync();
    });
  }

  // <select data-timezone-default> picks the browser's time zone when nothing is chosen yet.
  function setupTimezoneDefaults(root) {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    root.querySelectorAll("select[data-timezone-default]").forEach(function (select) {
      if (select.dataset.userChosen === "true") return;
      var option = select.querySelector('option[value="' + zone + '"]');
      if (option) select.value = zone;
    });
  }

  // Public pages show times in the visitor's zone: if the URL does not name one yet, switch
  // to the browser's zone (the page names the zone it shows, and the visitor can change it).
  function detectZone() {
    var form = document.querySelector("[data-detect-tz]");
    if (!form) return;
    var params = new URLSearchParams(window.location.search);
    if (params.has("tz")) return;
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!zone || zone === form.getAttribute("data-detect-tz")) return;
    if (!form.querySelector('option[value="' + zone + '"]')) return;
    params.set("tz", zone);
    window.location.replace(window.location.pathname + "?" + params.toString());
  }

  // "Connect Zoom" inside an editor shows only while that tool is the one chosen.
  function setupToolConnect(root) {
    root.querySelectorAll("select[data-tool-select]").forEach(function (select) {
      var form = select.form;
      var sync = function () {
        form.querySelectorAll("[data-tool-connect]").forEach(function (box) {
          box.hidden = box.getAttribute("data-tool-connect") !== select.value;
        });
      };
      select.addEventListener("change", sync);
      sync();
    });
  }

  function init(root) {
    setupReveals(root);
    setupToolConnect(root);
    setupTimezoneDefaults(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupNavToggle();
    detectZone();
    init(document);
  });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
