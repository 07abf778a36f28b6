"""Finding a child's name written on the drawing (OCR, optional)."""

from __future__ import annotations

from PIL import Image

from .geometry import Box


def ocr_available() -> bool:
    """Whether tesseract with Cyrillic and Latin data is installed here."""
    return False


def find_words(image: Image.Image, names: tuple[str, ...] | list[str]) -> list[Box]:
    """Boxes (normalized to `image`) of written words matching any of
    `names` (the child's first and last name); [] without tesseract."""
    return []
