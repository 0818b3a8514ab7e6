/* The administrative map of hoptac (templates/components/map.html): Leaflet draws the HTX
 * points and each commune's count at its centroid from a JSON spec embedded in the page.
 * Without a tile server (HOPTAC_MAP_TILE_URL empty) the map has no background: the points and
 * centroids alone, readable on an intranet. The page's tables hold the same figures. */
(function () {
  "use strict";

  var GOLDEN = Math.PI * (3 - Math.sqrt(5));

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = String(text);
    return div.innerHTML;
  }

  function spread(points) {
    /* Points that share a place (the commune centroid) are laid out on a small spiral. */
    var seen = {};
    return points.map(function (p) {
      var key = p.lat.toFixed(5) + "," + p.lng.toFixed(5);
      var index = seen[key] || 0;
      seen[key] = index + 1;
      if (index === 0) { return [p.lat, p.lng]; }
      var r = 0.0035 * Math.sqrt(index);
      return [p.lat + r * Math.cos(index * GOLDEN), p.lng + r * Math.sin(index * GOLDEN)];
    });
  }

  function popup(p) {
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name;
    return link;
  }

  function draw(element) {
    if (element.dataset.drawn || typeof L === "undefined") { return; }
    var source = document.getElementById(element.dataset.map);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    element.dataset.drawn = "1";
    var map = L.map(element, {
      preferCanvas: true, zoomSnap: 0.25, attributionControl: Boolean(spec.tiles)
    });
    if (spec.tiles) {
      L.tileLayer(spec.tiles, { attribution: spec.attribution || "", maxZoom: 18 }).addTo(map);
    }
    var labels = spec.labels || {};
    var bounds = [];
    var communes = L.layerGroup();
    (spec.communes || []).forEach(function (c) {
      var gap = c.total === 0;
      var noAgri = !gap && c.agricultural === 0;
      var note = gap ? " — " + labels.no_htx : (noAgri ? " — " + labels.no_agricultural : "");
      L.circleMarker([c.lat, c.lng], {
        radius: gap ? 6 : 5 + Math.sqrt(c.total) * 3,
        color: gap ? "#c62828" : (noAgri ? "#ef6c00" : "#546e7a"),
        weight: gap ? 2 : 1,
        dashArray: gap ? "3 3" : null,
        fillColor: "#90a4ae",
        fillOpacity: gap ? 0 : 0.18
      }).bindTooltip(escapeHtml(c.name + ": " + c.total + " " + labels.cooperatives + note))
        .addTo(communes);
      bounds.push([c.lat, c.lng]);
    });
    communes.addTo(map);
    var points = L.layerGroup();
    var places = spread(spec.points || []);
    (spec.points || []).forEach(function (p, i) {
      L.circleMarker(places[i], {
        radius: 5, color: "#ffffff", weight: 1, fillColor: p.color, fillOpacity: 0.95
      }).bindPopup(popup(p)).bindTooltip(escapeHtml(p.name)).addTo(points);
      bounds.push(places[i]);
    });
    points.addTo(map);
    var overlays = {};
    overlays[labels.cooperatives || "HTX"] = points;
    overlays[labels.communes || "communes"] = communes;
    L.control.layers(null, overlays, { collapsed: true }).addTo(map);
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 12 });
    } else {
      map.setView([16.0, 106.0], 5);
    }
    element.classList.add("hoptac-map-ready");
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-map]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
