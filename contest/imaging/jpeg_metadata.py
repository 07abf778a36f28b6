"""Dropping a JPEG's metadata segments without re-encoding its pixels."""

from __future__ import annotations

import re
import struct

# In entropy-coded data a marker is 0xFF followed by anything but a stuffed
# 0x00, a restart marker (0xD0-0xD7) or another 0xFF (fill).
_SCAN_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def orientation_segment(orientation: int) -> bytes:
    """An APP1 EXIF segment (34 bytes) holding nothing but the orientation
    tag (`orientation`, 1-8): a big-endian TIFF header and one IFD entry."""
    if not 1 <= orientation <= 8:
        raise ValueError(f"EXIF orientation out of 1-8: {orientation}")
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">HHHIHH", 1, 0x0112, 3, 1, orientation, 0) + b"\x00" * 4
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def strip_jpeg(data: bytes, *, keep_icc: bool = True, orientation: int = 1) -> bytes:
    """The same JPEG with its metadata segments dropped, entropy data untouched.

    Kept: SOI, the JFIF APP0, an Adobe APP14 (it says whether the three
    channels are YCbCr or RGB), ICC APP2 segments when `keep_icc`, tables,
    frame and scan headers, the scans, EOI. Dropped: every other APPn (EXIF,
    XMP, IPTC/Photoshop, MPF, maker data), COM, and everything after the
    first image's EOI (MPO second images, Ultra HDR gain maps, trailers).
    An `orientation` other than 1 is carried in a new EXIF segment of its
    own (`orientation_segment`) right after SOI (after a JFIF APP0), so
    the pixels stay as stored and every viewer still turns them upright.
    Raises ValueError on a stream that does not parse (or an orientation
    out of 1-8).
    """
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG stream")
    # Joined once, scans as views of `data`: a 15 MB stream is copied once.
    view = memoryview(data)
    out: list[bytes | memoryview] = [b"\xff\xd8"]
    if orientation != 1:
        out.append(orientation_segment(orientation))
    pos = 2
    n = len(data)
    in_scan = False
    while pos < n:
        if not in_scan:
            if data[pos] != 0xFF:
                raise ValueError(f"expected a marker at byte {pos}")
            while pos < n and data[pos] == 0xFF:
                pos += 1  # fill bytes
            if pos >= n:
                raise ValueError("truncated JPEG marker")
            marker = data[pos]
            pos += 1
        else:
            # Entropy-coded data runs until a marker that is not a stuffed
            # zero or a restart marker.
            start = pos
            found = _SCAN_MARKER.search(data, pos)
            if found is None:
                raise ValueError("JPEG scan without EOI")
            pos = found.start()
            out.append(view[start:pos])
            marker = data[pos + 1]
            pos += 2
            in_scan = False
        if marker == 0xD9:
            out.append(b"\xff\xd9")
            if orientation != 1 and bytes(out[2][:2]) == b"\xff\xe0":
                out[1], out[2] = out[2], out[1]  # a JFIF APP0 stays right after SOI
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(bytes((0xFF, marker)))
            continue
        if pos + 2 > n:
            raise ValueError("truncated JPEG segment")
        length = struct.unpack_from(">H", data, pos)[0]
        segment = data[pos : pos + length]
        if length < 2 or len(segment) < length:
            raise ValueError("truncated JPEG segment")
        payload = segment[2:]
        keep = (
            (marker == 0xE0 and payload.startswith(b"JFIF\x00"))
            or (marker == 0xEE and payload.startswith(b"Adobe"))
            or (marker == 0xE2 and keep_icc and payload.startswith(b"ICC_PROFILE\x00"))
            or not (0xE0 <= marker <= 0xEF or marker == 0xFE)
        )
        if marker == 0xE0 and keep and len(payload) >= 14:
            # JFIF APP0 without its optional embedded thumbnail.
            out.append(b"\xff\xe0\x00\x10" + payload[:12] + b"\x00\x00")
        elif keep:
            out.append(bytes((0xFF, marker)) + segment)
        pos += length
        if marker == 0xDA:
            in_scan = True
    raise ValueError("JPEG stream without EOI")
