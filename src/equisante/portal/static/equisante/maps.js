/*
 * equisante — maps drawn with Leaflet (vendored), without any tile server: the product works offline.
 *
 * Every element `.eq-map[data-geojson]` becomes a map. `data-geojson` names either the id of a
 * `<script type="application/json">` element holding a GeoJSON FeatureCollection, or a URL
 * (starting with "/" or "http") that answers one. The server decides everything that carries
 * meaning: each feature's `properties` hold its fill colour (`fill`), its state (`ok`, `unstable`,
 * `suppressed`, `missing`), its role (`value`, `area`, `current`, `outline`) and the texts of its
 * tooltip (`name`, `code`, `value`, `state_name`); a click opens `url`.
 *
 * Keyboard and screen-reader users get the same information from the data table placed beside each
 * map; the map itself stays keyboard-operable (Leaflet: arrows to pan, +/- to zoom).
 */
(function () {
  "use strict";

  var OUTLINE = "#161616";
  var CONTEXT = "#000091"; // DSFR blue France: the outline of the surrounding territory

  function styleFor(feature) {
    var p = feature.properties || {};
    if (p.role === "outline") {
      return { fill: false, color: CONTEXT, weight: 3, opacity: 0.9, interactive: false };
    }
    if (p.role === "overlay") {
      // a zoning drawn over the classes (QPV, ZIP…): its outline only, colour and dashes from the server
      return { fill: false, color: p.stroke || CONTEXT, weight: 2.5, opacity: 1, dashArray: p.dash || null };
    }
    var style = { color: OUTLINE, weight: 0.8, opacity: 0.9, fillColor: p.fill || "#cacafb", fillOpacity: 0.9 };
    if (p.role === "current") {
      style.weight = 2.5;
    }
    if (p.state === "unstable") {
      // fragile value: the class colour, faded, with a dashed outline (not by colour alone)
      style.fillOpacity = 0.4;
      style.dashArray = "4 3";
    } else if (p.state === "suppressed") {
      style.fillColor = "url(#eq-hatch)";
      style.fillOpacity = 1;
    } else if (p.state === "missing") {
      style.fillColor = "#ffffff";
      style.fillOpacity = 1;
      style.dashArray = "1 3";
      style.weight = 1.2;
    }
    return style;
  }

  function line(parent, text, className) {
    var element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    parent.appendChild(element);
    return element;
  }

  // Tooltip built from text nodes only: names come from imported files and are never parsed as HTML.
  function tooltipFor(p) {
    var box = document.createElement("div");
    box.className = "eq-tooltip";
    line(box, p.name + (p.code ? " (" + p.code + ")" : ""), "eq-tooltip__name");
    if (p.role === "value") {
      if (p.value) {
        line(box, p.value, "eq-tooltip__value");
      }
      if (p.state && p.state !== "ok") {
        line(box, p.state_name || p.state, "eq-tooltip__state");
      }
    }
    return box;
  }

  function bindFeature(feature, layer) {
    var p = feature.properties || {};
    if (p.role === "outline") {
      return;
    }
    layer.on("add", function () {
      // the code on the drawn path ties it to its row in the table (and lets tests find it)
      var path = layer.getElement && layer.getElement();
      if (path && p.code) {
        path.setAttribute("data-code", p.code);
      }
    });
    layer.bindTooltip(tooltipFor(p), { sticky: true, direction: "top", opacity: 0.95 });
    layer.on("mouseover", function () {
      layer.setStyle({ weight: 3 });
      layer.bringToFront();
    });
    layer.on("mouseout", function () {
      layer.setStyle({ weight: styleFor(feature).weight });
    });
    if (p.url) {
      layer.on("click", function () {
        window.location.assign(p.url);
      });
    }
  }

  function draw(element, data) {
    var map = L.map(element, {
      zoomControl: false,
      attributionControl: true,
      scrollWheelZoom: false, // the page scrolls; zoom with the buttons or a double click
      zoomSnap: 0.25,
      renderer: L.svg({ padding: 0.5 })
    });
    L.control.zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(map);
    map.attributionControl.setPrefix("Leaflet");
    var layer = L.geoJSON(data, { style: styleFor, onEachFeature: bindFeature }).addTo(map);
    var box = data.bbox;
    var bounds = box && box.length === 4 ? L.latLngBounds([box[1], box[0]], [box[3], box[2]]) : layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12] });
    } else {
      map.setView([46.6, 2.4], 5); // France, when nothing has a geometry
    }
    // the outlines (and overlays) stay on top of the filled territories
    layer.eachLayer(function (item) {
      var role = item.feature && item.feature.properties && item.feature.properties.role;
      if (role === "outline" || role === "overlay") {
        item.bringToFront();
      }
    });
    element.setAttribute("data-drawn", String(data.features ? data.features.length : 0));
    // pages that add controls to a map (e.g. overlays shown or hidden) listen to this event
    element.dispatchEvent(new CustomEvent("eq:map-drawn", { detail: { map: map, layer: layer } }));
    return map;
  }

  function load(element) {
    var source = element.getAttribute("data-geojson");
    if (!source) {
      return;
    }
    if (source.charAt(0) === "/" || source.indexOf("http") === 0) {
      fetch(source, { headers: { Accept: "application/geo+json, application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (data) {
          draw(element, data);
        })
        .catch(function () {
          element.setAttribute("data-drawn", "error");
        });
      return;
    }
    var script = document.getElementById(source);
    if (script) {
      draw(element, JSON.parse(script.textContent));
    }
  }

  function start() {
    if (typeof L === "undefined") {
      return; // Leaflet missing: the tables still hold every figure
    }
    var elements = document.querySelectorAll(".eq-map[data-geojson]");
    for (var i = 0; i < elements.length; i += 1) {
      load(elements[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
