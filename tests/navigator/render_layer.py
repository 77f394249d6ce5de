"""Draws a Navigator layer with MITRE's own mitreattack-python (navlayers' ToSvg) and prints,
as JSON, the fill colour it gave each technique cell: what a user of that library sees.

Usage: render_layer.py LAYER.json ENTERPRISE_STIX.json OUT.svg
"""
import json
import re
import sys

from mitreattack.navlayers import Layer, SVGConfig, ToSvg

layer_path, stix_path, svg_path = sys.argv[1:4]
layer = Layer()
layer.from_file(layer_path)
config = SVGConfig(width=30, height=12, legendWidth=3, legendHeight=1, showLegend=True)
ToSvg(domain="enterprise", source="local", resource=stix_path, config=config).to_svg(
    layer, filepath=svg_path
)
svg = open(svg_path, encoding="utf-8").read()
cells = []
# A technique cell: a filled rect, then the text that names it ("T1059 Command and ...").
for fill, text in re.findall(
    r'<rect[^>]*style="fill: rgb\(([^)]*)\)"[^>]*>.*?<text[^>]*>(?:<tspan[^>]*>)?([^<]*)<',
    svg,
    re.S,
):
    m = re.match(r"\s*(T\d{4}(?:\.\d{3})?)\b", text)
    if m:
        cells.append({"id": m.group(1), "rgb": [int(x) for x in fill.split(",")]})
print(json.dumps(cells))
