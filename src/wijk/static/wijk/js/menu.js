/* Disclosure menus (details[data-disclosure]) work without this script. It adds what
   people expect from a menu: Escape closes it and puts the focus back on its button,
   and a click or the keyboard focus elsewhere on the page closes it. */
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
})();
