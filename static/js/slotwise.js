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

  function init(root) {
    setupReveals(root);
    setupTimezoneDefaults(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupNavToggle();
    init(document);
  });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
