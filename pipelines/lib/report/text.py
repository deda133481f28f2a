"""Numbers as a reader sees them, and escaping of untrusted text for Markdown and reportlab.

Every text that comes from a leak or an input file (claims, reasons, printed rows, paths, company and
site names, quarantined records) is untrusted. HTML is escaped by Jinja2's autoescape; Markdown by
`md`; reportlab's Paragraph mini-markup by `pdf`.
"""
from __future__ import annotations

import re
import string
from datetime import date, datetime

from pipelines.lib.common.missing import is_missing

UNKNOWN = "unknown"


def share(value) -> str:
    """A share as a percentage: 'unknown' for NULL (never 0), tiny shares (idle-AI mining on Bitcoin,
    1e-7) in scientific notation rather than '0.00 %'."""
    if is_missing(value):
        return UNKNOWN
    value = float(value)
    if value == 0:
        return "0 %"
    pct = value * 100
    if abs(value) < 1e-4:
        return f"{pct:.1e} %"
    if abs(pct) < 1:
        return f"{pct:.3f} %"
    return f"{pct:.1f} %" if abs(pct) >= 10 else f"{pct:.2f} %"


def interval(p50, p05, p95) -> str:
    """'p50 [p05, p95]' as shares; 'unknown' when the median is."""
    if is_missing(p50):
        return UNKNOWN
    return f"{share(p50)} [{share(p05)}, {share(p95)}]"


def number(value, digits: int = 3) -> str:
    """A count or measure for a table: thousands separated, small or huge ones in e-notation."""
    if is_missing(value):
        return UNKNOWN
    value = float(value)
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e12 or magnitude < 1e-3:
        return f"{value:.{max(digits - 1, 0)}e}"
    if magnitude >= 1000 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{digits}g}" if magnitude >= 1 else f"{value:.{digits}g}"


def usd(value) -> str:
    if is_missing(value):
        return UNKNOWN
    value = float(value)
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    if magnitude >= 1e9:
        return f"{sign}{magnitude / 1e9:,.2f} bn USD"
    if magnitude >= 1e6:
        return f"{sign}{magnitude / 1e6:,.2f} M USD"
    if magnitude >= 100:
        return f"{sign}{magnitude:,.0f} USD"
    return f"{sign}{magnitude:,.2f} USD"


def day(value) -> str:
    if is_missing(value):
        return UNKNOWN
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell(value) -> str:
    """A number, date or flag as table text. (A string passes through unchanged: callers wrap text
    from the warehouse in model.U so the renderers escape it.)"""
    if is_missing(value):
        return ""
    if isinstance(value, (date, datetime)):
        return day(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return number(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def clip(text, limit: int = 300) -> str:
    """At most `limit` characters, control characters made spaces, with a mark when cut."""
    if text is None:
        return ""
    text = _CONTROL.sub(" ", str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# CommonMark lets every ASCII punctuation character be escaped with a backslash, and an escaped
# character is always literal text: no emphasis, link, image, HTML, code span, heading, list,
# table cell break or entity. Escaping all of them is simpler to trust than choosing.
_MD_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")


def md(text) -> str:
    """Untrusted text as inert Markdown inline text: every ASCII punctuation character
    backslash-escaped (so no `<tag>`, `[link](url)`, `**`, `|`, backticks, `#`, `&entity;`, or
    autolink `http://`), line breaks and control characters made spaces (a table cell stays one cell)."""
    if text is None:
        return ""
    text = _CONTROL.sub(" ", str(text)).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


def pdf(text) -> str:
    """Untrusted text for a reportlab Paragraph (which parses `<b>`, `<a href>`, `<img>`, `&...;`):
    XML-escaped, control characters removed, line breaks kept as breaks."""
    from xml.sax.saxutils import escape

    if text is None:
        return ""
    text = _CONTROL.sub(" ", str(text)).replace("\r", "")
    return escape(text).replace("\n", "<br/>")


_MD_TRUSTED = re.compile(r"([\\`*_<>|])")


def md_trusted(text: str) -> str:
    """This package's own text for Markdown: only the characters that would turn it into markup by
    accident (emphasis, code, a table cell break, an HTML tag) escaped, one line."""
    return _MD_TRUSTED.sub(r"\\\1", str(text).replace("\r", " ").replace("\n", " "))
