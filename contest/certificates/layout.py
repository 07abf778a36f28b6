"""The certificate's page, drawn with ReportLab: pure layout, no Django.

One A4 landscape page per certificate: a double border, the contest's name
at the top, the heading, the child's first name, the award if any, a line
about the drawing, the date, and the drawing itself on the right, whole
(scaled to fit, never cropped). Every word comes in already written in the
family's language (`contest.certificates.pages` chooses them).

The text is set in DejaVu Sans, shipped beside this module (`fonts/`, the
Bitstream Vera licence in `fonts/LICENSE`): it has every letter of Kazakh,
Kyrgyz, Tajik, Turkmen and Uzbek in Latin and Cyrillic script. The font is
embedded (subset) in each PDF, so the reader needs nothing installed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "CertificateSans"
BOLD = "CertificateSans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)  # points: 841.9 x 595.3
MARGIN = 28
INK = HexColor("#1f2a44")
ACCENT = HexColor("#1d6b73")
GOLD = HexColor("#b8872b")
PAPER = HexColor("#fffdf7")
MUTED = HexColor("#55607a")


@dataclass(frozen=True)
class CertificatePage:
    """The words and the picture of one certificate, all ready to print.

    `heading` ("Certificate of participation"), `lead` ("Presented to"),
    `first_name`, `award` (the place or the special awards' names; "" on a
    certificate of participation), `statement` (a line about the drawing),
    `contest_title`, `date` (already formatted) and `language` (a BCP 47
    code for the PDF's metadata) are text; `image` is the drawing as JPEG
    or PNG bytes, or None (the page then has no picture)."""

    heading: str
    lead: str
    first_name: str
    statement: str
    contest_title: str
    date: str
    language: str = "en"
    award: str = ""
    image: bytes | None = None


@cache
def fonts_register() -> tuple[str, str]:
    """Register the shipped fonts with ReportLab once per process; returns
    (regular, bold) font names. Raises OSError if a font file is missing."""
    # Binary (Flate) streams rather than ASCII85 text: smaller files, and a
    # certificate made in about half the time. Nothing else in the portal
    # uses ReportLab.
    rl_config.useA85 = 0
    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    return REGULAR, BOLD


def font_covers(text: str, *, bold: bool = False) -> str:
    """The characters of `text` the shipped font has no glyph for ("" when
    it covers them all; spaces and line breaks are not checked)."""
    fonts_register()
    face = pdfmetrics.getFont(BOLD if bold else REGULAR).face
    return "".join(ch for ch in dict.fromkeys(text) if not ch.isspace() and ord(ch) not in face.charToGlyph)


def certificates_write(
    out: BinaryIO, *, pages: Iterable[CertificatePage], title: str = "", language: str = "en"
) -> int:
    """Write a PDF with one A4 landscape page per item of `pages` (read one
    by one) to the binary file `out`; `title` and `language` (a BCP 47
    code) go into its metadata. Returns the number of pages (a PDF without pages gets one
    blank page, as a PDF must have one, and 0 is returned)."""
    regular, bold = fonts_register()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1, lang=language, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("")
    canvas.setProducer("")
    count = 0
    for page in pages:
        _draw(canvas, page, regular, bold)
        canvas.showPage()
        count += 1
    canvas.save()
    return count


def certificate_pdf(*, page: CertificatePage, title: str = "") -> bytes:
    """One certificate as the bytes of a one-page PDF (see
    `certificates_write`)."""
    out = io.BytesIO()
    certificates_write(out, pages=[page], title=title, language=page.language)
    return out.getvalue()


def _fit(text: str, font: str, size: float, width: float, smallest: float) -> float:
    """The font size, at most `size` and at least `smallest`, at which
    `text` fits on one line of `width` points."""
    used = pdfmetrics.stringWidth(text, font, size)
    return size if used <= width else max(smallest, size * width / used)


def _centred_lines(canvas, text, font, size, centre_x, top, width, *, colour, leading=1.25, max_lines=3) -> float:
    """Draw `text` wrapped in `width`, each line centred on `centre_x`,
    starting at baseline `top`; returns the baseline below the last line."""
    lines = simpleSplit(text, font, size, width)[:max_lines] or [""]
    canvas.setFillColor(colour)
    canvas.setFont(font, size)
    y = top
    for line in lines:
        canvas.drawCentredString(centre_x, y, line)
        y -= size * leading
    return y


def _border(canvas) -> None:
    canvas.setFillColor(PAPER)
    canvas.rect(0, 0, PAGE_WIDTH, PAGE_HEIGHT, stroke=0, fill=1)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(6)
    canvas.rect(MARGIN, MARGIN, PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 2 * MARGIN, stroke=1, fill=0)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.2)
    inset = MARGIN + 9
    canvas.rect(inset, inset, PAGE_WIDTH - 2 * inset, PAGE_HEIGHT - 2 * inset, stroke=1, fill=0)
    # Small diamonds in the corners of the inner frame.
    canvas.setFillColor(GOLD)
    for x in (inset, PAGE_WIDTH - inset):
        for y in (inset, PAGE_HEIGHT - inset):
            path = canvas.beginPath()
            path.moveTo(x, y + 6)
            path.lineTo(x + 6, y)
            path.lineTo(x, y - 6)
            path.lineTo(x - 6, y)
            path.close()
            canvas.drawPath(path, stroke=0, fill=1)


def _picture(canvas, image: bytes, box_x: float, box_y: float, box_w: float, box_h: float) -> None:
    """The drawing, whole, centred in the box, on a white mount with a thin frame."""
    reader = ImageReader(io.BytesIO(image))
    width, height = reader.getSize()
    scale = min(box_w / width, box_h / height)
    w, h = width * scale, height * scale
    x, y = box_x + (box_w - w) / 2, box_y + (box_h - h) / 2
    canvas.setFillColor(Color(1, 1, 1))
    canvas.setStrokeColor(HexColor("#d7d2c4"))
    canvas.setLineWidth(0.8)
    canvas.rect(x - 8, y - 8, w + 16, h + 16, stroke=1, fill=1)
    canvas.drawImage(reader, x, y, w, h)


def _text_block(page: CertificatePage, regular: str, bold: str, width: float) -> list[tuple]:
    """The lines of the text column, top to bottom: (text, font, size,
    colour, space above in points)."""
    parts = [
        (page.heading, bold, _fit(page.heading, bold, 30, width, 18), INK, 0, 2),
        (page.lead, regular, 14, MUTED, 22, 1),
        (page.first_name, bold, _fit(page.first_name, bold, 46, width, 20), ACCENT, 12, 2),
    ]
    if page.award:
        parts.append((page.award, bold, _fit(page.award, bold, 22, width, 14), GOLD, 14, 2))
    parts.append((page.statement, regular, 15, INK, 16, 3))
    lines = []
    for text, font, size, colour, space, max_lines in parts:
        for n, line in enumerate(simpleSplit(text, font, size, width)[:max_lines] or [""]):
            lines.append((line, font, size, colour, space if n == 0 else size * 0.3))
    return lines


def _draw(canvas, page: CertificatePage, regular: str, bold: str) -> None:
    _border(canvas)
    inner_left, inner_right = MARGIN + 36, PAGE_WIDTH - MARGIN - 36
    has_picture = page.image is not None
    picture_w = 300 if has_picture else 0
    text_right = inner_right - picture_w - (40 if has_picture else 0)
    text_w = text_right - inner_left
    centre = inner_left + text_w / 2

    # The contest's name across the top.
    size = _fit(page.contest_title, bold, 17, inner_right - inner_left, 10)
    y = _centred_lines(
        canvas, page.contest_title, bold, size, PAGE_WIDTH / 2, PAGE_HEIGHT - MARGIN - 42,
        inner_right - inner_left, colour=ACCENT, max_lines=2,
    )
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1)
    canvas.line(PAGE_WIDTH / 2 - 60, y + 6, PAGE_WIDTH / 2 + 60, y + 6)
    top = y - 6
    foot = MARGIN + 62  # the date's baseline

    if has_picture:
        _picture(canvas, page.image, text_right + 40, foot - 8, picture_w, top - foot - 14)

    # The text column, centred between the rule and the date.
    lines = _text_block(page, regular, bold, text_w)
    height = sum(space + size * 1.2 for _line, _font, size, _colour, space in lines)
    y = top - max(24, (top - foot - 40 - height) / 2)
    for line, font, size, colour, space in lines:
        y -= space + size
        canvas.setFillColor(colour)
        canvas.setFont(font, size)
        canvas.drawCentredString(centre, y, line)
        y -= size * 0.2

    # The date at the foot of the text column, under a short rule.
    canvas.setStrokeColor(MUTED)
    canvas.setLineWidth(0.6)
    canvas.line(centre - 80, foot + 16, centre + 80, foot + 16)
    canvas.setFont(regular, 12)
    canvas.setFillColor(MUTED)
    canvas.drawCentredString(centre, foot, page.date)
