/*
 * The catalogue search (/collections/), progressive enhancement. Without JavaScript the page is
 * a plain GET form with "Appliquer" buttons; this file adds:
 *
 * 1. Results in place (with htmx, loaded by the page): the form carries hx-get/hx-select; here
 *    the "Appliquer" buttons are hidden (.search--live), the new count is announced in the
 *    polite live region #search-status, the focus goes back to the control that had it (opening
 *    its folded list if needed) or to the results heading, and the folded lists the visitor had
 *    opened stay open.
 * 2. Autocompletion of the search box, the ARIA 1.2 combobox pattern with a listbox popup:
 *    role=combobox, aria-expanded, aria-controls, aria-activedescendant; ArrowDown/ArrowUp move,
 *    Enter takes the active suggestion and searches, Escape closes (then clears), the mouse
 *    works too; a polite live region says how many suggestions there are. Suggestions come from
 *    data-suggestions-url (JSON: {"suggestions": [{"text", "count", "label"}]}), debounced.
 *
 * Events are delegated from the document: htmx replaces the form's content after each search,
 * and the handlers need no re-binding. No inline script, no eval (the CSP forbids both).
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 180;
  var MIN_LENGTH = 2;
  var counter = 0;

  // --- 2. The combobox -------------------------------------------------------------------

  function comboboxOf(element) {
    return element && element.closest ? element.closest("[data-combobox]") : null;
  }

  function setUp(box) {
    if (box.searchCombobox) return box.searchCombobox;
    var input = box.querySelector("input");
    counter += 1;
    var listbox = document.createElement("ul");
    listbox.id = (input.id || "combobox") + "-listbox-" + counter;
    listbox.className = "combobox__listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", box.getAttribute("data-label-listbox") || "");
    listbox.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.appendChild(listbox);
    box.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    var state = {
      box: box,
      input: input,
      listbox: listbox,
      status: status,
      items: [],
      active: -1,
      timer: null,
      controller: null,
      lastQuery: null,
    };
    box.searchCombobox = state;
    return state;
  }

  function announce(state, count) {
    var box = state.box;
    var text =
      count === 0
        ? box.getAttribute("data-msg-none")
        : count === 1
          ? box.getAttribute("data-msg-one")
          : (box.getAttribute("data-msg-many") || "").replace("%(count)s", String(count));
    state.status.textContent = text || "";
  }

  function close(state) {
    state.listbox.hidden = true;
    state.input.setAttribute("aria-expanded", "false");
    state.input.removeAttribute("aria-activedescendant");
    state.active = -1;
  }

  function open(state) {
    if (!state.items.length) return;
    state.listbox.hidden = false;
    state.input.setAttribute("aria-expanded", "true");
  }

  function setActive(state, index) {
    var options = state.listbox.querySelectorAll("[role=option]");
    state.active = index;
    for (var i = 0; i < options.length; i += 1) {
      var selected = i === index;
      options[i].setAttribute("aria-selected", selected ? "true" : "false");
      options[i].classList.toggle("is-active", selected);
    }
    if (index >= 0 && options[index]) {
      state.input.setAttribute("aria-activedescendant", options[index].id);
      if (options[index].scrollIntoView) options[index].scrollIntoView({ block: "nearest" });
    } else {
      state.input.removeAttribute("aria-activedescendant");
    }
  }

  function render(state, items) {
    state.items = items;
    state.listbox.textContent = "";
    items.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = state.listbox.id + "-" + index;
      option.className = "combobox__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      var text = document.createElement("span");
      text.className = "combobox__text";
      text.textContent = item.text;
      var count = document.createElement("span");
      count.className = "combobox__count";
      count.textContent = item.label || String(item.count);
      option.appendChild(text);
      option.appendChild(document.createTextNode(" "));
      option.appendChild(count);
      state.listbox.appendChild(option);
    });
    state.active = -1;
    state.input.removeAttribute("aria-activedescendant");
    if (items.length) {
      open(state);
    } else {
      close(state);
    }
    announce(state, items.length);
  }

  function fetchSuggestions(state) {
    var query = state.input.value;
    if (query.trim().length < MIN_LENGTH) {
      state.lastQuery = query;
      state.items = [];
      close(state);
      return;
    }
    if (query === state.lastQuery) {
      open(state);
      return;
    }
    if (state.controller) state.controller.abort();
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    state.controller = controller;
    var url = state.box.getAttribute("data-suggestions-url") + "?q=" + encodeURIComponent(query);
    fetch(url, {
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      })
      .then(function (data) {
        if (state.input.value !== query || document.activeElement !== state.input) return;
        state.lastQuery = query;
        render(state, Array.isArray(data.suggestions) ? data.suggestions : []);
      })
      .catch(function () {
        /* aborted by a newer keystroke, or offline: the box stays a plain search field */
      });
  }

  function choose(state, index) {
    var item = state.items[index];
    if (!item) return;
    state.input.value = item.text;
    state.lastQuery = item.text;
    close(state);
    var form = state.input.form;
    if (!form) return;
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  document.addEventListener("input", function (event) {
    var box = comboboxOf(event.target);
    if (!box || event.target.tagName !== "INPUT") return;
    var state = setUp(box);
    clearTimeout(state.timer);
    state.timer = setTimeout(function () {
      fetchSuggestions(state);
    }, DEBOUNCE_MS);
  });

  document.addEventListener("keydown", function (event) {
    var box = comboboxOf(event.target);
    if (!box || event.target.tagName !== "INPUT") return;
    var state = setUp(box);
    var count = state.items.length;
    var expanded = !state.listbox.hidden;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!expanded) {
          if (count) {
            open(state);
          } else {
            fetchSuggestions(state);
          }
          if (!event.altKey && count) setActive(state, 0);
        } else if (count) {
          setActive(state, state.active + 1 >= count ? 0 : state.active + 1);
        }
        break;
      case "ArrowUp":
        if (!count) return;
        event.preventDefault();
        if (!expanded) open(state);
        setActive(state, state.active <= 0 ? count - 1 : state.active - 1);
        break;
      case "Enter":
        if (expanded && state.active >= 0) {
          event.preventDefault();
          choose(state, state.active);
        } else {
          close(state);
        }
        break;
      case "Escape":
        if (expanded) {
          event.preventDefault();
          close(state);
        } else if (state.input.value) {
          event.preventDefault();
          state.input.value = "";
          state.lastQuery = "";
          state.items = [];
        }
        break;
      case "Tab":
        close(state);
        break;
      default:
        break;
    }
  });

  // A press on a suggestion must not take the focus from the box (the listbox would close).
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest(".combobox__option")) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest ? event.target.closest(".combobox__option") : null;
    if (!option) return;
    var state = setUp(comboboxOf(option));
    choose(state, parseInt(option.getAttribute("data-index"), 10));
  });

  document.addEventListener("focusout", function (event) {
    var box = comboboxOf(event.target);
    if (!box || !box.searchCombobox) return;
    var state = box.searchCombobox;
    setTimeout(function () {
      if (!box.contains(document.activeElement)) close(state);
    }, 0);
  });

  // Typing in the box is not a search until the visitor submits: its "change" (on leaving the
  // box) must not reach the form, whose other changes (a box ticked, the sort) search at once.
  document.addEventListener(
    "change",
    function (event) {
      if (comboboxOf(event.target) && event.target.tagName === "INPUT") event.stopPropagation();
    },
    true
  );

  // --- 1. Results in place -------------------------------------------------------------

  var focusedId = null;
  var openFacets = [];

  function setUpAll() {
    var boxes = document.querySelectorAll("[data-combobox]");
    for (var i = 0; i < boxes.length; i += 1) setUp(boxes[i]);
  }

  var NARROW = "(max-width: 61.99rem)";
  var panelOpen = null;

  function foldFacetsOnPhones() {
    var panel = document.getElementById("facets-panel");
    if (panel && window.matchMedia && window.matchMedia(NARROW).matches) panel.open = false;
  }

  function liveForms() {
    setUpAll();
    foldFacetsOnPhones();
    if (!window.htmx) return;
    var forms = document.querySelectorAll("[data-search-form][hx-get]");
    for (var i = 0; i < forms.length; i += 1) forms[i].classList.add("search--live");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!event.target.matches || !event.target.matches("[data-search-form]")) return;
    var active = document.activeElement;
    focusedId = active && active.id ? active.id : null;
    openFacets = Array.prototype.map.call(
      event.target.querySelectorAll("details[data-facet][open]"),
      function (details) {
        return details.getAttribute("data-facet");
      }
    );
    var panel = document.getElementById("facets-panel");
    panelOpen = panel ? panel.open : null;
    var region = document.getElementById("search-region");
    if (region) region.setAttribute("aria-busy", "true");
  });

  document.addEventListener("htmx:afterRequest", function () {
    var region = document.getElementById("search-region");
    if (region) region.removeAttribute("aria-busy");
  });

  document.addEventListener("htmx:load", setUpAll);

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.target.matches || !event.target.matches("[data-search-form], #search-region")) {
      return;
    }
    var form = document.querySelector("[data-search-form]");
    if (!form) return;
    var panel = document.getElementById("facets-panel");
    if (panel && panelOpen !== null) panel.open = panelOpen;
    openFacets.forEach(function (name) {
      var details = form.querySelector('details[data-facet="' + name + '"]');
      if (details) details.open = true;
    });
    var target = focusedId ? document.getElementById(focusedId) : null;
    if (target && document.activeElement !== target) {
      var folded = target.closest("details");
      if (folded) folded.open = true;
      target.focus();
    } else if (!target) {
      var heading = document.getElementById("results-heading");
      if (heading) heading.focus();
    }
    var count = document.getElementById("results-heading");
    var status = document.getElementById("search-status");
    if (count && status) status.textContent = count.textContent.trim();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", liveForms);
  } else {
    liveForms();
  }
})();
