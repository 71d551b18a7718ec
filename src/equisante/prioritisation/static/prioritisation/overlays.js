/*
 * equisante — the zonings (QPV, ZIP) drawn over the prioritisation map, shown or hidden with the
 * checkboxes of the form without reloading the page. The server sends every overlay feature
 * (role "overlay", property "overlay" = "qpv" or "zip"); this script keeps those of unchecked
 * boxes off the map. Without JavaScript there is no map, and the table holds everything.
 */
(function () {
  "use strict";

  var element = document.getElementById("prioritisation-map");
  if (!element) {
    return;
  }

  element.addEventListener("eq:map-drawn", function (event) {
    var layer = event.detail.layer;
    var groups = {};
    layer.eachLayer(function (item) {
      var p = item.feature && item.feature.properties;
      if (p && p.role === "overlay") {
        (groups[p.overlay] = groups[p.overlay] || []).push(item);
      }
    });

    function apply(key, shown) {
      (groups[key] || []).forEach(function (item) {
        if (shown && !layer.hasLayer(item)) {
          layer.addLayer(item);
          item.bringToFront();
        } else if (!shown && layer.hasLayer(item)) {
          layer.removeLayer(item);
        }
      });
      var legend = document.querySelector('[data-overlay-legend="' + key + '"]');
      if (legend) {
        legend.hidden = !shown;
      }
      element.setAttribute("data-overlay-" + key, shown ? "shown" : "hidden");
    }

    var boxes = document.querySelectorAll("input[data-overlay]");
    for (var i = 0; i < boxes.length; i += 1) {
      apply(boxes[i].value, boxes[i].checked);
      boxes[i].addEventListener("change", function (change) {
        apply(change.target.value, change.target.checked);
      });
    }
  });
})();
