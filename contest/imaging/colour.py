"""Colour of the decoded pixels: 16-bit and float to 8 bits, transparency
flattened on white, embedded ICC profiles (and CMYK) converted to sRGB."""

from __future__ import annotations

import hashlib
import io
import threading

import numpy as np
from PIL import Image, ImageCms


def to_8bit_flat(im: Image.Image) -> Image.Image:
    """The image as RGB or L, 8 bits, transparency composited on white;
    CMYK stays CMYK (converted with its profile by `to_srgb`)."""
    mode = im.mode
    if mode in ("RGB", "L", "CMYK"):
        if "transparency" in im.info and mode != "CMYK":
            return _flatten(im.convert("RGBA" if mode == "RGB" else "LA"))
        return im
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # 16-bit greyscale: scale 0-65535 to 0-255 (a plain convert clips).
        arr = np.asarray(im, dtype=np.uint32)
        grey = Image.fromarray(((arr + 128) // 257).astype(np.uint8), "L")
        trns = im.info.get("transparency")
        if isinstance(trns, int):
            alpha = Image.fromarray(np.where(arr == trns, 0, 255).astype(np.uint8), "L")
            grey = Image.merge("LA", (grey, alpha))
            return _flatten(grey)
        return grey
    if mode == "F":
        arr = np.asarray(im, dtype=np.float32)
        lo, hi = float(arr.min()), float(arr.max())
        arr = (arr - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(arr)
        return Image.fromarray(arr.astype(np.uint8), "L")
    if mode in ("LA", "La"):
        return _flatten(im.convert("LA"))
    if mode in ("RGBA", "RGBa", "PA") or (mode == "P" and "transparency" in im.info):
        return _flatten(im.convert("RGBA"))
    if mode == "1":
        return im.convert("L")
    return im.convert("RGB")


def _flatten(im: Image.Image) -> Image.Image:
    if im.mode == "LA":
        base = Image.new("L", im.size, 255)
        base.paste(im.getchannel("L"), mask=im.getchannel("A"))
        return base
    base = Image.new("RGB", im.size, (255, 255, 255))
    base.paste(im.convert("RGB"), mask=im.getchannel("A"))
    return base


_SRGB = ImageCms.createProfile("sRGB")
_transforms: dict[tuple[bytes, str], ImageCms.ImageCmsTransform | None] = {}
_transforms_lock = threading.Lock()


def to_srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """The image as RGB in sRGB (or L): applies `icc`, the embedded ICC
    profile's bytes; CMYK without a profile uses Pillow's plain conversion
    (Adobe inversion is already undone by the JPEG decoder). A broken
    profile is ignored."""
    transform = _transform_for(icc, im.mode) if icc else None
    if transform is not None:
        try:
            return ImageCms.applyTransform(im, transform)
        except Exception:  # noqa: BLE001 - a profile that fails is ignored
            pass
    if im.mode in ("RGB", "L"):
        return im
    return im.convert("RGB")


def _transform_for(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    key = (hashlib.sha1(icc).digest(), mode)
    with _transforms_lock:
        if key in _transforms:
            return _transforms[key]
    transform = None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = (ImageCms.getProfileDescription(profile) or "").lower()
        space = profile.profile.xcolor_space.strip()
        if mode == "L" or (mode == "RGB" and "srgb" in description):
            transform = None  # already what browsers assume
        elif (mode == "RGB" and space == "RGB") or (mode == "CMYK" and space == "CMYK"):
            transform = ImageCms.buildTransform(profile, _SRGB, mode, "RGB", ImageCms.Intent.PERCEPTUAL)
    except Exception:  # noqa: BLE001 - unreadable profile: treat as absent
        transform = None
    with _transforms_lock:
        if len(_transforms) > 64:
            _transforms.clear()
        _transforms[key] = transform
    return transform
