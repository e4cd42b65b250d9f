/* Trygg's progressive enhancements. Every page works without them: the menu is a <details> disclosure, selects
   are plain selects, tables scroll. Loaded as a file (the CSP allows no inline script). */
(function () {
  "use strict";

  var WIDE = window.matchMedia("(min-width: 60rem)");

  /* The menu is open on wide screens (a bar) and folded behind the menu button on narrow ones. */
  function placeMenu() {
    document.querySelectorAll("[data-site-menu]").forEach(function (menu) {
      menu.open = WIDE.matches;
    });
  }

  /* Menu groups behave like a menu button's list on wide screens: one open at a time, closed by Escape or a click
     elsewhere. */
  function closeGroups(except) {
    document.querySelectorAll("[data-nav-group][open]").forEach(function (group) {
      if (group !== except) group.open = false;
    });
  }

  function onGroupToggle(event) {
    var group = event.target;
    if (group.matches && group.matches("[data-nav-group]") && group.open) closeGroups(group);
  }

  function onKey(event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector("[data-nav-group][open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  }

  function onClick(event) {
    if (!event.target.closest("[data-nav-group]")) closeGroups(null);
  }

  /* Tom Select's field takes over the label; the original field, kept (out of tab order) for the form's value, is
     hidden from screen readers so that they meet one field, not two. */
  function hideOriginal(field) {
    field.setAttribute("aria-hidden", "true");
  }

  /* Selects marked data-searchable become search-as-you-type fields (Tom Select, vendored under vendor/). */
  function enhanceSelects(root) {
    if (typeof window.TomSelect !== "function") return;
    root.querySelectorAll("select[data-searchable]").forEach(function (select) {
      if (select.tomselect) return;
      var multiple = select.multiple;
      var settings = {
        maxOptions: null,
        refreshThrottle: 0,
        create: false,
        allowEmptyOption: !multiple,
        closeAfterSelect: !multiple,
        clearAfterSelect: true,
        placeholder: select.dataset.placeholder || "",
        hidePlaceholder: true,
        plugins: multiple ? ["remove_button"] : [],
        render: {
          no_results: function () {
            var div = document.createElement("div");
            div.className = "no-results";
            div.textContent = select.dataset.noResults || "";
            return div;
          },
        },
      };
      new window.TomSelect(select, settings);
      hideOriginal(select);
    });
  }

  /* A list of municipalities typed as text (names or numbers, comma-separated) becomes a search-as-you-type
     field over all municipalities; names typed before are matched to their municipality, others kept as typed. */
  function enhanceMunicipalityLists(root) {
    if (typeof window.TomSelect !== "function") return;
    root.querySelectorAll("textarea[data-municipalities]").forEach(function (area) {
      if (area.tomselect) return;
      var source = document.getElementById(area.dataset.municipalities);
      if (!source) return;
      var options = JSON.parse(source.textContent);
      var byName = {};
      options.forEach(function (option) {
        byName[option.text.replace(/ \(\d+\)$/, "").toLowerCase()] = option.value;
        byName[option.value] = option.value;
      });
      area.value = area.value
        .split(/[,;\n]/)
        .map(function (part) { return part.trim(); })
        .filter(Boolean)
        .map(function (part) { return byName[part.toLowerCase()] || part; })
        .join(",");
      new window.TomSelect(area, {
        options: options,
        delimiter: ",",
        clearAfterSelect: true,
        create: true,
        persist: false,
        maxOptions: 60,
        refreshThrottle: 0,
        searchField: ["text", "value"],
        placeholder: area.dataset.placeholder || "",
        plugins: ["remove_button"],
      });
      hideOriginal(area);
    });
  }

  /* A choice of "other" shows the free-text field that names it (data-other-for="<select id>"). */
  function syncOther(root) {
    root.querySelectorAll("[data-other-for]").forEach(function (field) {
      var select = document.getElementById(field.dataset.otherFor);
      if (!select) return;
      var show = function () {
        field.hidden = select.value !== field.dataset.otherValue;
      };
      if (!field.dataset.otherBound) {
        /* A name typed for "other" does not follow a later catalogue choice: the choice names the measure. */
        select.addEventListener("change", function () {
          show();
          if (field.hidden) field.querySelectorAll("input, textarea").forEach(function (input) { input.value = ""; });
        });
        field.dataset.otherBound = "1";
      }
      show();
    });
  }

  /* A table wider than its box scrolls inside it; keyboard users can then focus the box to scroll it. */
  function markScrollingTables(root) {
    root.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.classList.add("is-scrolling");
      } else if (box.classList.contains("is-scrolling")) {
        box.removeAttribute("tabindex");
        box.classList.remove("is-scrolling");
      }
    });
  }

  /* A second click on a form's button while the first submission is on its way is ignored, so a double click sends
     one request and the page navigates once (the server also answers a repeated submission key with the first
     result). A form that stays on the page (a download) can be sent again after a few seconds. */
  var RESUBMIT_AFTER_MS = 4000;

  function onSubmit(event) {
    var form = event.target;
    if (event.defaultPrevented || form.method !== "post" || form.target || form.hasAttribute("hx-post")) return;
    var sent = Number(form.dataset.sentAt || 0);
    if (sent && Date.now() - sent < RESUBMIT_AFTER_MS) {
      event.preventDefault();
      return;
    }
    form.dataset.sentAt = String(Date.now());
  }

  /* A page shown again from the back-forward cache may be sent again at once. */
  function onPageShow() {
    document.querySelectorAll("form[data-sent-at]").forEach(function (form) {
      delete form.dataset.sentAt;
    });
  }

  function enhance(root) {
    enhanceSelects(root);
    enhanceMunicipalityLists(root);
    syncOther(root);
    markScrollingTables(document);
  }

  document.addEventListener("DOMContentLoaded", function () {
    placeMenu();
    if (WIDE.addEventListener) WIDE.addEventListener("change", placeMenu);
    document.addEventListener("toggle", onGroupToggle, true);
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    document.addEventListener("submit", onSubmit);
    window.addEventListener("pageshow", onPageShow);
    window.addEventListener("resize", function () {
      markScrollingTables(document);
    });
    enhance(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhance(event.target);
  });
})();
