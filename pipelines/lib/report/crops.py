"""The spot on a leaked PDF page where a claim is printed, cut out as a PNG.

`core.cost_sheet_lines.bbox` is (x0, top, x1, bottom) in PDF points on the page as a viewer shows
it (after /Rotate), from the top left corner: pdfplumber's frame. pypdfium2 renders the page as a
viewer shows it too, so at `scale` pixels per point the box is the bbox times `scale`.

The documents are untrusted and only ever read: a path from the warehouse is resolved under the raw
folder and refused when it leaves it (`..`, absolute paths, symlinks out); a file whose bytes are no
longer the ones loaded (sha256 = document_id) is not shown, since its page may say something else.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

SCALE = 2.0                  # pixels per PDF point (144 dpi)
MAX_PAGE_PIXELS = 16_000_000  # a huge page is rendered at a lower scale
MARGIN_X, MARGIN_Y = 10.0, 14.0  # points of context around the line
MAX_WIDTH_PX = 1400


@dataclass
class Crop:
    png: bytes | None
    note: str                 # why there is no image, or what the image shows


class PageCache:
    """Rendered pages and checked files, so several claims on one page render it once."""

    def __init__(self, raw_dir: Path):
        self.raw_dir = Path(raw_dir)
        self._files: dict[tuple[str, str], tuple[Path | None, str]] = {}
        self._pages: dict[tuple[Path, int], object] = {}

    def resolve(self, rel_path: str | None, document_id: str) -> tuple[Path | None, str]:
        key = (rel_path or "", document_id or "")
        if key not in self._files:
            self._files[key] = _resolve(self.raw_dir, rel_path, document_id)
        return self._files[key]

    def page(self, path: Path, page_no: int):
        """(PIL image, scale) of page `page_no` (1-based); raises on an unreadable page."""
        key = (path, page_no)
        if key not in self._pages:
            self._pages[key] = _render(path, page_no)
        return self._pages[key]


def _resolve(raw_dir: Path, rel_path: str | None, document_id: str) -> tuple[Path | None, str]:
    from pipelines.lib.intake.inventory import sha256_of

    if not rel_path:
        return None, "no document path in core.documents"
    try:
        root = raw_dir.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, "the raw folder is not there"
    try:
        path = (root / rel_path).resolve()
    except (OSError, RuntimeError) as exc:
        return None, f"the path cannot be resolved ({type(exc).__name__})"
    if not path.is_relative_to(root):
        return None, "refused: the path resolves outside the raw folder"
    if not path.is_file():
        return None, "the file is no longer in the raw folder"
    try:
        if document_id and sha256_of(path) != document_id:
            return None, "the file changed since it was loaded (its sha256 differs), so its page is not shown"
    except OSError as exc:
        return None, f"the file cannot be read ({type(exc).__name__})"
    return path, ""


def _render(path: Path, page_no: int):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))      # an encrypted file raises (no password is tried)
    try:
        if not 1 <= page_no <= len(doc):
            raise ValueError(f"page {page_no} is not in the document ({len(doc)} pages)")
        page = doc[page_no - 1]
        try:
            width, height = page.get_size()
            scale = SCALE
            if width * height * scale * scale > MAX_PAGE_PIXELS:
                scale = (MAX_PAGE_PIXELS / max(width * height, 1.0)) ** 0.5
            bitmap = page.render(scale=scale)
            image = bitmap.to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        doc.close()
    return image, scale


class _NoImage(Exception):
    def __init__(self, crop: Crop):
        super().__init__(crop.note)
        self.crop = crop


def crop_line(cache: PageCache, *, rel_path: str | None, document_id: str, media_type: str | None,
              page_no, bbox, store=None) -> Crop:
    """The line's spot on its page with a margin and a red frame round the line, or the reason there is none.
    With `store` (a cache.ImageCache), a crop of the same bytes (document_id: the file's sha256, checked
    against the file before it is used), page and box is taken from it instead of rendering the page."""
    if bbox is None or media_type != "application/pdf":
        suffix = Path(rel_path or "").suffix.lower().lstrip(".")
        kind = suffix if suffix.isalnum() and len(suffix) <= 5 else (media_type or "non-PDF").split("/")[-1][:40]
        return Crop(None, f"no page image: the line comes from a {kind} file, which has no page to show")
    try:
        x0, top, x1, bottom = (float(v) for v in bbox)
    except (TypeError, ValueError):
        return Crop(None, "no page image: the stored position is not four numbers")
    if not (x1 > x0 and bottom > top):
        return Crop(None, "no page image: the stored position is an empty box")
    path, why = cache.resolve(rel_path, document_id)
    if path is None:
        return Crop(None, f"no page image: {why}")
    if store is None or not document_id:       # without a checked sha256 the bytes are not known
        return _cut(cache, path, page_no, (x0, top, x1, bottom))

    def render() -> bytes:
        crop = _cut(cache, path, page_no, (x0, top, x1, bottom))
        if crop.png is None:
            raise _NoImage(crop)                # a failure is said, not stored
        return crop.png

    from pipelines.lib.report import cache as images

    key = (images.code_digest(__name__), images.versions("pypdfium2", "pillow"),
           document_id, page_no, (x0, top, x1, bottom))
    try:
        png = store.image("crop", key, render)
    except _NoImage as failed:
        return failed.crop
    return Crop(png, f"page {page_no}, the line framed in red")


def _cut(cache: PageCache, path: Path, page_no, box) -> Crop:
    x0, top, x1, bottom = box
    try:
        image, scale = cache.page(path, int(page_no))
    except Exception as exc:  # pdfium raises its own errors for encrypted or damaged files
        message = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        return Crop(None, f"no page image: the PDF cannot be rendered ({message})")
    from PIL import ImageDraw

    w, h = image.size
    left, upper = max(0, int((x0 - MARGIN_X) * scale)), max(0, int((top - MARGIN_Y) * scale))
    right, lower = min(w, int((x1 + MARGIN_X) * scale) + 1), min(h, int((bottom + MARGIN_Y) * scale) + 1)
    if right - left < 4 or lower - upper < 4:
        return Crop(None, "no page image: the stored position lies outside the page")
    piece = image.crop((left, upper, right, lower))
    ImageDraw.Draw(piece).rectangle(
        (x0 * scale - left - 2, top * scale - upper - 2, x1 * scale - left + 2, bottom * scale - upper + 2),
        outline=(200, 30, 30), width=max(2, int(scale)))
    if piece.width > MAX_WIDTH_PX:
        piece = piece.resize((MAX_WIDTH_PX, max(1, round(piece.height * MAX_WIDTH_PX / piece.width))))
    out = io.BytesIO()
    piece.save(out, format="PNG", optimize=True)
    return Crop(out.getvalue(), f"page {page_no}, the line framed in red")
