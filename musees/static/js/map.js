/*
 * Maps of the public site (Leaflet + leaflet.markercluster), progressive enhancement.
 *
 * Markup convention (used by the directory and by each museum's page):
 *   <script type="application/json" id="ID">[{"name", "url", "lat", "lon", "commune"}, ...]</script>
 *   <div class="map" data-map data-map-markers="ID"
 *        data-tile-url="https://…/{z}/{x}/{y}.png" data-tile-attribution="…"
 *        [data-map-center="43.7,2.4"] [data-map-zoom="7"] aria-label="…">
 *     <p class="map__fallback">What to read without JavaScript.</p>
 *   </div>
 * The map fits its markers (a single marker: zoom 14), clusters them when there are several,
 * and gets the class "map--ready" once drawn (CSS gives it its height then, so that without
 * JavaScript only the fallback text shows).
 */
(function () {
  "use strict";

  var DEFAULT_CENTER = [43.7, 2.4]; // Occitanie, when there is no marker to show
  var DEFAULT_ZOOM = 7;
  var SINGLE_ZOOM = 14;

  function readMarkers(container) {
    var id = container.getAttribute("data-map-markers");
    var source = id ? document.getElementById(id) : null;
    if (!source) return [];
    try {
      var data = JSON.parse(source.textContent || "[]");
      return Array.isArray(data)
        ? data.filter(function (m) {
            return m && isFinite(m.lat) && isFinite(m.lon) && m.lat !== null && m.lon !== null;
          })
        : [];
    } catch (error) {
      return [];
    }
  }

  function popupContent(marker) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement(marker.url ? "a" : "strong");
    title.className = "map-popup__title";
    title.textContent = marker.name || "";
    if (marker.url) title.href = marker.url;
    box.appendChild(title);
    if (marker.commune) {
      var place = document.createElement("span");
      place.className = "map-popup__place";
      place.textContent = marker.commune;
      box.appendChild(place);
    }
    return box;
  }

  function escapeHtml(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  // The site's pin (.map__pin in site.css), with the museum's name for screen readers; Leaflet
  // makes the marker focusable (keyboard: true) and opens its popup with Enter.
  function pinIcon(name) {
    return window.L.divIcon({
      className: "map-marker",
      html: '<span class="map__pin"></span><span class="visually-hidden">' + escapeHtml(name) + "</span>",
      iconSize: [28, 28],
      iconAnchor: [14, 32],
      popupAnchor: [0, -30],
    });
  }

  // Cluster icons carry the class "map-cluster" (styled with the site's tokens) rather than
  // leaflet.markercluster's default stylesheet.
  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? 34 : count < 50 ? 40 : 48;
    return window.L.divIcon({
      html: "<span>" + count + "</span>",
      className: "marker-cluster map-cluster" + (count >= 50 ? " map-cluster--large" : ""),
      iconSize: window.L.point(size, size),
    });
  }

  function parseCenter(value) {
    if (!value) return DEFAULT_CENTER;
    var parts = value.split(",").map(Number);
    return parts.length === 2 && parts.every(isFinite) ? parts : DEFAULT_CENTER;
  }

  function initMap(container) {
    if (!window.L || container.getAttribute("data-map-ready")) return;
    container.setAttribute("data-map-ready", "1");
    var markers = readMarkers(container);

    Array.prototype.slice.call(container.querySelectorAll(".map__fallback")).forEach(function (el) {
      el.parentNode.removeChild(el);
    });
    if (!container.hasAttribute("role")) container.setAttribute("role", "region");
    if (!container.hasAttribute("aria-label")) container.setAttribute("aria-label", "Carte");
    container.classList.add("map--ready");

    var map = window.L.map(container, { scrollWheelZoom: false, keyboard: true });
    var tileUrl = container.getAttribute("data-tile-url");
    if (tileUrl) {
      window.L.tileLayer(tileUrl, {
        attribution: container.getAttribute("data-tile-attribution") || "",
        maxZoom: 19,
      }).addTo(map);
    }

    var layer =
      markers.length > 1 && typeof window.L.markerClusterGroup === "function"
        ? window.L.markerClusterGroup({
            showCoverageOnHover: false,
            maxClusterRadius: 50,
            iconCreateFunction: clusterIcon,
          })
        : window.L.featureGroup();
    markers.forEach(function (m) {
      var marker = window.L.marker([m.lat, m.lon], {
        icon: pinIcon(m.name || ""),
        title: m.name || "",
        keyboard: true,
      });
      marker.bindPopup(popupContent(m));
      layer.addLayer(marker);
    });
    layer.addTo(map);

    if (markers.length === 1) {
      map.setView([markers[0].lat, markers[0].lon], SINGLE_ZOOM);
    } else if (markers.length > 1) {
      map.fitBounds(
        window.L.latLngBounds(
          markers.map(function (m) {
            return [m.lat, m.lon];
          })
        ),
        { padding: [24, 24], maxZoom: SINGLE_ZOOM }
      );
    } else {
      var zoom = parseInt(container.getAttribute("data-map-zoom"), 10);
      map.setView(
        parseCenter(container.getAttribute("data-map-center")),
        isFinite(zoom) ? zoom : DEFAULT_ZOOM
      );
    }
  }

  function initAll() {
    Array.prototype.slice.call(document.querySelectorAll("[data-map]")).forEach(initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
