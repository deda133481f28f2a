"""Reading the report's files in tests: the HTML's tags and the visible text of each section, a PDF's text."""
from html.parser import HTMLParser
from pathlib import Path


class Page(HTMLParser):
    """Tags with their attributes, and the visible text of each <section id=...>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.sections: dict[str, list[str]] = {}
        self.text: list[str] = []
        self._section = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "section":
            self._section = attrs.get("id")
            self.sections[self._section] = []

    def handle_endtag(self, tag):
        if tag == "section":
            self._section = None

    def handle_data(self, data):
        self.text.append(data)
        if self._section:
            self.sections[self._section].append(data)

    def section(self, name: str) -> str:
        return " ".join(" ".join(self.sections.get(name, [])).split())


def parse_html(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    return parser


def read_pdf_text(path: Path) -> tuple[int, str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for page in doc:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return len(doc), "\n".join(texts)
    finally:
        doc.close()
