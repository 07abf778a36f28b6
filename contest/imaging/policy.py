"""The upload limits and the refusal: `Policy`, `Reason`, `ImageRejected`,
and the checks that need nothing but numbers (bytes, declared pixels)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Reason(enum.StrEnum):
    """Why an upload was refused; the categories of the corpus manifest."""

    EMPTY = "EMPTY"
    NOT_IMAGE = "NOT_IMAGE"
    UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE"
    CORRUPT = "CORRUPT"
    TOO_LARGE = "TOO_LARGE"
    BAD_DIMENSIONS = "BAD_DIMENSIONS"


class ImageRejected(Exception):
    """Raised by `inspect` with the `reason` the upload was refused for."""

    def __init__(self, reason: Reason, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Policy:
    """Upload limits. Bytes, pixels (decimal, inclusive), pixels, ratio, pixels."""

    max_bytes: int = 25_000_000
    max_pixels: int = 40_000_000
    min_side: int = 8
    max_aspect: float = 20.0
    low_res_side: int = 600


def size_check(size: int, policy: Policy) -> None:
    """Refuse by byte count alone: EMPTY for 0 bytes, TOO_LARGE above
    `policy.max_bytes`. Cheap enough to call before reading the upload."""
    if size <= 0:
        raise ImageRejected(Reason.EMPTY, "the file is empty")
    if size > policy.max_bytes:
        raise ImageRejected(Reason.TOO_LARGE, f"{size} bytes, the limit is {policy.max_bytes}")


def check_dimensions(size: tuple[int, int], policy: Policy) -> None:
    """Refuse a (width, height) in stored pixels: TOO_LARGE over
    `policy.max_pixels` (inclusive), BAD_DIMENSIONS for a side under
    `min_side` or a ratio beyond `max_aspect`. Raises `ImageRejected`."""
    width, height = size
    if width * height > policy.max_pixels:
        raise ImageRejected(
            Reason.TOO_LARGE, f"{width}×{height} = {width * height} pixels, the limit is {policy.max_pixels}"
        )
    if min(width, height) < policy.min_side:
        raise ImageRejected(Reason.BAD_DIMENSIONS, f"{width}×{height}: a side is under {policy.min_side} px")
    if max(width, height) > policy.max_aspect * min(width, height):
        raise ImageRejected(Reason.BAD_DIMENSIONS, f"{width}×{height}: narrower than 1:{policy.max_aspect:g}")
