"""The certificate's page without Django: the shipped font's coverage of
the five countries' alphabets (every glyph present), the letters read back
out of the PDF with pypdf, and the page's size."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from contest import certificates
from contest.certificates import layout

ROOT = Path(__file__).resolve().parents[2]

# Every letter of the five countries' alphabets beyond the basic Latin and
# Russian ones, both cases (Uzbek Latin's oʻ and gʻ take U+02BB).
ALPHABETS = {
    "kk": "ӘәҒғҚқҢңӨөҰұҮүҺһІі",
    "ky": "ҢңӨөҮү",
    "tg": "ҒғӢӣҚқӮӯҲҳҶҷ",
    "tk": "ÄäÇçŇňÖöŞşÜüÝýŽž",
    "uz": "OʻoʻGʻgʻShshChchʼ",
    "uz-cyrl": "ЎўҚқҒғҲҳЪъ",
}
RUSSIAN = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]



@pytest.mark.unit
@pytest.mark.parametrize("bold", [False, True])
def test_the_shipped_font_has_every_letter_of_the_five_alphabets(bold):
    letters = "".join(ALPHABETS.values()) + RUSSIAN + LATIN + "«»“”–·"

    assert layout.font_covers(letters, bold=bold) == ""


@pytest.mark.unit
def test_the_font_check_names_a_missing_letter():
    # A letter of a script DejaVu Sans does not draw (Devanagari): the
    # check can fail.
    assert layout.font_covers("Ә क") == "क"


@pytest.mark.unit
def test_the_font_is_the_copy_shipped_with_the_project_with_its_licence():
    names = {path.name for path in layout.FONT_DIR.iterdir()}

    assert names >= {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE"}
    assert "Bitstream" in (layout.FONT_DIR / "LICENSE").read_text()
    assert layout.FONT_DIR.is_relative_to(layout.Path(certificates.__file__).parent)


@pytest.mark.unit
def test_every_letter_comes_back_out_of_the_pdf():
    line = " ".join(ALPHABETS.values())
    page = layout.CertificatePage(
        heading="Sertifikat", lead="-", first_name=line, statement=RUSSIAN, contest_title="Ýüzli Şöhrat Ňäçe",
        date="15.03.2026",
    )

    text = pdf_text(certificates.certificate_pdf(page=page))[0]

    assert "".join(text.split()).count("".join(line.split())) == 1
    assert RUSSIAN in text
    assert "Ýüzli Şöhrat Ňäçe" in text


@pytest.mark.unit
def test_the_page_is_a4_landscape():
    page = layout.CertificatePage(heading="H", lead="L", first_name="Aida", statement="S", contest_title="C", date="D")

    box = PdfReader(io.BytesIO(certificates.certificate_pdf(page=page))).pages[0].mediabox

    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


@pytest.mark.unit
def test_the_layout_loads_no_django():
    # The page is drawn from plain data: importing it must not need settings.
    code = "import sys, contest.certificates; print(sorted(m for m in sys.modules if m.startswith('django')))"

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)

    assert result.stdout.strip() == "[]"
