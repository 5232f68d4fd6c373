// The support chat panel. The chat button opens a non-modal <dialog> (the page under it stays
// usable, say to follow the Zoom help while chatting) that loads the conversation and polls
// for replies only while open (the hx-trigger in _conversation.html). Without JavaScript, or
// without <dialog>, the button stays what it is in the HTML: a link to the full chat page.
(function () {
  "use strict";

  var panel, button, opener, latestReply = null;

  function scrollToEnd() {
    var log = document.getElementById("support-messages");
    if (log) log.scrollTop = log.scrollHeight;
  }

  function openPanel(trigger) {
    opener = trigger;
    if (!panel.open) {
      panel.show();
      button.setAttribute("aria-expanded", "true");
      var badge = document.getElementById("support-chat-badge");
      if (badge) badge.hidden = true;  // loading the conversation marks the replies read
      if (window.htmx) window.htmx.trigger("#support-conversation", "support-open");
    }
    var field = panel.querySelector("textarea");
    if (field) field.focus();
    scrollToEnd();
  }

  function closePanel() {
    if (panel.open) panel.close();
  }

  function setupPanel() {
    panel = document.getElementById("support-chat-panel");
    button = document.getElementById("support-chat-button");
    if (!panel || !button || typeof panel.show !== "function") return;

    // The link now behaves as a disclosure button for the panel.
    button.setAttribute("role", "button");
    button.setAttribute("aria-controls", panel.id);
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("keydown", function (event) {
      if (event.key === " ") { event.preventDefault(); button.click(); }
    });
    button.addEventListener("click", function (event) {
      event.preventDefault();
      if (panel.open) closePanel(); else openPanel(button);
    });
    // Other "contact support" links on the page (the help page has some) open the panel too.
    document.querySelectorAll("[data-support-open]").forEach(function (link) {
      if (link === button) return;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        openPanel(link);
      });
    });
    panel.querySelectorAll("[data-support-close]").forEach(function (close) {
      close.addEventListener("click", closePanel);
    });
    // A non-modal dialog does not close on Escape by itself.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.open) {
        event.preventDefault();
        closePanel();
      }
    });
    panel.addEventListener("close", function () {
      var focusWasInside = panel.contains(document.activeElement) || document.activeElement === document.body;
      button.setAttribute("aria-expanded", "false");
      if (focusWasInside && opener) opener.focus();
    });
  }

  // After each new list: keep the newest message in view and, when support has replied since
  // the last list, say so to screen readers (the list itself is replaced, not appended to).
  function onSwap(event) {
    var log = event.target;
    if (!log || log.id !== "support-messages") return;
    scrollToEnd();
    if (event.detail.requestConfig && event.detail.requestConfig.verb === "post") {
      // The form was replaced (emptied, or with the error): keep typing where you were.
      var field = document.getElementById("support-body");
      if (field) field.focus();
    }
    var reply = log.getAttribute("data-latest-reply") || "";
    var status = document.getElementById("support-chat-status");
    if (latestReply !== null && reply && reply !== latestReply && status) {
      status.textContent = "New reply from Slotwise support.";
    }
    latestReply = reply;
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupPanel();
    var log = document.getElementById("support-messages");
    if (log && log.hasAttribute("data-latest-reply")) {
      latestReply = log.getAttribute("data-latest-reply");
      scrollToEnd();
    }
  });
  document.addEventListener("htmx:afterSwap", onSwap);
})();
