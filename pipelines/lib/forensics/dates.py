"""Dates as documents store them: PDF date strings (ISO 32000-1, 7.9.4) and ISO 8601 (XMP, OOXML, ODF).

Strict: a string that is not a date of its format gives None, never a guess. A date written without a UTC
offset is read as UTC and says so (`has_offset` False), since the writer's time zone is unknown.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple


class Stamp(NamedTuple):
    at: dt.datetime        # timezone-aware (UTC when the file gave no offset)
    has_offset: bool       # the file gave a UTC offset (or Z)


# D:YYYYMMDDHHmmSSOHH'mm' with every part after the year optional; O is +, - or Z.
# Seen in the wild besides the standard: a trailing apostrophe missing or doubled, "Z00'00'".
_PDF_DATE = re.compile(
    r"^(?:D:)?(?P<Y>\d{4})(?P<M>\d{2})?(?P<D>\d{2})?(?P<h>\d{2})?(?P<m>\d{2})?(?P<s>\d{2})?"
    r"(?:(?P<o>[+\-Z])(?:(?P<oh>\d{2})'?(?:(?P<om>\d{2})'?)?)?)?$")

_ISO_DATE = re.compile(
    r"^(?P<Y>\d{4})(?:-(?P<M>\d{2})(?:-(?P<D>\d{2})(?:[T ](?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"(?P<o>Z|[+\-]\d{2}:?\d{2})?)?)?)?$")


def _build(y, mo, d, h, mi, s, offset: dt.timedelta | None) -> Stamp | None:
    try:
        tz = dt.timezone(offset) if offset is not None else dt.timezone.utc
        at = dt.datetime(int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0), int(s or 0), tzinfo=tz)
    except (ValueError, OverflowError):
        return None
    return Stamp(at.astimezone(dt.timezone.utc), offset is not None)


def parse_pdf_date(text) -> Stamp | None:
    """'D:20240315120000+01'00'' -> 2024-03-15 11:00 UTC with an offset; None when not a PDF date."""
    if text is None:
        return None
    text = str(text).strip().rstrip("\x00")
    match = _PDF_DATE.match(text)
    if not match:
        return None
    g = match.groupdict()
    if g["o"] in ("+", "-") and g["oh"] is None:
        return None
    return _stamp(g, g["o"], g["oh"], g["om"])


def parse_iso_date(text) -> Stamp | None:
    """'2024-03-15T12:00:00+01:00' (XMP, OOXML core.xml, ODF meta.xml) -> a Stamp; None when not ISO 8601."""
    if text is None:
        return None
    match = _ISO_DATE.match(str(text).strip())
    if not match:
        return None
    g = match.groupdict()
    digits = (g["o"] or "")[1:].replace(":", "")
    return _stamp(g, (g["o"] or "")[:1] or None, digits[:2] or None, digits[2:] or None)


def _stamp(g: dict, sign: str | None, hours: str | None, minutes: str | None) -> Stamp | None:
    """The Stamp of a matched date: `sign` 'Z', '+', '-' or None (no offset given); None when the offset is
    beyond the ±14 h any time zone has."""
    offset = None
    if sign == "Z":
        offset = dt.timedelta(0)
    elif sign:
        offset = dt.timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
        if offset > dt.timedelta(hours=14):
            return None
        offset = offset if sign == "+" else -offset
    return _build(g["Y"], g["M"], g["D"], g["h"], g["m"], g["s"], offset)
