/*
 * Images of a work by drag and drop (musees/catalogue/admin_image_drop.py).
 *
 * The drop zone under the images InlinePanel takes files dropped on it or chosen with its
 * button (the keyboard's way: a real <button> opening the file dialog). Each file is sent, one
 * after the other, to data-upload-url with the museum chosen in the work form; the server puts
 * it in the museum's collection with Wagtail's image form and answers the image chooser's state
 * ({"image": {id, title, edit_url, preview, default_alt_text}}) or {"error": "…"} in French.
 *
 * For each image taken, a row is added to the InlinePanel by Wagtail's own "add" button (so its
 * JavaScript numbers the form and sets up the row's widgets), the row's image chooser is given
 * the image (ImageChooser.setStateFromModalData, as the chooser modal does), and the focus goes
 * to the first new row's alternative text. Progress and success are said in a polite live region;
 * refused files are listed under the zone until the next drop, in an assertive one.
 */
(function () {
  "use strict";

  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function hasFiles(event) {
    var types = event.dataTransfer ? event.dataTransfer.types : null;
    return Boolean(types) && Array.prototype.indexOf.call(types, "Files") >= 0;
  }

  function setUp(zone) {
    if (zone.imageDrop) return;
    var state = {
      zone: zone,
      form: zone.closest("form"),
      prefix: zone.getAttribute("data-formset-prefix"),
      input: zone.querySelector("[data-image-drop-input]"),
      status: zone.querySelector("[data-image-drop-status]"),
      errors: zone.querySelector("[data-image-drop-errors]"),
      progress: zone.querySelector("progress"),
      busy: false,
    };
    zone.imageDrop = state;
    zone.hidden = false;

    zone.querySelector("[data-image-drop-choose]").addEventListener("click", function () {
      state.input.click();
    });
    state.input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(state.input.files || []);
      state.input.value = "";
      uploadAll(state, files);
    });
    zone.addEventListener("dragover", function (event) {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      zone.classList.add("is-over");
    });
    zone.addEventListener("dragleave", function (event) {
      if (!zone.contains(event.relatedTarget)) zone.classList.remove("is-over");
    });
    zone.addEventListener("drop", function (event) {
      if (!hasFiles(event)) return;
      event.preventDefault();
      zone.classList.remove("is-over");
      uploadAll(state, Array.prototype.slice.call(event.dataTransfer.files || []));
    });
  }

  function msg(state, name, values) {
    return format(state.zone.getAttribute("data-msg-" + name), values || {});
  }

  function say(state, text) {
    state.status.textContent = text;
  }

  function listError(state, text) {
    var item = document.createElement("li");
    item.textContent = text;
    state.errors.appendChild(item);
  }

  function museumId(state) {
    var field = state.form ? state.form.elements.namedItem("museum") : null;
    return field && field.value ? field.value : "";
  }

  function csrfToken(state) {
    var field = state.form ? state.form.elements.namedItem("csrfmiddlewaretoken") : null;
    return field ? field.value : "";
  }

  // One file to the server: a promise of {image} or {error}.
  function send(state, file, museum) {
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append("museum", museum);
      data.append("file", file);
      var request = new XMLHttpRequest();
      request.open("POST", state.zone.getAttribute("data-upload-url"));
      request.setRequestHeader("X-CSRFToken", csrfToken(state));
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) state.progress.value = event.loaded / event.total;
      });
      request.addEventListener("load", function () {
        var body = null;
        try {
          body = JSON.parse(request.responseText);
        } catch (error) {
          body = null;
        }
        if (request.status === 200 && body && body.image) {
          resolve({ image: body.image });
        } else {
          resolve({ error: (body && body.error) || msg(state, "failed") });
        }
      });
      request.addEventListener("error", function () {
        resolve({ error: msg(state, "failed") });
      });
      request.send(data);
    });
  }

  // A new row of the InlinePanel with this image chosen: its alternative text field.
  function addRow(state, image) {
    var prefix = state.prefix;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var addButton = document.getElementById("id_" + prefix + "-ADD");
    if (!total || !addButton || addButton.disabled) return null;
    var index = parseInt(total.value, 10);
    addButton.click();
    var chooser = document.getElementById("id_" + prefix + "-" + index + "-image-chooser");
    if (!chooser || !chooser.widget) return null;
    chooser.widget.setStateFromModalData(image);
    return document.getElementById("id_" + prefix + "-" + index + "-alt_text");
  }

  function uploadAll(state, files) {
    if (!files.length || state.busy) return;
    state.errors.textContent = "";
    var museum = museumId(state);
    if (!museum) {
      say(state, "");
      listError(state, msg(state, "no-museum"));
      return;
    }
    var maxSize = parseInt(state.zone.getAttribute("data-max-size"), 10);
    var added = [];
    var index = 0;
    state.busy = true;
    state.zone.setAttribute("aria-busy", "true");

    function next() {
      if (index >= files.length) {
        finish();
        return;
      }
      var file = files[index];
      index += 1;
      var name = file.name;
      if (maxSize && file.size > maxSize) {
        refuse(name, msg(state, "too-large"));
        next();
        return;
      }
      state.progress.value = 0;
      state.progress.hidden = false;
      say(state, msg(state, "sending", { name: name, index: index, count: files.length }));
      send(state, file, museum).then(function (result) {
        if (result.image) {
          var altText = addRow(state, result.image);
          if (altText) {
            added.push({ name: name, field: altText });
          } else {
            refuse(name, msg(state, "failed"));
          }
        } else {
          refuse(name, result.error);
        }
        next();
      });
    }

    // The list of refusals is a live region of its own (assertive): each one is said there.
    function refuse(name, error) {
      listError(state, msg(state, "refused", { name: name, error: error }));
    }

    function finish() {
      state.busy = false;
      state.zone.removeAttribute("aria-busy");
      state.progress.hidden = true;
      if (added.length) {
        say(
          state,
          added.length === 1
            ? msg(state, "added", { name: added[0].name })
            : msg(state, "added-many", { count: added.length })
        );
        added[0].field.focus();
      } else {
        say(state, "");
      }
    }

    next();
  }

  function setUpAll() {
    var zones = document.querySelectorAll("[data-image-drop]");
    for (var i = 0; i < zones.length; i += 1) setUp(zones[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
