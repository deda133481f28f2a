"""Pages whose text runs sideways: a /Rotate over content drawn upright, or text drawn turned.

pdfplumber gives every position on the page as a viewer shows it (after /Rotate), x from the left
and top from the top. A page whose text runs down, up or upside down in that frame is read in a
frame turned anticlockwise by the text's angle, where the text runs left to right (reading_view);
the rows found there have their bboxes turned back onto the page as a viewer shows it (as_shown).
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

from pipelines.lib.costsheets.tables import RawTable


Box = tuple[float, float, float, float]


def _text_angle(char: dict) -> int:
    """How far a char's baseline is turned clockwise on the page, to the nearest 90 degrees."""
    a, b = char["matrix"][:2]
    return round(math.degrees(math.atan2(-b, a)) / 90) % 4 * 90


def _reading_angle(chars: list[dict]) -> int:
    """The angle most of the page's printed chars are turned by (0 when none are, or as many)."""
    angles = Counter(_text_angle(c) for c in chars if c["text"].strip())
    return max(angles, key=lambda a: (angles[a], a == 0), default=0)


def _turned_frame(frame: Box, angle: int) -> Box:
    """The page's box turned anticlockwise by `angle`: the same corner, width and height swapped at
    90 and 270 degrees."""
    x0, top, x1, bottom = frame
    return (x0, top, x0 + bottom - top, top + x1 - x0) if angle % 180 else frame


def _turn_point(x: float, top: float, frame: Box, angle: int) -> tuple[float, float]:
    """A point on the page (box `frame`) where it lands when the page is turned anticlockwise by
    `angle`; turning back is turning the turned frame by 360 - angle."""
    x0, t0, x1, t1 = frame
    u, v, width, height = x - x0, top - t0, x1 - x0, t1 - t0
    u, v = {0: (u, v), 90: (v, width - u), 180: (width - u, height - v), 270: (height - v, u)}[angle]
    return x0 + u, t0 + v


def _turn_box(box: Box, frame: Box, angle: int) -> Box:
    (ax, at), (bx, bt) = _turn_point(box[0], box[1], frame, angle), _turn_point(box[2], box[3], frame, angle)
    return min(ax, bx), min(at, bt), max(ax, bx), max(at, bt)


def _turn_object(obj: dict, frame: Box, angle: int) -> dict:
    """A pdfplumber object (char, line, rect, curve, image) on the page turned by `angle`; a char
    is upright when it runs along the turned page's lines (its matrix stays as printed)."""
    x0, top, x1, bottom = _turn_box((obj["x0"], obj["top"], obj["x1"], obj["bottom"]), frame, angle)
    turned_bottom = _turned_frame(frame, angle)[3]
    out = {**obj, "x0": x0, "top": top, "x1": x1, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
           "y0": turned_bottom - bottom, "y1": turned_bottom - top, "doctop": obj["doctop"] - obj["top"] + top}
    if "pts" in obj:
        out["pts"] = [_turn_point(x, t, frame, angle) for x, t in obj["pts"]]
    if "path" in obj:
        out["path"] = [(cmd, *(_turn_point(x, t, frame, angle) for x, t in pts)) for cmd, *pts in obj["path"]]
    if obj.get("object_type") == "char":
        out["upright"] = _text_angle(obj) == angle
    return out


def reading_view(page):
    """(the page as it is read, the angle it is turned by): the page itself when most of its text is
    upright, else a pdfplumber page holding its objects turned so that text runs left to right (ruled
    tables, words and the text above a table are then read there as on any page)."""
    from pdfplumber.page import CroppedPage

    angle = _reading_angle(page.chars)
    if angle == 0:
        return page, 0
    # a derived page over the turned frame whose 'crop' of each object list turns the objects
    return CroppedPage(page, _turned_frame(page.bbox, angle), strict=False,
                       crop_fn=lambda objs, _: [_turn_object(o, page.bbox, angle) for o in objs]), angle


def as_shown(table: RawTable, frame: Box, angle: int) -> RawTable:
    """A table read on a page turned by `angle`, its rows' bboxes turned back onto the page (box
    `frame`) as a viewer shows it."""
    turned, back = _turned_frame(frame, angle), (360 - angle) % 360
    return replace(table, rows=[replace(r, bbox=tuple(round(v, 2) for v in _turn_box(r.bbox, turned, back)))
                                if r.bbox else r for r in table.rows])
