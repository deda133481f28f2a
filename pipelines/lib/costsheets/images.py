"""Scanned or photographed cost sheets given as images (PNG, JPEG, TIFF; a multi-page TIFF is one page
per frame), OCRed like a scanned PDF page (ocr.ocr_gray: rules erased, tesseract's words, tables from
their positions, turned by 90/180/270 degrees when tesseract's orientation detection says so).

The page's lighting is evened out first (a photo lit from one side: see `flattened`); a photo or a
scan fed in crooked is then deskewed: the small angle (up to 15 degrees) at which the
rows of text lie is the one under which the image's row profile (dark pixels per pixel row) is most
peaked: text lines and the gaps between them then fall on separate rows. The image is turned back by
that angle before OCR. A row's `page` is the image's 1-based page (TIFF frame); its bbox is in pixels
of the deskewed image.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from pipelines.lib.costsheets.errors import DocumentError
from pipelines.lib.costsheets.office import Read
from pipelines.lib.costsheets.words import word_lines

MAX_PIXELS = 80_000_000          # per page: 80 Mpx is a 10,000 x 8,000 photo; beyond, a decompression bomb
MAX_SKEW = 15.0                  # degrees; a page turned further is turned by a quarter turn (OSD) or unreadable
_TARGET_LONG_SIDE = 2400         # pixels: about 200 dpi on an A4 page, what tesseract reads well


def _profile_score(dark, angle: float) -> float:
    """How peaked the row profile of `dark` (a small binary image) is once turned by `angle` degrees."""
    import numpy as np
    from PIL import Image

    turned = np.asarray(Image.fromarray(dark).rotate(angle, resample=Image.NEAREST, expand=False))
    profile = turned.sum(axis=1, dtype=np.float64)
    return float(np.sum(np.diff(profile) ** 2))


def skew_angle(gray) -> float:
    """The angle in degrees (anticlockwise) that sets the text lines of `gray` level: a coarse search
    over +-15 degrees in half-degree steps, then a fine one in tenth-degree steps around the best."""
    import numpy as np
    from PIL import Image

    image = Image.fromarray(gray)
    scale = 800 / max(image.size)
    if scale < 1:
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                             Image.BILINEAR)
    small = np.asarray(image)
    threshold = min(160, float(small.mean()) - 2 * float(small.std()) / 3)
    dark = ((small < threshold) * 255).astype(np.uint8)
    if dark.sum() == 0:
        return 0.0
    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=lambda a: _profile_score(dark, a))
    fine = max(np.arange(coarse - 0.5, coarse + 0.51, 0.1), key=lambda a: _profile_score(dark, a))
    return round(float(fine), 1)


def _frames(path: Path, max_pages: int):
    """Each page of the image as a PIL image (a TIFF's frames), checked against the pixel limit."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(path)
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if number > max_pages:
                raise DocumentError(f"over the page limit: the image has more than {max_pages} pages "
                                    "(LEAKPIPE_PDF_MAX_PAGES)", "cost_sheets.too_many_pages")
            if frame.width * frame.height > MAX_PIXELS:
                raise DocumentError(f"over the size limit: page {number} has {frame.width} x {frame.height} "
                                    f"pixels (limit {MAX_PIXELS:,})", "cost_sheets.too_large")
            frame.load()
            yield number, frame
    except DocumentError:
        raise
    except Image.DecompressionBombError as exc:
        raise DocumentError(f"over the size limit: a decompression bomb? ({exc})", "cost_sheets.too_large") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            EOFError) as exc:
        raise DocumentError(f"damaged or not an image ({type(exc).__name__}: {exc})",
                            "cost_sheets.damaged_image") from exc


def upright_gray(frame):
    """(the page in grayscale, scaled so its long side is about 2,400 pixels, its lighting evened out,
    deskewed, its grey table rules erased; pixels per original pixel; the skew angle turned back)."""
    import numpy as np
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(frame)      # a phone photo stored sideways with an EXIF turn
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    gray = image.convert("L")
    scale = min(3.0, _TARGET_LONG_SIDE / max(gray.size))
    if abs(scale - 1.0) > 0.1:
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)), Image.LANCZOS)
    else:
        scale = 1.0
    gray = flattened(gray)
    angle = skew_angle(np.asarray(gray))
    if abs(angle) >= 0.3:
        gray = gray.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    return erase_grey_rules(np.asarray(gray)), scale, angle


def flattened(gray):
    """The page with its lighting evened out (a photo lit from one side, a yellowed scan): each pixel
    divided by the paper's brightness around it (the brightest pixel within about 80 pixels, smoothed),
    so the paper is white everywhere and the print keeps its contrast. A white scan is left as it is."""
    import numpy as np
    from PIL import Image, ImageFilter

    small = gray.resize((max(1, gray.width // 16), max(1, gray.height // 16)), Image.BILINEAR)
    paper = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(2)).resize(gray.size,
                                                                                           Image.BILINEAR)
    ratio = np.asarray(gray, dtype=np.float32) / np.maximum(np.asarray(paper, dtype=np.float32), 1.0)
    return Image.fromarray(np.clip(ratio * 255.0, 0, 255).astype(np.uint8))


def erase_grey_rules(gray):
    """Table rules whitened before OCR even where the scan (or turning the page level) left them grey
    and a pixel off straight: dark runs (below 200) at least 1/25 of the page long, allowing a pixel
    of wobble across the run, are turned white. The OCR's own eraser (ocr._erase_rules) wants rules
    black and straight, as a rendered PDF page has them."""
    import numpy as np

    from pipelines.lib.costsheets.ocr import _long_runs

    dark = gray < 200
    out = gray.copy()
    across = dark | np.roll(dark, 1, axis=0) | np.roll(dark, -1, axis=0)      # horizontal rules' wobble
    out[_long_runs(across.T, max(60, gray.shape[1] // 25)).T & dark] = 255
    down = dark | np.roll(dark, 1, axis=1) | np.roll(dark, -1, axis=1)        # vertical rules' wobble
    out[_long_runs(down, max(60, gray.shape[0] // 40)) & dark] = 255
    return out


def read_image(path: Path, *, max_pages: int, deadline: float, ocr_langs: str | None) -> Read:
    if ocr_langs is None:
        raise DocumentError("needs OCR: run make system-deps (the image holds a picture of the page, and "
                            "tesseract is not installed)", "cost_sheets.needs_ocr")
    from pipelines.lib.costsheets.ocr import ocr_gray

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    tables, text, parts, notes, pages = [], [], [], [], 0
    for number, frame in _frames(path, max_pages):
        if time.monotonic() > deadline:
            raise DocumentError(f"timed out: extraction took longer than the limit at page {number} "
                                "(LEAKPIPE_PDF_TIMEOUT_SECONDS)", "cost_sheets.timeout")
        pages = number
        gray, scale, skew = upright_gray(frame)
        words, found, _, angle = ocr_gray(gray, number, ocr_langs, 1.0 / scale, "ocr")
        if abs(skew) >= 0.3:
            notes.append(f"page {number} deskewed by {skew:+.1f} degrees")
        if angle:
            notes.append(f"page {number} read turned by {angle} degrees")
        page_text = "\n".join(" ".join(w["text"] for w in line) for line in word_lines(words))
        text.append(page_text)
        parts.append((f"image page {number}", page_text))
        tables += found
    return Read(tables, "\n".join(text), pages, f"{pages} image page(s) OCRed", notes, parts)
