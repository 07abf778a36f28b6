"""Rendition sizes, downscaling and the encoders' settings."""

from __future__ import annotations

import io

from PIL import Image

from .specs import RenditionSpec

# Encoder settings. WebP encoding is the most expensive step of the rendition
# set (about half of an upright 12 Mpx JPEG's time), so libwebp's default
# method 4 is not used. Measured at q80 on 1200 px renditions (21 corpus
# drawings / 4 real photos, ms per image, KB, PSNR against the source):
#   method 4: 27.5 / 87 ms, 45.2 / 118 KB, 36.1 / 36.3 dB
#   method 2: 13.5 / 46 ms, 46.6 / 122 KB, 35.8 / 36.0 dB
#   method 1: 10.2 / 31 ms, 49.1 / 132 KB, 36.2 / 36.3 dB
#   method 0:  9.0 / 24 ms, 50.9 / 136 KB, 36.2 / 36.3 dB
# Method 0 takes 33-47 % less time than method 2 for files 9-12 % larger at
# the same quality (equal size would need about q76, 0.6-0.8 dB lower): the
# price of keeping an upright 12 Mpx JPEG's whole set within 3x of its full
# decode. The method-0 files stay 8 % (drawings) to 18 % (photos) smaller
# than the q82 JPEG renditions.
# Method 2 would be the choice if bytes served mattered more than worker CPU.
# JPEG renditions are baseline with default Huffman tables (no `optimize`,
# no progressive): `optimize` triples the encode time for 4 % smaller files.
JPEG_QUALITY = 82
WEBP_QUALITY = 80
WEBP_METHOD = 0
# Re-encoded originals (sideways, CMYK, wide-gamut, PNG/WebP/HEIF/AVIF input)
# are stored as JPEG q92: visually lossless for photos of drawings, and an
# order of magnitude cheaper and smaller than PNG at 12 MP. Transparency is
# flattened on white first, so nothing is lost by leaving PNG.
ORIGINAL_QUALITY = 92


def target_size(size: tuple[int, int], spec: RenditionSpec) -> tuple[int, int]:
    """The rendition size for a source of `size` (w, h): fit into `width`
    and/or `long_side`, never larger than the source, at least 1 px."""
    width, height = size
    scale = 1.0
    if spec.width:
        scale = min(scale, spec.width / width)
    if spec.long_side:
        scale = min(scale, spec.long_side / max(width, height))
    if scale >= 1.0:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """`size` (w, h) fitted into `long_side` pixels, never enlarged."""
    return target_size(size, RenditionSpec("", "", long_side=long_side))


def shrink(im: Image.Image, target: tuple[int, int]) -> Image.Image:
    """The image downscaled to `target` (w, h) pixels, itself when already that size."""
    if im.size == target:
        return im
    k = round(im.width / target[0])
    if k >= 2 and im.width == target[0] * k and im.height == target[1] * k:
        return im.reduce(k)  # an exact box filter, much faster than resampling
    # Bicubic after an integer box reduce() by k = floor(factor / 1.5): from a
    # full-size 12 Mpx decode to 1200 px (factor 3.4) that is reduce(2) and a
    # 1.7x bicubic, the same 2x pre-reduction the DCT-scaled decode of an
    # upright JPEG gets, at half the time of one 3.4x bicubic (40-52 dB
    # against Lanczos from full size; steps under 3x are plain bicubic).
    return im.resize(target, Image.Resampling.BICUBIC, reducing_gap=1.5)


def encode(im: Image.Image, fmt: str) -> bytes:
    """The image's file bytes as a rendition in `fmt` ('jpeg' or 'webp');
    ValueError for any other format."""
    buf = io.BytesIO()
    if fmt == "jpeg":
        im.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
    elif fmt == "webp":
        im.save(buf, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    else:
        raise ValueError(f"unknown rendition format {fmt!r}")
    return buf.getvalue()
