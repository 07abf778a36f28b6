"""What paints before an image's bytes arrive: its BlurHash and dominant
colour (made on the worker), and the BlurHash as a tiny PNG (for the pages)."""

from __future__ import annotations

import io
from functools import lru_cache

import blurhash
from PIL import Image

PLACEHOLDER_LONG_SIDE = 8


def blurhash_of(tiny: Image.Image) -> str:
    """The BlurHash (4×3 components) of a tiny RGB image (about 32 px)."""
    return blurhash.encode(tiny.copy(), 4, 3)


def dominant_color(tiny: Image.Image) -> str:
    """The most common of 6 median-cut colours of a tiny image, '#rrggbb'."""
    quantized = tiny.quantize(6, method=Image.Quantize.MEDIANCUT)
    palette = quantized.getpalette() or []
    count, index = max(quantized.getcolors() or [(1, 0)])
    r, g, b = palette[index * 3 : index * 3 + 3] if len(palette) >= index * 3 + 3 else (255, 255, 255)
    return f"#{r:02x}{g:02x}{b:02x}"


def placeholder_size(width: int, height: int) -> tuple[int, int]:
    """The (w, h) of a placeholder for an image of `width` × `height`: 8 px
    on the long side; the browser stretches it over the image's box."""
    if width <= 0 or height <= 0:
        return PLACEHOLDER_LONG_SIDE, PLACEHOLDER_LONG_SIDE * 3 // 4
    if width >= height:
        return PLACEHOLDER_LONG_SIDE, max(1, round(PLACEHOLDER_LONG_SIDE * height / width))
    return max(1, round(PLACEHOLDER_LONG_SIDE * width / height)), PLACEHOLDER_LONG_SIDE


@lru_cache(maxsize=2048)
def placeholder_png(hash_: str, width: int, height: int) -> bytes:
    """A tiny PNG (about 150 bytes) of BlurHash `hash_` decoded at `width` ×
    `height`, or b"" when the hash is not valid. Cached: a gallery page asks
    for the same few dozen hashes again and again."""
    if not hash_ or not 0 < width <= 32 or not 0 < height <= 32:
        return b""
    try:
        image = blurhash.decode(hash_, width, height)
    except (ValueError, blurhash.BlurhashDecodeError):
        return b""
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "PNG", optimize=True)
    return buf.getvalue()
