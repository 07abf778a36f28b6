"""Finding a child's name written on the drawing (OCR, optional).

The OCR is tesseract (Debian's `tesseract-ocr` with the `rus`, `eng`,
`uzb_cyrl` and `kaz` data; scripts/browser_setup.sh installs them) driven
through `pytesseract`. Without the program or its Russian and English data
`find_words` answers [] and `ocr_available()` says so.

Matching a read word to the child's names (`name_matches`) is pure Python:
both sides are case-folded, ё becomes е, everything but letters goes, and
each letter is written in Latin (Russian, Uzbek and Kazakh Cyrillic
letters, after the usual passport-style romanizations) and reduced to a
"skeleton" that forgets the romanization's own variants (y/i, kh/x/h,
q/k, zh/j, ...), so Айгуль, AIGUL and Aygul are one word. A name of 5
letters or more also matches a word one edit away (OCR often misreads a
letter); shorter names match exactly; names under 3 letters are ignored.
"""

from __future__ import annotations

import re
import shutil
from functools import lru_cache

from PIL import Image

from .geometry import Box

try:  # pytesseract is a requirement; the tesseract program may still be absent.
    import pytesseract
except ImportError:  # pragma: no cover - a broken install
    pytesseract = None

# The long side, in pixels, the drawing is reduced to before OCR (big
# enough for letters a tenth of the height, small enough to stay ~1 s).
OCR_SIDE = 1600
# Tesseract's page segmentation mode 11: "sparse text, as much text as
# possible in no particular order" (tesseract --help-psm), the case of a
# name written somewhere on a picture.
OCR_CONFIG = "--psm 11"
# Languages, in this order, used when installed; rus and eng are required.
OCR_LANGS = ("rus", "eng", "uzb_cyrl", "kaz")
# A tesseract run longer than this (seconds) is stopped: no names found.
OCR_TIMEOUT = 20
# Words tesseract itself is less sure of (its 0-100 confidence) are noise.
# Low on purpose: a name in big letters over a busy drawing often gets a
# low confidence yet is read right, and the name match itself is strict.
MIN_CONFIDENCE = 5
MIN_NAME_LETTERS = 3
FUZZY_NAME_LETTERS = 5

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Uzbek Cyrillic
    "ў": "o", "қ": "q", "ғ": "g", "ҳ": "h",
    # Kazakh
    "ә": "a", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}
# Romanization variants folded together, applied in this order.
_SKELETON = (
    ("shch", "sh"), ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("x", "h"), ("ts", "c"),
    ("q", "k"), ("w", "v"), ("y", "i"), ("ii", "i"), ("ie", "e"),
)
# Latin letters that look like Cyrillic ones: tesseract with rus+eng often
# reads "ИВАНОВ" as "BaHOB"; the written word is also tried read this way.
_HOMOGLYPHS = str.maketrans("ABCEHKMOPTXYaceopxy", "АВСЕНКМОРТХУасеорху")
_LETTERS = re.compile(r"[^\w]|[\d_]", re.UNICODE)


def _latin(word: str) -> str:
    """`word` case-folded, ё as е, letters only, romanized."""
    letters = _LETTERS.sub("", word.casefold().replace("ё", "е"))
    return "".join(_CYRILLIC.get(ch, ch) for ch in letters)


def skeleton(word: str) -> str:
    """The comparison form of `word`: Latin letters with the
    romanizations' variants folded ("Айгуль" -> "aigul")."""
    text = _latin(word)
    for old, new in _SKELETON:
        text = text.replace(old, new)
    return text


def _within_one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by at most one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def name_parts(names) -> list[str]:
    """The separate words of `names` (first and last names; "Анна-Мария"
    gives two) that are long enough to look for (MIN_NAME_LETTERS)."""
    parts = []
    for name in names:
        for part in re.split(r"[\s\-]+", name or ""):
            if len(_LETTERS.sub("", part)) >= MIN_NAME_LETTERS:
                parts.append(part)
    return parts


def name_matches(word: str, names) -> bool:
    """Whether the written `word` (any script, case, punctuation) is one of
    `names` (strings; a name may hold several words): the same skeleton,
    or, for a name of FUZZY_NAME_LETTERS letters or more, one edit away;
    the word is also read with Latin look-alikes as Cyrillic letters.
    Whole words only; names shorter than MIN_NAME_LETTERS never match."""
    readings = {skeleton(word), skeleton(word.translate(_HOMOGLYPHS))}
    readings = {r for r in readings if len(r) >= MIN_NAME_LETTERS}
    for part in name_parts(names):
        wanted = skeleton(part)
        fuzzy = len(_LETTERS.sub("", part)) >= FUZZY_NAME_LETTERS
        for written in readings:
            if written == wanted or (fuzzy and _within_one_edit(written, wanted)):
                return True
    return False


@lru_cache(maxsize=1)
def _languages() -> str | None:
    """"rus+eng[+uzb_cyrl][+kaz]" when tesseract and its rus and eng data
    are installed, else None."""
    if pytesseract is None or shutil.which("tesseract") is None:
        return None
    try:
        installed = set(pytesseract.get_languages(config=""))
    except (OSError, RuntimeError, pytesseract.TesseractError):
        return None
    if not {"rus", "eng"} <= installed:
        return None
    return "+".join(lang for lang in OCR_LANGS if lang in installed)


def ocr_available() -> bool:
    """Whether tesseract with Cyrillic (rus) and Latin (eng) data is
    installed here (asked once per process)."""
    return _languages() is not None


def read_words(image: Image.Image) -> list[tuple[str, Box]]:
    """Every word tesseract reads in `image` with at least MIN_CONFIDENCE,
    with its box normalized to `image`; [] without tesseract or when the
    run exceeds OCR_TIMEOUT seconds."""
    langs = _languages()
    if langs is None:
        return []
    grey = image.convert("L")
    grey.thumbnail((OCR_SIDE, OCR_SIDE), Image.Resampling.LANCZOS)
    width, height = grey.size
    try:
        data = pytesseract.image_to_data(
            grey, lang=langs, config=OCR_CONFIG, output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT
        )
    except (RuntimeError, pytesseract.TesseractError):
        return []
    words = []
    for text, conf, left, top, w, h in zip(
        data["text"], data["conf"], data["left"], data["top"], data["width"], data["height"]
    ):
        if text.strip() and float(conf) >= MIN_CONFIDENCE:
            words.append((text, Box(left / width, top / height, w / width, h / height)))
    return words


def find_words(image: Image.Image, names: tuple[str, ...] | list[str]) -> list[Box]:
    """Boxes (normalized to `image`, any mode and size) of written words
    matching any of `names` (the child's first and last name) by
    `name_matches`; never the text itself. [] without tesseract, without
    a name long enough to look for, or when the OCR times out."""
    if not name_parts(names):
        return []
    return [box for text, box in read_words(image) if name_matches(text, names)]

