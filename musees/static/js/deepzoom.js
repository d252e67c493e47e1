// Deep zoom on a work page: OpenSeadragon reads the image's IIIF Image API 3 info.json
// (data-iiif-info) and loads tiles as the visitor zooms. Without JavaScript, or if the viewer
// cannot open, the still <img> stays. Keyboard: focus the viewer, then + / - to zoom, the arrows
// to move, 0 to see the whole image (OpenSeadragon's own keys).
(function () {
  "use strict";

  function setup(container) {
    var viewerElement = container.querySelector("[data-deepzoom-viewer]");
    var toolbar = container.querySelector("[data-deepzoom-toolbar]");
    var still = container.querySelector("[data-deepzoom-still]");
    var hint = document.getElementById(container.getAttribute("data-hint-id") || "");
    if (!viewerElement || !window.OpenSeadragon) return;

    viewerElement.hidden = false;
    var viewer = window.OpenSeadragon({
      element: viewerElement,
      tileSources: container.getAttribute("data-iiif-info"),
      prefixUrl: container.getAttribute("data-osd-images") || "",
      drawer: "canvas",
      showNavigationControl: false,
      visibilityRatio: 1,
      constrainDuringPan: true,
      maxZoomPixelRatio: 2,
      // The page scrolls with the wheel; zooming is for the buttons, the keys and a click.
      gestureSettingsMouse: { scrollToZoom: false, clickToZoom: true },
      gestureSettingsTouch: { pinchToZoom: true },
    });
    container.deepzoomViewer = viewer; // read by the browser tests

    viewer.addHandler("open", function () {
      // OpenSeadragon's canvas takes the keys; give it a name and a role screen readers announce.
      var canvas = viewer.canvas;
      canvas.setAttribute("role", "application");
      canvas.setAttribute("aria-label", container.getAttribute("data-label") || "");
      if (hint) {
        hint.hidden = false;
        canvas.setAttribute("aria-describedby", hint.id);
      }
      if (still) still.hidden = true;
      if (toolbar) toolbar.hidden = false;
      container.classList.add("deepzoom--ready");
      container.setAttribute("data-zoom", String(viewer.viewport.getZoom()));
    });
    viewer.addHandler("open-failed", function () {
      viewer.destroy();
      viewerElement.hidden = true;
      container.deepzoomViewer = null;
    });
    viewer.addHandler("zoom", function (event) {
      container.setAttribute("data-zoom", String(event.zoom));
    });

    if (!toolbar) return;
    var fullscreenButton = toolbar.querySelector("[data-action='fullscreen']");
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) return;
      var action = button.getAttribute("data-action");
      if (action === "zoom-in") viewer.viewport.zoomBy(1.5).applyConstraints();
      else if (action === "zoom-out") viewer.viewport.zoomBy(1 / 1.5).applyConstraints();
      else if (action === "home") viewer.viewport.goHome();
      else if (action === "fullscreen") toggleFullscreen();
    });

    function toggleFullscreen() {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else if (container.requestFullscreen) {
        container.requestFullscreen().catch(function () {});
      }
    }
    document.addEventListener("fullscreenchange", function () {
      var on = document.fullscreenElement === container;
      container.classList.toggle("deepzoom--fullscreen", on);
      if (fullscreenButton) {
        fullscreenButton.setAttribute("aria-pressed", on ? "true" : "false");
        var label = fullscreenButton.querySelector("[data-label]");
        if (label) {
          label.textContent = fullscreenButton.getAttribute(on ? "data-label-exit" : "data-label-enter");
        }
      }
      if (on) viewer.canvas.focus();
    });
    if (!document.fullscreenEnabled && fullscreenButton) fullscreenButton.hidden = true;
  }

  function init() {
    var containers = document.querySelectorAll("[data-deepzoom]");
    for (var i = 0; i < containers.length; i++) setup(containers[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
