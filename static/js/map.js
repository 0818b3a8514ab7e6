/* The administrative map of hoptac (templates/components/map.html): Leaflet draws the HTX
 * points and each commune's count at its centroid from a JSON spec embedded in the page.
 * Without a tile server (HOPTAC_MAP_TILE_URL empty) the map has no background: the points and
 * centroids alone, readable on an intranet. The page's tables hold the same figures.
 *
 * Above selectors.MAP_POINT_LIMIT HTX the spec embeds no points but gives `points_url`
 * (views.map_points): the points of the visible box are then fetched on load and after each
 * move (debounced; a newer request aborts the older one), only while the communes whose
 * centroid is in view hold at most the endpoint's cap (or, without communes, from
 * MIN_ZOOM on). The element's data-points-state (embedded, loading, complete, zoom-in,
 * incomplete, hidden, error) and data-points (how many are drawn) say what happened. */
(function () {
  "use strict";

  var GOLDEN = Math.PI * (3 - Math.sqrt(5));
  var POINT_LIMIT = 2000; // when the spec lacks points_limit (selectors.MAP_POINT_LIMIT)
  var MIN_ZOOM = 11; // without communes to count, fetch points from this zoom on
  var DEBOUNCE_MS = 300;

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

  function colourOf(spec, p) {
    if (p.color) { return p.color; }
    var byRank = spec.colour_by === "rank";
    var table = spec.colours || {}; // dashboard.SECTOR_COLOURS or RANK_COLOURS, by colour_by
    return table[byRank ? (p.rank || "") : p.sector] || "#9e9e9e";
  }

  function drawPoints(layer, points, spec) {
    /* Draws the points into the layer (emptied first); returns their places, for bounds. */
    layer.clearLayers();
    var places = spread(points);
    points.forEach(function (p, i) {
      L.circleMarker(places[i], {
        radius: 5, color: "#ffffff", weight: 1, fillColor: colourOf(spec, p), fillOpacity: 0.95
      }).bindPopup(popup(p)).bindTooltip(escapeHtml(p.name)).addTo(layer);
    });
    return places;
  }

  function clamp(value, low, high) { return Math.min(high, Math.max(low, value)); }

  function loadVisiblePoints(element, map, spec, layer) {
    var limit = spec.points_limit || POINT_LIMIT;
    var communes = (spec.communes || []).filter(function (c) { return c.lat !== null; });
    var timer = null;
    var controller = null;
    var serial = 0;

    var hint = document.getElementById(element.id + "-hint");

    function status(state, count) {
      element.dataset.pointsState = state;
      if (count !== undefined) { element.dataset.points = String(count); }
      if (hint) { // say why no point is drawn, when it is for too many in the box
        var zoomIn = state === "zoom-in" || state === "incomplete";
        hint.textContent = zoomIn ? (spec.labels || {}).zoom_in || "" : "";
        hint.hidden = !hint.textContent;
      }
    }

    function fewEnough(bounds) {
      if (!communes.length) { return map.getZoom() >= MIN_ZOOM; }
      var inView = 0;
      communes.forEach(function (c) {
        if (bounds.contains([c.lat, c.lng])) { inView += c.total; }
      });
      return inView <= limit;
    }

    function fetchVisible() {
      serial += 1;
      var mine = serial;
      if (controller) { controller.abort(); controller = null; }
      if (!map.hasLayer(layer)) { // the points are switched off in the layer control
        status("hidden");
        return;
      }
      var bounds = map.getBounds();
      if (!fewEnough(bounds)) {
        layer.clearLayers();
        status("zoom-in", 0);
        return;
      }
      var bbox = [
        clamp(bounds.getSouth(), -90, 90), clamp(bounds.getWest(), -180, 180),
        clamp(bounds.getNorth(), -90, 90), clamp(bounds.getEast(), -180, 180)
      ].map(function (x) { return x.toFixed(5); }).join(",");
      var url = spec.points_url + (spec.points_url.indexOf("?") === -1 ? "?" : "&") +
        "bbox=" + encodeURIComponent(bbox);
      controller = typeof AbortController === "undefined" ? null : new AbortController();
      status("loading");
      fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (data) {
        if (mine !== serial) { return; } // a newer move asked again
        controller = null;
        if (!data.complete) { // more than the cap in the box: the counts per commune only
          layer.clearLayers();
          status("incomplete", 0);
          return;
        }
        drawPoints(layer, data.points || [], spec);
        status("complete", (data.points || []).length);
      }).catch(function () {
        if (mine !== serial) { return; } // aborted by a newer request
        controller = null;
        status("error");
      });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchVisible, DEBOUNCE_MS);
    }
    map.on("moveend", later);
    map.on("overlayadd", function (event) { if (event.layer === layer) { later(); } });
    fetchVisible();
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
    drawPoints(points, spec.points || [], spec).forEach(function (place) { bounds.push(place); });
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
    element.hoptacMap = map; // for tests and the console
    if (spec.points_url) {
      loadVisiblePoints(element, map, spec, points);
    } else {
      element.dataset.pointsState = "embedded";
      element.dataset.points = String((spec.points || []).length);
    }
    element.classList.add("hoptac-map-ready");
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-map]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
