// The desk's keyboard and diff toggle. Plain JS, no build step, no inline script (the CSP forbids
// it). Every action stays a normal form: without this file the page still works.
"use strict";

(function () {
  const body = document.body;

  function typing(target) {
    const tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  // ------------------------------------------------------------ diff toggle
  const toggle = document.getElementById("diff-toggle");
  function setDiff(on) {
    body.classList.toggle("show-diff", on);
    if (toggle) {
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.setAttribute("href", on ? "?diff=0" : "?diff=1");
    }
  }
  if (toggle) {
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      setDiff(!body.classList.contains("show-diff"));
    });
  }

  // ------------------------------------------------------------ segments: j / k
  const segments = Array.from(document.querySelectorAll(".seg"));
  let current = -1;
  function go(index) {
    if (!segments.length) return;
    index = Math.max(0, Math.min(segments.length - 1, index));
    if (current >= 0) segments[current].classList.remove("current-seg");
    current = index;
    const seg = segments[current];
    seg.classList.add("current-seg");
    seg.focus({ preventScroll: true });
    seg.scrollIntoView({ block: "center" });
  }
  if (location.hash) {
    const start = segments.findIndex(function (s) { return "#" + s.id === location.hash; });
    if (start >= 0) go(start);
  }

  // ------------------------------------------------------------ help dialog
  const help = document.getElementById("help");
  const helpOpen = document.getElementById("help-open");
  function showHelp() {
    if (help && !help.open) help.showModal();
  }
  if (helpOpen) helpOpen.addEventListener("click", showHelp);

  function focusField(id) {
    const field = document.getElementById(id);
    if (!field) return false;
    field.scrollIntoView({ block: "center" });
    field.focus();
    return true;
  }

  function follow(id) {
    const link = document.getElementById(id);
    if (!link) return false;
    location.assign(link.href);
    return true;
  }

  function openCurrent() {
    if (current < 0) return false;
    const link = segments[current].querySelector("a.seg-open");
    if (!link) return false;
    location.assign(link.href);
    return true;
  }

  // The segment page (one segment and its edit form): j / k go to the next / previous one.
  const onSegmentPage = body.classList.contains("segment-page");

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (help && help.open) return;
    switch (event.key) {
      case "j": if (onSegmentPage) { if (!follow("next-seg")) return; } else go(current + 1); break;
      case "k": if (onSegmentPage) { if (!follow("prev-seg")) return; } else go(current - 1); break;
      case "e": if (!openCurrent()) return; break;
      case "d": setDiff(!body.classList.contains("show-diff")); break;
      case "a": if (!focusField("approve-note")) return; break;
      case "r": if (!focusField("reject-note")) return; break;
      case "?": showHelp(); break;
      default: return;
    }
    event.preventDefault();
  });
})();
