"""QGIS opens route.gpkg and applies movemap's default styles by itself.

PyQGIS is Debian's ``python3-qgis`` for the system interpreter (/usr/bin/python3), not the
venv's, so the check runs there in a subprocess, headless (QT_QPA_PLATFORM=offscreen). CI
installs the package (.ci/run); where it is missing the tests are skipped, except in CI
(``CI`` set), where a missing PyQGIS is a failure: CI must not pass by skipping.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import maps

SYSTEM_PYTHON = "/usr/bin/python3"

QGIS_SCRIPT = r"""
import json, sys
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsMapRendererParallelJob,
                       QgsMapSettings, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], False)
app.initQgis()
path, png = sys.argv[1], sys.argv[2]
from qgis.core import Qgis
out = {"version": Qgis.QGIS_VERSION}
layers = {}
for name in ("legs", "places"):
    # as the Data Source Manager / a drag and drop opens it: default options load the default style
    lyr = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    layers[name] = lyr
    r = lyr.renderer()
    info = {"valid": lyr.isValid(), "features": lyr.featureCount(), "renderer": r.type()}
    if r.type() == "categorizedSymbol":
        info["attr"] = r.classAttribute()
        info["categories"] = {}
        for c in r.categories():
            sls = c.symbol().symbolLayers()
            info["categories"][c.value()] = [
                {"type": sl.layerType(), "pen": sl.properties().get("line_style"),
                 "placement": sl.properties().get("placement"),
                 "marker": (sl.subSymbol().symbolLayer(0).properties().get("name") if sl.subSymbol() else None)}
                for sl in sls]
    info["labels"] = bool(lyr.labelsEnabled())
    info["label_field"] = lyr.labeling().settings().fieldName if lyr.labeling() else None
    info["display"] = lyr.displayExpression()
    info["fields"] = {f.name(): f.typeName() for f in lyr.fields()}
    # the style's temporal settings (QGIS 3.22 resets them after a default-style load at layer
    # creation; loading the default style again restores them)
    msg, ok = lyr.loadDefaultStyle()
    tp = lyr.temporalProperties()
    info["temporal"] = [tp.isActive(), int(tp.mode()), tp.startField(), tp.endField(), ok]
    out[name] = info

ms = QgsMapSettings()
ms.setLayers([layers["places"], layers["legs"]])
ms.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
ext = layers["legs"].extent()
ext.scale(1.1)
ms.setExtent(ext)
ms.setOutputSize(QSize(600, 300))
ms.setBackgroundColor(QColor(255, 255, 255))
job = QgsMapRendererParallelJob(ms)
job.start()
job.waitForFinished()
img = job.renderedImage()
img.save(png, "png")
red = 0
for x in range(img.width()):
    for y in range(img.height()):
        c = QColor(img.pixel(x, y))
        if c.red() > 150 and c.green() < 110 and c.blue() < 100:
            red += 1
out["red_pixels"] = red
print("MOVEMAP-QGIS " + json.dumps(out, ensure_ascii=False), flush=True)
del job, ms, layers, lyr, r
app.exitQgis()
import os
os._exit(0)  # PyQGIS may crash in interpreter teardown; the result is already out
"""


def _system_env(runtime_dir: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(PATH="/usr/local/bin:/usr/bin:/bin", QT_QPA_PLATFORM="offscreen")
    if runtime_dir is not None:  # Qt wants a private runtime folder
        runtime_dir.mkdir(mode=0o700, exist_ok=True)
        env["XDG_RUNTIME_DIR"] = str(runtime_dir)
    return env


def _have_pyqgis() -> bool:
    if not os.path.exists(SYSTEM_PYTHON):
        return False
    try:
        res = subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, env=_system_env(),
                             timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return res.returncode == 0


if os.environ.get("CI") and not _have_pyqgis():
    raise RuntimeError("PyQGIS (Debian python3-qgis) is missing in CI: .ci/run must install it")
pytestmark = pytest.mark.skipif(not _have_pyqgis(), reason="PyQGIS (Debian python3-qgis) not installed")


def _open_in_qgis(gpkg: Path, png: Path) -> dict:
    res = subprocess.run([SYSTEM_PYTHON, "-c", QGIS_SCRIPT, str(gpkg), str(png)], capture_output=True, text=True,
                         env=_system_env(png.parent / "xdg-runtime"), timeout=300)
    line = next((x for x in res.stdout.splitlines() if x.startswith("MOVEMAP-QGIS ")), None)
    assert res.returncode == 0 and line, res.stdout + res.stderr
    return json.loads(line[len("MOVEMAP-QGIS "):])


@pytest.fixture(scope="module")
def qgis_view(tmp_path_factory):
    import importlib.util

    spec = importlib.util.spec_from_file_location("maps_test_fixtures", Path(__file__).with_name("conftest.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path_factory.mktemp("qgis")
    maps.write_outputs(mod.sample_route(), out, formats=["gpkg"])
    return _open_in_qgis(out / "route.gpkg", out / "legs.png"), out


def test_qgis_applies_leg_style_on_open(qgis_view):
    view, _ = qgis_view
    legs = view["legs"]
    assert legs["valid"] and legs["features"] == 4
    assert legs["renderer"] == "categorizedSymbol" and legs["attr"] == "status"
    cats = legs["categories"]
    assert set(cats) == {"reported", "expected", "inferred"}
    for status, pen in (("reported", "solid"), ("expected", "dash"), ("inferred", "dot")):
        line, arrows = cats[status]
        assert line["type"] == "SimpleLine" and line["pen"] == pen
        assert arrows["type"] == "MarkerLine" and arrows["placement"] == "centralpoint"
        assert arrows["marker"] == "filled_arrowhead"
    assert legs["display"].startswith("concat(")
    assert legs["fields"]["start"] == "Date" and legs["fields"]["count"] == "Integer"
    assert legs["temporal"] == [True, 1, "start", "end", True]


def test_qgis_applies_place_style_on_open(qgis_view):
    view, _ = qgis_view
    places = view["places"]
    assert places["valid"] and places["features"] == 6
    assert places["renderer"] == "categorizedSymbol" and places["attr"] == "role"
    assert set(places["categories"]) == {"route", "mention"}
    assert places["labels"] and "name" in places["label_field"]
    assert places["temporal"][2:4] == ["first_date", "last_date"]


def test_qgis_draws_the_reported_legs_red(qgis_view):
    view, out = qgis_view
    assert (out / "legs.png").stat().st_size > 0
    assert view["red_pixels"] > 100  # (0 without the style) reported legs: solid red lines with arrowheads
