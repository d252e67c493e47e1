/*
 * Vocabulary fields of the work form (musees/catalogue/vocabulary.py), progressive enhancement.
 *
 * Without JavaScript a field is a text input of labels separated by " ; ". This file keeps that
 * input (hidden) as the value the form posts and adds, in its place:
 *
 * - the chosen terms as chips, each with a button « Retirer « X » »;
 * - a text box with suggestions, the ARIA 1.2 combobox pattern with a listbox popup (as the
 *   public search box, musees/static/js/search.js): role=combobox, aria-expanded,
 *   aria-controls, aria-activedescendant; ArrowDown/ArrowUp move, Enter takes the active
 *   suggestion (or the typed text), Escape closes (then clears), the mouse works too; a polite
 *   live region says how many suggestions there are and what was added or removed.
 *
 * Suggestions come from data-suggestions-url (JSON: {"results": [{"label"}], "exact": bool}).
 * Where new terms are allowed (data-creatable), the list ends with « Ajouter « X » (nouveau
 * terme) »: the term is created when the form is saved. Text still in the box when the form is
 * submitted is added first, so that nothing typed is lost. No inline script, no eval.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 180;
  var MIN_LENGTH = 1;
  var SEPARATOR = " ; ";
  var counter = 0;

  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  // Accents and case folded, as the server's slugs are.
  function fold(text) {
    return (text || "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  }

  function splitLabels(text) {
    var seen = {};
    var labels = [];
    (text || "").split(/[;\n]/).forEach(function (part) {
      var label = part.replace(/\s+/g, " ").trim();
      var key = fold(label) || label;
      if (label && !seen[key]) {
        seen[key] = true;
        labels.push(label);
      }
    });
    return labels;
  }

  function msg(state, name, values) {
    return format(state.box.getAttribute("data-msg-" + name), values || {});
  }

  // --- Set-up --------------------------------------------------------------------------------

  function setUp(box) {
    if (box.vocabularyState) return box.vocabularyState;
    var value = box.querySelector("input");
    var hint = box.querySelector(".vocabulary__hint");
    var fieldId = value.id;
    counter += 1;

    // The typed text goes into a new box that takes the field's id: its <label for> follows.
    var input = document.createElement("input");
    input.type = "text";
    input.className = "vocabulary__input";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    ["aria-describedby", "aria-invalid", "aria-required"].forEach(function (name) {
      if (value.hasAttribute(name)) input.setAttribute(name, value.getAttribute(name));
    });
    value.id = fieldId + "-value";
    value.type = "hidden";
    value.removeAttribute("aria-describedby");
    value.removeAttribute("aria-invalid");
    input.id = fieldId;

    var label = document.getElementById(fieldId + "-label");
    var chips = document.createElement("ul");
    chips.className = "vocabulary__chips";
    chips.id = fieldId + "-chips";
    if (label) chips.setAttribute("aria-labelledby", label.id);

    var combo = document.createElement("div");
    combo.className = "vocabulary__combo";
    var listbox = document.createElement("ul");
    listbox.id = fieldId + "-listbox-" + counter;
    listbox.className = "vocabulary__listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", box.getAttribute("data-msg-listbox") || "");
    listbox.hidden = true;
    input.setAttribute("aria-controls", listbox.id);
    combo.appendChild(input);
    combo.appendChild(listbox);

    // Shown (not said: the live region says it) when Enter names no domain of the list.
    var message = document.createElement("p");
    message.className = "vocabulary__message";
    message.hidden = true;

    var status = document.createElement("p");
    status.className = "vocabulary__status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    box.insertBefore(chips, value);
    box.insertBefore(combo, value);
    box.insertBefore(message, value);
    box.appendChild(status);
    if (hint) hint.textContent = box.getAttribute("data-msg-typing-hint") || hint.textContent;

    var newLabels = {};
    splitLabels(box.getAttribute("data-new-labels")).forEach(function (text) {
      newLabels[fold(text)] = true;
    });
    var state = {
      box: box,
      value: value,
      input: input,
      chips: chips,
      listbox: listbox,
      status: status,
      message: message,
      creatable: box.hasAttribute("data-creatable"),
      chosen: splitLabels(value.value).map(function (text) {
        return { label: text, isNew: Boolean(newLabels[fold(text)]) };
      }),
      items: [],
      exact: false,
      active: -1,
      timer: null,
      controller: null,
      lastQuery: null,
      pending: null,
    };
    box.vocabularyState = state;
    renderChips(state);
    return state;
  }

  // --- Chips ---------------------------------------------------------------------------------

  function renderChips(state) {
    state.chips.textContent = "";
    state.chosen.forEach(function (item, index) {
      var chip = document.createElement("li");
      chip.className = "vocabulary__chip" + (item.isNew ? " vocabulary__chip--new" : "");
      if (item.isNew && !state.creatable) chip.className += " vocabulary__chip--outside";
      var text = document.createElement("span");
      text.className = "vocabulary__chip-label";
      text.textContent = item.label;
      chip.appendChild(text);
      if (item.isNew) {
        var tag = document.createElement("span");
        tag.className = "vocabulary__chip-tag";
        tag.textContent = msg(state, state.creatable ? "new" : "outside");
        chip.appendChild(document.createTextNode(" "));
        chip.appendChild(tag);
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "vocabulary__chip-remove";
      button.setAttribute("aria-label", msg(state, "remove", { label: item.label }));
      button.title = button.getAttribute("aria-label");
      button.setAttribute("data-vocabulary-remove", String(index));
      var cross = document.createElement("span");
      cross.setAttribute("aria-hidden", "true");
      cross.textContent = "×";
      button.appendChild(cross);
      chip.appendChild(button);
      state.chips.appendChild(chip);
    });
    state.chips.hidden = state.chosen.length === 0;
  }

  function sync(state) {
    state.value.value = state.chosen
      .map(function (item) {
        return item.label;
      })
      .join(SEPARATOR);
    // Wagtail's "unsaved changes" warning listens for changes on the form.
    state.value.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function indexOfChosen(state, text) {
    var key = fold(text);
    for (var i = 0; i < state.chosen.length; i += 1) {
      if (fold(state.chosen[i].label) === key) return i;
    }
    return -1;
  }

  function showMessage(state, text) {
    state.message.textContent = text;
    state.message.hidden = !text;
  }

  function add(state, text, isNew) {
    close(state);
    showMessage(state, "");
    state.input.value = "";
    state.lastQuery = "";
    state.items = [];
    if (indexOfChosen(state, text) >= 0) {
      say(state, msg(state, "already", { label: text }));
      return;
    }
    state.chosen.push({ label: text, isNew: isNew });
    renderChips(state);
    sync(state);
    say(state, msg(state, "added", { label: text }));
  }

  function remove(state, index) {
    var item = state.chosen[index];
    if (!item) return;
    state.chosen.splice(index, 1);
    renderChips(state);
    sync(state);
    var buttons = state.chips.querySelectorAll("[data-vocabulary-remove]");
    var next = buttons[Math.min(index, buttons.length - 1)];
    (next || state.input).focus();
    say(state, msg(state, "removed", { label: item.label }));
  }

  // --- Listbox -------------------------------------------------------------------------------

  function say(state, text) {
    // A change of text is what screen readers announce: clear first, so that a repeat is heard.
    state.status.textContent = "";
    window.setTimeout(function () {
      state.status.textContent = text;
    }, 50);
  }

  function announceCount(state) {
    var count = state.items.length;
    say(
      state,
      count === 0
        ? msg(state, "none")
        : count === 1
          ? msg(state, "one")
          : msg(state, "many", { count: count })
    );
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
    // Near the bottom of the window the list would open under Wagtail's action bar.
    if (state.listbox.scrollIntoView) state.listbox.scrollIntoView({ block: "nearest" });
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

  function render(state, query, data) {
    var typed = query.replace(/\s+/g, " ").trim();
    var items = (Array.isArray(data.results) ? data.results : [])
      .filter(function (result) {
        return result && result.label && indexOfChosen(state, result.label) < 0;
      })
      .map(function (result) {
        return { label: result.label, create: false };
      });
    state.exact = Boolean(data.exact);
    if (state.creatable && typed && !state.exact && indexOfChosen(state, typed) < 0) {
      items.push({ label: typed, create: true });
    }
    state.items = items;
    state.listbox.textContent = "";
    items.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = state.listbox.id + "-" + index;
      option.className = "vocabulary__option" + (item.create ? " vocabulary__option--create" : "");
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      option.textContent = item.create ? msg(state, "create", { label: item.label }) : item.label;
      state.listbox.appendChild(option);
    });
    state.active = -1;
    state.input.removeAttribute("aria-activedescendant");
    if (items.length) {
      open(state);
    } else {
      close(state);
    }
    announceCount(state);
  }

  // The suggestions of the box's text: a promise of the data (fetched once per text).
  function fetchSuggestions(state) {
    var query = state.input.value;
    if (query.trim().length < MIN_LENGTH) {
      state.lastQuery = query;
      state.items = [];
      close(state);
      return Promise.resolve(null);
    }
    if (query === state.lastQuery && state.pending) return state.pending;
    if (state.controller) state.controller.abort();
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    state.controller = controller;
    state.lastQuery = query;
    var url = state.box.getAttribute("data-suggestions-url") + "?q=" + encodeURIComponent(query);
    state.pending = fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        if (state.input.value === query && document.activeElement === state.input) {
          render(state, query, data);
        }
        return data;
      })
      .catch(function () {
        /* aborted by a newer keystroke, or offline: the text can still be added with Enter */
        return null;
      });
    return state.pending;
  }

  function choose(state, index) {
    var item = state.items[index];
    if (!item) return;
    add(state, item.label, item.create);
  }

  // Enter without an active suggestion: the typed text, as the vocabulary has it if it does.
  function addTyped(state) {
    var typed = state.input.value.replace(/\s+/g, " ").trim();
    if (!typed) return;
    var query = state.input.value;
    fetchSuggestions(state).then(function (data) {
      if (state.input.value !== query) return;
      var results = data && Array.isArray(data.results) ? data.results : [];
      var key = fold(typed);
      for (var i = 0; i < results.length; i += 1) {
        if (results[i] && fold(results[i].label) === key) {
          add(state, results[i].label, false);
          return;
        }
      }
      if (state.creatable) {
        add(state, typed, true);
      } else {
        showMessage(state, msg(state, "unknown", { label: typed }));
        say(state, state.message.textContent);
      }
    });
  }

  // --- Events (delegated: one set of handlers for every field) --------------------------------

  function stateOf(element) {
    var box = element && element.closest ? element.closest("[data-vocabulary]") : null;
    return box ? box.vocabularyState || null : null;
  }

  document.addEventListener("input", function (event) {
    var state = stateOf(event.target);
    if (!state || event.target !== state.input) return;
    showMessage(state, "");
    clearTimeout(state.timer);
    state.timer = setTimeout(function () {
      fetchSuggestions(state);
    }, DEBOUNCE_MS);
  });

  document.addEventListener("keydown", function (event) {
    var state = stateOf(event.target);
    if (!state || event.target !== state.input) return;
    var count = state.items.length;
    var expanded = !state.listbox.hidden;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!expanded) {
          if (count) {
            open(state);
            if (!event.altKey) setActive(state, 0);
          } else {
            fetchSuggestions(state);
          }
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
        // Enter in the box never submits the form: it chooses.
        if (expanded && state.active >= 0) {
          event.preventDefault();
          choose(state, state.active);
        } else if (state.input.value.trim()) {
          event.preventDefault();
          addTyped(state);
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
    if (event.target.closest && event.target.closest(".vocabulary__option")) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    var option = event.target.closest(".vocabulary__option");
    if (option) {
      var state = stateOf(option);
      if (state) choose(state, parseInt(option.getAttribute("data-index"), 10));
      return;
    }
    var removeButton = event.target.closest("[data-vocabulary-remove]");
    if (removeButton) {
      var owner = stateOf(removeButton);
      if (owner) remove(owner, parseInt(removeButton.getAttribute("data-vocabulary-remove"), 10));
    }
  });

  document.addEventListener("focusout", function (event) {
    var state = stateOf(event.target);
    if (!state) return;
    setTimeout(function () {
      if (!state.box.contains(document.activeElement)) close(state);
    }, 0);
  });

  // Text left in a box when the form is sent is added, so that nothing typed is lost (the form
  // answers with an error, keeping it, if it names no domain of the list).
  document.addEventListener(
    "submit",
    function (event) {
      var boxes = event.target.querySelectorAll ? event.target.querySelectorAll("[data-vocabulary]") : [];
      for (var i = 0; i < boxes.length; i += 1) {
        var state = boxes[i].vocabularyState;
        var typed = state ? state.input.value.replace(/\s+/g, " ").trim() : "";
        if (typed && indexOfChosen(state, typed) < 0) {
          state.chosen.push({ label: typed, isNew: false });
          state.input.value = "";
          sync(state);
        }
      }
    },
    true
  );

  function setUpAll() {
    var boxes = document.querySelectorAll("[data-vocabulary]");
    for (var i = 0; i < boxes.length; i += 1) setUp(boxes[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
