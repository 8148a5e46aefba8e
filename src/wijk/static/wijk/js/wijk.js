/* The only script of our own. Every page works without it; it adds two things.

   1. Menus (details[data-disclosure]): Escape closes an open menu and puts the focus
      back on its button; a click or the keyboard focus elsewhere closes it too.
   2. Wide tables: a table wider than the screen (on a phone) scrolls sideways inside
      its own box, so the page itself never does (WCAG 1.4.10, reflow). The box can
      take the keyboard focus so that it can be scrolled without a mouse, and is named
      after the table's caption for screen readers. */
(function () {
  "use strict";

  function openMenus() {
    return document.querySelectorAll("details[data-disclosure][open]");
  }

  function closeOthers(target) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(target)) {
        menu.open = false;
      }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    openMenus().forEach(function (menu) {
      var hadFocus = menu.contains(document.activeElement);
      menu.open = false;
      if (hadFocus) {
        menu.querySelector("summary").focus();
      }
    });
  });
  document.addEventListener("click", function (event) {
    closeOthers(event.target);
  });
  document.addEventListener("focusin", function (event) {
    closeOthers(event.target);
  });

  // Boxes this script made; a template's own .table-wrap keeps its attributes.
  var MADE = "data-table-scroll";

  function wrapTables(root) {
    root.querySelectorAll("table.table").forEach(function (table) {
      if (table.parentElement.classList.contains("table-wrap")) {
        return;
      }
      var box = document.createElement("div");
      box.className = "table-wrap";
      box.setAttribute(MADE, "");
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    markScrollable();
  }

  function markScrollable() {
    document.querySelectorAll("[" + MADE + "]").forEach(function (box) {
      var table = box.querySelector("table");
      var caption = table && table.caption ? table.caption.textContent.trim() : "";
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (caption) {
          box.setAttribute("aria-label", caption);
        }
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  wrapTables(document);
  var pending = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(markScrollable, 150);
  });
  // Tables that htmx swaps into the page.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    wrapTables(event.target);
  });
})();
