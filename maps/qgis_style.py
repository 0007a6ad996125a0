"""QGIS styles for the GeoPackage: QML documents and the ``layer_styles`` rows that carry them.

QGIS keeps a layer's default style in a ``layer_styles`` table of the GeoPackage and applies it
when the layer is opened. It looks the row up by ``f_table_catalog`` (''), ``f_table_schema``
(''), ``f_table_name`` (the layer), ``f_geometry_column`` (``geom``) and ``useAsDefault``; a row
that differs in any of these is silently ignored, so :func:`layer_style_rows` writes exactly
what QGIS itself writes when a user saves a style into a GeoPackage (checked against QGIS 3.22).

The styles match the HTML map:

- ``legs``: a categorized renderer on ``status``: reported a solid red line, expected a dashed
  orange line, inferred a dotted grey line; each with an arrowhead at the middle of the line
  (a marker line rotated along it) showing the direction of travel. The temporal properties
  use ``start``/``end``, so QGIS's temporal controller plays the route by date.
- ``places``: a categorized renderer on ``role``: route places larger blue circles, labelled
  with their name; places only mentioned small lilac circles. Temporal on ``first_date``/
  ``last_date``.

The QML writes symbol layer properties both as ``<Option>`` maps (QGIS >= 3.18) and as ``<prop>``
elements (older QGIS), the way QGIS 3.22 writes them, so every QGIS 3 release reads them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Iterable

__all__ = [
    "LEG_STATUS_STYLES",
    "PLACE_ROLE_STYLES",
    "legs_qml",
    "places_qml",
    "layer_style_rows",
    "LAYER_STYLES_FIELDS",
    "QGIS_VERSION",
]

QGIS_VERSION = "3.22.0"
_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"

# status -> (label, colour r,g,b, Qt pen style, width in mm); colours as in maps/html.py LEG_STYLES
LEG_STATUS_STYLES = {
    "reported": ("Reported (the text says it happened)", (192, 57, 43), "solid", 0.8),
    "expected": ("Expected (announced or planned)", (230, 126, 34), "dash", 0.8),
    "inferred": ("Inferred (linked by movemap)", (108, 122, 137), "dot", 0.6),
}
# role -> (label, fill r,g,b, outline r,g,b, size in mm); colours as in maps/html.py PLACE_STYLES
PLACE_ROLE_STYLES = {
    "route": ("Route place (origin, stop or destination)", (74, 144, 217), (23, 54, 93), 3.2),
    "mention": ("Mentioned only", (179, 157, 219), (91, 63, 140), 2.0),
}

_NO_SCALE = "3x:0,0,0,0,0,0"


def _rgba(rgb: tuple[int, int, int], alpha: int = 255) -> str:
    return ",".join(str(c) for c in (*rgb, alpha))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: str(v) for k, v in attrib.items()})
    if text is not None:
        el.text = text
    return el


def _ddp(parent: ET.Element) -> None:
    """An empty data-defined property collection (QGIS writes one per symbol and layer)."""
    ddp = _sub(parent, "data_defined_properties")
    opt = _sub(ddp, "Option", type="Map")
    _sub(opt, "Option", type="QString", name="name", value="")
    _sub(opt, "Option", name="properties")
    _sub(opt, "Option", type="QString", name="type", value="collection")


def _symbol_layer(symbol: ET.Element, cls: str, props: dict[str, str]) -> ET.Element:
    layer = _sub(symbol, "layer", **{"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    opt = _sub(layer, "Option", type="Map")
    for k, v in props.items():
        _sub(opt, "Option", type="QString", name=k, value=v)
    for k, v in props.items():
        _sub(layer, "prop", k=k, v=v)
    return layer


def _symbol(parent: ET.Element, kind: str, name: str) -> ET.Element:
    sym = _sub(parent, "symbol", type=kind, name=name, alpha="1", clip_to_extent="1", force_rhr="0")
    _ddp(sym)
    return sym


def _simple_line(symbol: ET.Element, rgb: tuple[int, int, int], pen: str, width: float) -> None:
    layer = _symbol_layer(symbol, "SimpleLine", {
        "line_color": _rgba(rgb),
        "line_style": pen,
        "line_width": f"{width:g}",
        "line_width_unit": "MM",
        "width_map_unit_scale": _NO_SCALE,
        "capstyle": "round" if pen == "dot" else ("flat" if pen == "dash" else "square"),
        "joinstyle": "round",
        "use_custom_dash": "0",
        "customdash": "5;2",
        "customdash_unit": "MM",
        "customdash_map_unit_scale": _NO_SCALE,
        "offset": "0",
        "offset_unit": "MM",
        "offset_map_unit_scale": _NO_SCALE,
        "draw_inside_polygon": "0",
        "ring_filter": "0",
    })
    _ddp(layer)


def _simple_marker(symbol: ET.Element, shape: str, fill: tuple[int, int, int], outline: tuple[int, int, int] | None,
                   size: float, outline_width: float = 0.3) -> None:
    layer = _symbol_layer(symbol, "SimpleMarker", {
        "name": shape,
        "color": _rgba(fill),
        "outline_color": _rgba(outline or fill),
        "outline_style": "solid" if outline else "no",
        "outline_width": f"{outline_width:g}",
        "outline_width_unit": "MM",
        "outline_width_map_unit_scale": _NO_SCALE,
        "size": f"{size:g}",
        "size_unit": "MM",
        "size_map_unit_scale": _NO_SCALE,
        "angle": "0",
        "offset": "0,0",
        "offset_unit": "MM",
        "offset_map_unit_scale": _NO_SCALE,
        "horizontal_anchor_point": "1",
        "vertical_anchor_point": "1",
        "joinstyle": "bevel",
        "scale_method": "diameter",
    })
    _ddp(layer)


def _arrow_line(symbol: ET.Element, sym_name: str, rgb: tuple[int, int, int], size: float) -> None:
    """A marker line with one filled arrowhead at the middle of each line, rotated along it."""
    layer = _symbol_layer(symbol, "MarkerLine", {
        "placement": "centralpoint",
        "rotate": "1",
        "interval": "3",
        "interval_unit": "MM",
        "interval_map_unit_scale": _NO_SCALE,
        "offset": "0",
        "offset_unit": "MM",
        "offset_map_unit_scale": _NO_SCALE,
        "offset_along_line": "0",
        "offset_along_line_unit": "MM",
        "offset_along_line_map_unit_scale": _NO_SCALE,
        "average_angle_length": "4",
        "average_angle_unit": "MM",
        "average_angle_map_unit_scale": _NO_SCALE,
        "ring_filter": "0",
    })
    _ddp(layer)
    marker = _symbol(layer, "marker", f"@{sym_name}@1")
    _simple_marker(marker, "filled_arrowhead", rgb, None, size)


def _root(geometry_type: int, labels: bool) -> ET.Element:
    return ET.Element("qgis", {
        "version": QGIS_VERSION,
        "styleCategories": "Symbology|Labeling|Temporal|MapTips|Rendering",
        "labelsEnabled": "1" if labels else "0",
        "hasScaleBasedVisibilityFlag": "0",
        "minScale": "100000000",
        "maxScale": "0",
        "simplifyDrawingHints": "1" if geometry_type == 1 else "0",
        "simplifyAlgorithm": "0",
        "simplifyDrawingTol": "1",
        "simplifyLocal": "1",
        "simplifyMaxScale": "1",
        "readOnly": "0",
    })


def _temporal(root: ET.Element, start_field: str, end_field: str) -> None:
    """Feature time from a start and an end field (QGIS mode 1); a null end is open-ended."""
    t = _sub(root, "temporal", enabled="1", mode="1", startField=start_field, endField=end_field,
             startExpression="", endExpression="", durationField="", durationUnit="d", fixedDuration="0",
             accumulate="0", limitMode="1")
    fr = _sub(t, "fixedRange")
    _sub(fr, "start")
    _sub(fr, "end")


def _categorized(root: ET.Element, attr: str, categories: Iterable[tuple[str, str]]) -> ET.Element:
    r = _sub(root, "renderer-v2", type="categorizedSymbol", attr=attr, symbollevels="0", forceraster="0",
             enableorderby="0", referencescale="-1")
    cats = _sub(r, "categories")
    for i, (value, label) in enumerate(categories):
        _sub(cats, "category", value=value, symbol=str(i), label=label, render="true")
    return r


def _finish(root: ET.Element, renderer: ET.Element, preview: str, map_tip: str, geometry_type: int) -> str:
    _sub(renderer, "rotation")
    _sub(renderer, "sizescale")
    _sub(root, "blendMode", "0")
    _sub(root, "featureBlendMode", "0")
    _sub(root, "layerOpacity", "1")
    _sub(root, "legend", type="default-vector", showLabelLegend="0")
    _sub(root, "previewExpression", preview)
    _sub(root, "mapTip", map_tip)
    _sub(root, "layerGeometryType", str(geometry_type))
    ET.indent(root, space=" ")
    return _DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"


def legs_qml() -> str:
    """QML for the ``legs`` layer: categorized on ``status`` (solid / dash / dot, with arrows)."""
    root = _root(1, labels=False)
    _temporal(root, "start", "end")
    renderer = _categorized(root, "status", [(s, v[0]) for s, v in LEG_STATUS_STYLES.items()])
    symbols = _sub(renderer, "symbols")
    for i, (label, rgb, pen, width) in enumerate(LEG_STATUS_STYLES.values()):
        sym = _symbol(symbols, "line", str(i))
        _simple_line(sym, rgb, pen, width)
        _arrow_line(sym, str(i), rgb, 3.6 if width >= 0.8 else 3.0)
    return _finish(
        root, renderer,
        preview="concat(\"sequence\", '. ', \"from_name\", ' → ', \"to_name\")",
        map_tip=("<b>[% \"sequence\" %]. [% \"from_name\" %] → [% \"to_name\" %]</b><br>"
                 "[% \"status\" %], [% coalesce(to_string(\"start\"), '?') %] – [% coalesce(to_string(\"end\"), '?') %]"
                 "<br>[% \"mode\" %] [% coalesce(\"actor\", '') %]"),
        geometry_type=1,
    )


def _place_labels(root: ET.Element) -> None:
    """Label route places with their name (mentions stay unlabelled)."""
    lab = _sub(root, "labeling", type="simple")
    s = _sub(lab, "settings", calloutType="simple")
    ts = _sub(s, "text-style", fieldName="CASE WHEN \"role\" = 'route' THEN \"name\" END", isExpression="1",
              fontSize="9", fontSizeUnit="Point", fontWeight="50", fontItalic="0", textColor="23,54,93,255",
              textOpacity="1", namedStyle="Regular", multilineHeight="1", blendMode="0", previewBkgrdColor="255,255,255,255")
    _sub(ts, "text-buffer", bufferDraw="1", bufferSize="0.8", bufferSizeUnits="MM", bufferColor="255,255,255,255",
         bufferOpacity="0.85", bufferJoinStyle="128", bufferNoFill="1", bufferBlendMode="0")
    _sub(s, "text-format", wrapChar="", multilineAlign="0", plussign="0", reverseDirectionSymbol="0",
         leftDirectionSymbol="<", rightDirectionSymbol=">", formatNumbers="0", decimals="3", addDirectionSymbol="0")
    _sub(s, "placement", placement="6", dist="1.2", distUnits="MM", priority="5", quadOffset="4", offsetType="0",
         predefinedPositionOrder="TR,TL,BR,BL,R,L,TSR,BSR", fitInPolygonOnly="0", centroidWhole="0", centroidInside="0")
    _sub(s, "rendering", obstacle="1", obstacleType="0", obstacleFactor="1", displayAll="0", upsidedownLabels="0",
         limitNumLabels="0", maxNumLabels="2000", mergeLines="0", minFeatureSize="0", scaleVisibility="0",
         fontLimitPixelSize="0", fontMinPixelSize="3", fontMaxPixelSize="10000", labelPerPart="0", zIndex="0",
         drawLabels="1")


def places_qml() -> str:
    """QML for the ``places`` layer: categorized on ``role`` (route vs mention), route places labelled."""
    root = _root(0, labels=True)
    _temporal(root, "first_date", "last_date")
    renderer = _categorized(root, "role", [(r, v[0]) for r, v in PLACE_ROLE_STYLES.items()])
    symbols = _sub(renderer, "symbols")
    for i, (label, fill, outline, size) in enumerate(PLACE_ROLE_STYLES.values()):
        sym = _symbol(symbols, "marker", str(i))
        _simple_marker(sym, "circle", fill, outline, size, 0.4 if size >= 3 else 0.2)
    _place_labels(root)
    return _finish(
        root, renderer,
        preview="\"name\"",
        map_tip=("<b>[% \"name\" %]</b> ([% \"role\" %])<br>[% coalesce(\"admin1\", '') %] [% coalesce(\"country_code\", '') %]"
                 "<br>[% coalesce(to_string(\"first_date\"), '') %] – [% coalesce(to_string(\"last_date\"), '') %]"),
        geometry_type=0,
    )


# layer_styles columns in QGIS's order (as QGIS creates the table through OGR)
LAYER_STYLES_FIELDS = (
    "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName", "styleQML",
    "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time",
)


def layer_style_rows(update_time: str, geometry_column: str = "geom") -> list[dict]:
    """One default-style row per layer (``legs``, ``places``) for the ``layer_styles`` table.

    ``update_time`` is an ISO timestamp (the writer passes a fixed one so the file is
    reproducible). ``styleName`` stays within QGIS's 30 characters.
    """
    rows = []
    for table, qml, desc in (
        ("legs", legs_qml(), "movemap legs by status: reported solid, expected dashed, inferred dotted; "
                             "arrows show the direction of travel"),
        ("places", places_qml(), "movemap places by role: route places labelled, mentions small"),
    ):
        rows.append({
            "f_table_catalog": "",
            "f_table_schema": "",
            "f_table_name": table,
            "f_geometry_column": geometry_column,
            "styleName": f"movemap {table}",
            "styleQML": qml,
            "styleSLD": "",
            "useAsDefault": True,
            "description": desc,
            "owner": "",
            "ui": None,
            "update_time": update_time,
        })
    return rows
