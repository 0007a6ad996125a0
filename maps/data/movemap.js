/* movemap route map: legs, places, one layer per source article, layer control, timeline,
 * legend and fit to the route. Inlined into route.html by maps/layers.py (RouteLayers); it
 * needs nothing but Leaflet and loads nothing.
 *
 * Every string in the data is HTML that maps/popups.py has already escaped. This code only
 * joins those fragments with fixed markup (popupHtml mirrors maps.popups.popup_html) and sets
 * plain text with textContent; it never builds markup from anything else.
 *
 * data = {
 *   statuses: [{key, name, cls, style}],           leg layers (name: HTML, cls: CSS classes)
 *   placeStyles: [style, ...],
 *   sources: [{item, cite, name, claim, color, cls, legs, places}],   one per article
 *   legs: [[latlngs, statusIndex, since, record], ...]               in sequence order
 *   places: [[latlng, styleIndex, isMention, since, record], ...]
 *   timeline: {min, max} | null,  bounds: [[s, w], [n, e]] | null,  maxEvidence: 5
 * }
 * record = {t, rows: [[label, value]], src: [sourceIndex], ev: [[sourceIndex, sentence, span]], more, tip}
 */
(function (root) {
    "use strict";

    function popupHtml(rec, sources, only, claim, maxEvidence) {
        var h = '<div class="mm-pop">' + (claim || "") + '<div class="mm-title">' + rec.t + '</div><table class="mm-tab">';
        var i;
        for (i = 0; i < rec.rows.length; i++) {
            h += "<tr><th>" + rec.rows[i][0] + "</th><td>" + rec.rows[i][1] + "</td></tr>";
        }
        h += "</table>";
        if (rec.src.length) {
            h += '<div class="mm-h">Sources</div><ul class="mm-src">';
            for (i = 0; i < rec.src.length; i++) { h += "<li>" + sources[rec.src[i]].item + "</li>"; }
            h += "</ul>";
        }
        var ev = rec.ev, more = rec.more;
        if (only !== null && only !== undefined) {
            var mine = ev.filter(function (e) { return e[0] === only; });
            if (mine.length) { ev = mine; more = 0; }
        }
        if (ev.length) {
            h += '<div class="mm-h">Evidence</div>';
            for (i = 0; i < ev.length && i < maxEvidence; i++) {
                h += '<blockquote class="mm-ev">&ldquo;' + ev[i][1] + "&rdquo;<cite>" + sources[ev[i][0]].cite +
                    " [" + ev[i][2] + "]</cite></blockquote>";
            }
            more += Math.max(0, ev.length - maxEvidence);
        }
        if (more) { h += '<div class="mm-more">and ' + more + " more sentence(s) in route.geojson</div>"; }
        return h + "</div>";
    }

    function dayNumber(iso) {
        var p = iso.split("-");
        return Math.round(Date.UTC(+p[0], +p[1] - 1, +p[2]) / 864e5);
    }

    function isoDay(n) {
        return new Date(n * 864e5).toISOString().slice(0, 10);
    }

    function ensurePane(map, name, z) {
        if (!map.getPane(name)) { map.createPane(name).style.zIndex = String(z); }
        return name;
    }

    function movemapRoute(map, fixed, data) {
        var sources = data.sources, maxEv = data.maxEvidence || 5;
        var legPane = ensurePane(map, "mm-legs", 410);
        var srcPane = ensurePane(map, "mm-sources", 420);
        var placePane = ensurePane(map, "mm-places", 430);
        var timed = [];     // {layer, group, since, leg}
        var legLayers = [], hitLayers = [];

        // popups stay clear of the layer control (the padding is set once the control exists)
        var popupPad = L.point(20, 20);
        var popupOptions = {maxWidth: 400, maxHeight: 380, className: "mm-popup",
                            autoPanPaddingTopLeft: L.point(50, 50), autoPanPaddingBottomRight: popupPad};

        function bind(layer, rec, only, claim, sticky) {
            layer.bindPopup(function () { return popupHtml(rec, sources, only, claim, maxEv); }, popupOptions);
            if (rec.tip) { layer.bindTooltip(rec.tip, {sticky: sticky, className: "mm-tip"}); }
        }

        var currentDate = null;   // the timeline's date (null: the whole route)

        function track(layer, group, since, isLeg) {
            if (currentDate === null || !since || since <= currentDate) { group.addLayer(layer); }
            timed.push({layer: layer, group: group, since: since, leg: isLeg});
        }

        // legs by status (solid / dashed / dotted), each with an arrowhead at its middle vertex
        // A transparent, wider line on top of each leg takes the clicks and hovers, so thin
        // dotted legs are as easy to hit as solid ones.
        var statusGroups = data.statuses.map(function () { return L.featureGroup(); });
        data.legs.forEach(function (leg, i) {
            var st = data.statuses[leg[1]];
            var line = L.polyline(leg[0], L.extend({}, st.style, {pane: legPane, smoothFactor: 0, interactive: false,
                                                                  className: "mm-leg " + st.cls}));
            var hit = L.polyline(leg[0], {pane: legPane, smoothFactor: 0, weight: 14, opacity: 0, className: "mm-leg-hit"});
            line.mmLeg = hit.mmLeg = i;
            line.bindPopup(function () { return popupHtml(leg[3], sources, null, "", maxEv); }, popupOptions);
            bind(hit, leg[3], null, "", true);
            track(line, statusGroups[leg[1]], leg[2], true);
            track(hit, statusGroups[leg[1]], leg[2], true);
            legLayers.push(line);
            hitLayers.push(hit);
        });

        // places: route stops and mentioned-only places
        var routePlaces = L.featureGroup(), mentions = L.featureGroup();
        data.places.forEach(function (p) {
            var style = L.extend({}, data.placeStyles[p[1]], {pane: placePane, className: p[2] ? "mm-place mm-mention" : "mm-place mm-stop"});
            var marker = L.circleMarker(p[0], style);
            bind(marker, p[4], null, "", false);
            track(marker, p[2] ? mentions : routePlaces, p[3], false);
        });

        // one layer per source article: the legs and stops it reports, in its colour (drawn the
        // first time the layer is switched on)
        function fillSource(group, src, s) {
            data.legs.forEach(function (leg) {
                if (leg[3].src.indexOf(s) < 0) { return; }
                var line = L.polyline(leg[0], {pane: srcPane, smoothFactor: 0, color: src.color, weight: 6, opacity: 0.55,
                                               lineCap: "round", className: "mm-src-leg " + src.cls});
                bind(line, leg[3], s, src.claim, true);
                track(line, group, leg[2], true);
            });
            data.places.forEach(function (p) {
                if (p[2] || p[4].src.indexOf(s) < 0) { return; }
                var ring = L.circleMarker(p[0], {pane: srcPane, radius: 10, color: src.color, weight: 3, opacity: 0.9,
                                                 fill: false, className: "mm-src-place"});
                bind(ring, p[4], s, src.claim, false);
                track(ring, group, p[3], false);
            });
        }
        var sourceGroups = sources.map(function (src, s) {
            var group = L.featureGroup(), filled = false;
            group.on("add", function () {
                if (!filled) { filled = true; fillSource(group, src, s); }
            });
            return group;
        });

        // layer control: outlines and tiles, legs, places, then the sources (off at first)
        var control = L.control.layers(null, null, {collapsed: false, position: "topright"});
        fixed.forEach(function (f) { control.addOverlay(f[1], f[0]); });
        data.statuses.forEach(function (st, k) {
            if (statusGroups[k].getLayers().length) { control.addOverlay(statusGroups[k], st.name); }
        });
        for (var k = statusGroups.length - 1; k >= 0; k--) {   // reported drawn on top
            if (statusGroups[k].getLayers().length) { statusGroups[k].addTo(map); }
        }
        control.addOverlay(routePlaces, "Route places");
        control.addOverlay(mentions, "Mentioned places");
        routePlaces.addTo(map);
        sources.forEach(function (src, s) { control.addOverlay(sourceGroups[s], src.name); });
        control.addTo(map);
        L.DomUtil.addClass(control.getContainer(), "mm-layers");
        popupPad.x = Math.min(control.getContainer().offsetWidth + 20, map.getSize().x * 0.4);

        // legend (static markup from the page) as a control
        var legendEl = document.getElementById("mm-legend");
        if (legendEl) {
            var Legend = L.Control.extend({
                options: {position: "bottomright"},
                onAdd: function () {
                    var div = L.DomUtil.create("div", "mm-legend-box leaflet-bar");
                    legendEl.style.display = "";
                    div.appendChild(legendEl);
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.disableScrollPropagation(div);
                    return div;
                }
            });
            new Legend().addTo(map);
        }

        // timeline: the route as of a date; legs (and stops) that start later are hidden
        var api = {map: map, legs: legLayers, hits: hitLayers, statusGroups: statusGroups, routePlaces: routePlaces,
                   mentions: mentions, sourceGroups: sourceGroups, control: control, date: null,
                   setDate: function () {}, timeline: data.timeline || null};
        var nLegs = data.legs.length;

        function applyDate(iso) {
            var shown = 0;
            timed.forEach(function (t) {
                var visible = iso === null || !t.since || t.since <= iso;
                if (visible && !t.group.hasLayer(t.layer)) { t.group.addLayer(t.layer); }
                else if (!visible && t.group.hasLayer(t.layer)) { t.group.removeLayer(t.layer); }
            });
            data.legs.forEach(function (leg) { if (iso === null || !leg[2] || leg[2] <= iso) { shown++; } });
            api.date = currentDate = iso;
            return shown;
        }

        if (data.timeline) {
            var first = dayNumber(data.timeline.min), span = Math.max(0, dayNumber(data.timeline.max) - first);
            var step = Math.max(1, Math.ceil(span / 30)), timer = null;
            var els = {};
            var Timeline = L.Control.extend({
                options: {position: "bottomleft"},
                onAdd: function () {
                    var div = L.DomUtil.create("div", "mm-timeline leaflet-bar");
                    els.play = L.DomUtil.create("button", "mm-play", div);
                    els.play.type = "button";
                    els.play.textContent = "\u25B6";
                    els.play.title = "Play: step through the dates";
                    els.play.setAttribute("aria-label", "Play the route date by date");
                    els.slider = L.DomUtil.create("input", "mm-slider", div);
                    els.slider.type = "range";
                    els.slider.min = "0";
                    els.slider.max = String(span);
                    els.slider.step = "1";
                    els.slider.value = String(span);
                    els.slider.setAttribute("aria-label", "Show the route as of this date");
                    els.label = L.DomUtil.create("div", "mm-date", div);
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.disableScrollPropagation(div);
                    L.DomEvent.on(els.slider, "input change", function () { stop(); show(+els.slider.value); });
                    L.DomEvent.on(els.play, "click", function () { if (timer) { stop(); } else { play(); } });
                    return div;
                }
            });

            var show = function (v) {
                v = Math.max(0, Math.min(span, Math.round(v)));
                if (+els.slider.value !== v) { els.slider.value = String(v); }
                var iso = isoDay(first + v), shown = applyDate(iso);
                els.label.textContent = "as of " + iso + " \u00B7 " + shown + " of " + nLegs + " legs";
                return iso;
            };
            var stop = function () {
                if (timer) { clearInterval(timer); timer = null; }
                els.play.textContent = "\u25B6";
                els.play.title = "Play: step through the dates";
            };
            var play = function () {
                if (+els.slider.value >= span) { show(0); }
                els.play.textContent = "\u275A\u275A";
                els.play.title = "Pause";
                timer = setInterval(function () {
                    var v = +els.slider.value + step;
                    show(v);
                    if (v >= span) { stop(); }
                }, 500);
            };
            new Timeline().addTo(map);
            show(span);
            api.setDate = function (iso) {
                stop();
                return show(iso === null ? span : dayNumber(iso) - first);
            };
        }

        // fit the view to the route, clear of the layer control and the timeline
        if (data.bounds) {
            var size = map.getSize(), ctl = control.getContainer();
            var tl = document.querySelector(".mm-timeline");
            var right = Math.min((ctl ? ctl.offsetWidth : 0) + 30, size.x * 0.45);
            var bottom = Math.min((tl ? tl.offsetHeight : 0) + 30, size.y * 0.3);
            map.fitBounds(data.bounds, {paddingTopLeft: [40, 60], paddingBottomRight: [right, bottom], maxZoom: 9,
                                          animate: false});
        }

        root.movemap = api;
        return api;
    }

    root.movemapRoute = movemapRoute;
    root.movemapPopupHtml = popupHtml;
})(window);
