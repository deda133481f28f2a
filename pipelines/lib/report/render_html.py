"""The report as one self-contained HTML file (Jinja2, autoescape on; images as data: URIs)."""
from __future__ import annotations

import base64


def render(doc) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("pipelines.lib.report", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    images = {f.name: "data:image/png;base64," + base64.b64encode(f.png).decode("ascii") for f in doc.figures()}
    return env.get_template("report.html.j2").render(doc=doc, images=images)
