"""Hiding regions of a drawing (a written name, a face) on the renditions."""

from __future__ import annotations

from PIL import Image, ImageFilter, ImageStat

from .geometry import Mask


def apply_masks(image: Image.Image, masks: tuple[Mask, ...] | list[Mask]) -> Image.Image:
    """A copy of `image` (RGB) with every mask drawn: "fill" paints the box
    in the median colour of its own border, "blur" blurs it beyond
    recognition (a Gaussian blur of a fifth of the box's short side, at
    least 12 px). `image` itself is returned when there are no masks."""
    if not masks:
        return image
    out = image.copy()
    for mask in masks:
        left, top, right, bottom = mask.box.pixels(out.size)
        if right - left < 1 or bottom - top < 1:
            continue
        region = out.crop((left, top, right, bottom))
        if mask.style == "blur":
            radius = max(12, min(region.size) // 5)
            # Shrink first: a blur of a tiny copy hides letters for certain
            # and costs nothing at 12 MP.
            small = region.resize((max(1, region.width // 16), max(1, region.height // 16)), Image.Resampling.BOX)
            covered = small.resize(region.size, Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(radius / 4))
        else:
            colour = tuple(int(v) for v in ImageStat.Stat(region).median[:3])
            covered = Image.new("RGB", region.size, colour)
        out.paste(covered, (left, top))
    return out
