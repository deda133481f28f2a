"""The text layer of a PDF, page by page (pypdfium2), for the readers that need plain text."""
from __future__ import annotations


def page_texts(pdf) -> list[str]:
    """Each page's text layer of an open `pypdfium2.PdfDocument`, with newlines normalised to '\\n'."""
    pages = []
    for index in range(len(pdf)):
        page = pdf[index]
        textpage = page.get_textpage()
        pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
        textpage.close()
        page.close()
    return pages
