"""The report as data: sections of blocks, rendered to HTML, Markdown and PDF by three renderers.

Text is either trusted (written by this package: sentences, numbers it formatted) or `U`
(untrusted: anything read from a leak or an input file). A `Sentence` is a trusted template with
named values; each renderer escapes the values for its format (HTML: Jinja2's Markup.format;
Markdown: `text.md`; PDF: `text.pdf`). Table cells are plain `str` (trusted) or `U`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from pipelines.lib.report import text as fmt


class U(str):
    """Untrusted text (from a leak or an input file)."""
    __slots__ = ()


def u(value, limit: int = 300) -> U:
    return U(fmt.clip(value, limit))


@dataclass
class Sentence:
    """This package's own text (the template) with values: a U value is escaped as untrusted, any other
    value is the package's own text, and a Sentence value is rendered by its own rules (so a sentence can
    be built from parts, each escaped only as much as it needs)."""
    template: str
    values: dict = field(default_factory=dict)

    def plain(self) -> str:
        return self.template.format(**{k: v.plain() if isinstance(v, Sentence) else str(v)
                                       for k, v in self.values.items()})

    def __html__(self) -> str:
        # Markup.format escapes every value (a Sentence value renders through its own __html__, whose result
        # must stay Markup: markupsafe escapes a plain str from __html__ again); the template is this
        # package's own text.
        return Markup(escape(self.template)).format(**self.values)

    def markdown(self) -> str:
        return fmt.md_trusted(self.template).format(**{k: _md_value(v) for k, v in self.values.items()})

    def pdf(self) -> str:
        return fmt.pdf(self.template).format(**{k: v.pdf() if isinstance(v, Sentence) else fmt.pdf(v)
                                                for k, v in self.values.items()})


def _md_value(value) -> str:
    if isinstance(value, Sentence):
        return value.markdown()
    return fmt.md(value) if isinstance(value, U) else fmt.md_trusted(str(value))


def say(template: str, **values) -> Sentence:
    return Sentence(template, values)


def joined(parts: list, sep: str = "; ") -> Sentence:
    """Parts (Sentences, U or own text) joined by `sep` (own text) into one Sentence."""
    names = [f"p{i}" for i in range(len(parts))]
    return Sentence(sep.replace("{", "{{").replace("}", "}}").join("{" + n + "}" for n in names),
                    dict(zip(names, parts)))


def as_sentence(value) -> Sentence:
    return value if isinstance(value, Sentence) else Sentence("{x}", {"x": value})


@dataclass
class Paragraph:
    text: Sentence
    kind = "paragraph"
    style: str = ""              # "lead" (the verdict), "note", "warning"


@dataclass
class Bullets:
    items: list[Sentence]
    kind = "bullets"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]        # cells: str (trusted) or U
    note: Sentence | None = None  # e.g. "first 200 of 1,234 rows"
    numeric: set[int] = field(default_factory=set)  # right-aligned columns
    kind = "table"


@dataclass
class Figure:
    name: str                    # file stem: report_files/<name>.png next to the Markdown
    png: bytes
    alt: Sentence
    caption: Sentence
    kind = "figure"
    crop: bool = False           # a cut-out of a leaked page (smaller, framed)


def chart(charts: dict, name: str, alt: Sentence, caption: Sentence) -> list[Figure]:
    """[the chart `name` of `charts` as a figure], or [] where it could not be drawn (no rows to plot)."""
    return [Figure(name, charts[name], alt, caption)] if charts.get(name) else []


@dataclass
class Claim:
    """One implausible leaked line: where it is printed, what it claims, why it cannot be, its crop."""
    title: Sentence
    fields: list[tuple[str, str]]   # (label, value), each str (trusted) or U
    figure: Figure | None
    image_note: Sentence
    kind = "claim"


@dataclass
class Section:
    id: str
    title: str
    blocks: list = field(default_factory=list)


@dataclass
class Document:
    title: str
    subtitle: Sentence
    notice: Sentence | None        # the sample-data notice, shown above everything
    sections: list[Section]

    def figures(self):
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Figure):
                    yield block
                elif isinstance(block, Claim) and block.figure is not None:
                    yield block.figure
