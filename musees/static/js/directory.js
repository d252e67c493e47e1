/*
 * The museums directory's filter form, enhanced:
 * - "Près de moi" asks the browser for the visitor's position, fills the hidden lat/lon inputs,
 *   sorts by distance and submits (the button only shows when geolocation exists);
 * - choosing a commune to measure distances from selects the "by distance" sort;
 * - empty fields are left out of the submitted URL, so shared links stay short.
 * Everything works without this file: the form is a plain GET form with a submit button.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-directory-form]");
  if (!form) return;

  function sortBy(value) {
    var radio = form.querySelector('input[name="tri"][value="' + value + '"]');
    if (radio) radio.checked = true;
  }

  function submit() {
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
  }

  form.addEventListener("submit", function () {
    Array.prototype.slice.call(form.elements).forEach(function (el) {
      if (el.name && !el.disabled && el.value === "" && el.type !== "checkbox" && el.type !== "radio") {
        el.disabled = true;
      }
    });
  });
  // Coming back with the browser's back button restores the page as it was left: re-enable.
  window.addEventListener("pageshow", function () {
    Array.prototype.slice.call(form.elements).forEach(function (el) {
      el.disabled = false;
    });
  });

  // Wide screens have room for every criterion: unfold them (phones keep them folded).
  var more = form.querySelector("[data-filters-more]");
  if (more && window.matchMedia && window.matchMedia("(min-width: 62rem)").matches) {
    more.open = true;
  }

  var near = form.elements.namedItem("pres_de");
  if (near) {
    near.addEventListener("change", function () {
      if (near.value) {
        sortBy("distance");
        if (form.elements.namedItem("lat")) form.elements.namedItem("lat").value = "";
        if (form.elements.namedItem("lon")) form.elements.namedItem("lon").value = "";
      }
    });
  }

  var box = form.querySelector("[data-near-me-box]");
  var button = form.querySelector("[data-near-me]");
  var status = form.querySelector("[data-near-me-status]");
  if (!box || !button || !("geolocation" in navigator)) return;
  button.hidden = false;

  button.addEventListener("click", function () {
    button.disabled = true;
    if (status) status.textContent = box.getAttribute("data-msg-searching") || "";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.namedItem("lat").value = position.coords.latitude.toFixed(5);
        form.elements.namedItem("lon").value = position.coords.longitude.toFixed(5);
        if (near) near.value = "";
        sortBy("distance");
        button.disabled = false;
        submit();
      },
      function (error) {
        button.disabled = false;
        if (status) {
          status.textContent =
            box.getAttribute(error && error.code === 1 ? "data-msg-denied" : "data-msg-failed") || "";
        }
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
    );
  });
})();
