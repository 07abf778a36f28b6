"""Draw the portal's icon (a striped border post and a pencil on the site's
blue) once, as SVG and as the PNG and ICO files browsers and phones ask
for, into static/icons/. Run it again only when the drawing changes, and
commit its output:

    .venv/bin/python scripts/make_icons.py

The shapes are listed once, on a 64-unit grid; the SVG takes them as they
are and Pillow paints them 8 times larger, then scales down (smooth edges).
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "static" / "icons"
GRID = 64
BLUE = "#0b5cad"
SUPERSAMPLE = 8


def _pencil() -> list[tuple[str, list[tuple[float, float]]]]:
    """The pencil's parts, from its eraser (top right) to its point."""
    end, tip, half = (53.0, 9.0), (30.0, 47.0), 5.0
    length = math.dist(end, tip)
    d = ((tip[0] - end[0]) / length, (tip[1] - end[1]) / length)
    n = (-d[1], d[0])

    def at(t, side):
        return (end[0] + d[0] * length * t + n[0] * half * side, end[1] + d[1] * length * t + n[1] * half * side)

    def band(t0, t1):
        return [at(t0, -1), at(t0, 1), at(t1, 1), at(t1, -1)]

    cone = 0.76
    lead = 0.84  # where the graphite starts, along the pencil
    shrink = (1 - lead) / (1 - cone)
    return [
        ("#f28b82", band(0.0, 0.13)),
        ("#c9ced6", band(0.13, 0.2)),
        ("#f2a900", band(0.2, cone)),
        ("#ffc933", [at(0.2, -0.15), at(0.2, 1), at(cone, 1), at(cone, -0.15)]),
        ("#f5d7a1", [at(cone, -1), at(cone, 1), tip]),
        ("#1b1f24", [at(lead, -shrink), at(lead, shrink), tip]),
    ]


def _post() -> list[tuple[str, list[tuple[float, float]]]]:
    """The border post: a white base and a red and white striped pole."""
    left, right, top, bottom = 14.0, 24.0, 11.0, 50.0
    shapes = [("#f4efe6", [(10, 49), (28, 49), (28, 55), (10, 55)])]
    stripes = 5
    step = (bottom - top) / stripes
    for i in range(stripes):
        y0, y1 = top + i * step, top + (i + 1) * step
        shapes.append(("#d62828" if i % 2 == 0 else "#ffffff", [(left, y0), (right, y0), (right, y1), (left, y1)]))
    shapes.append(("#d62828", [(left - 1, top), (right + 1, top), (19, top - 3.5)]))
    return shapes


SHAPES = _post() + _pencil()


def svg() -> str:
    """The icon as SVG text (64×64 view box, rounded corners)."""
    polygons = "\n".join(
        f'  <polygon fill="{fill}" points="{" ".join(f"{x:.2f},{y:.2f}" for x, y in points)}"/>'
        for fill, points in SHAPES
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">\n'
        f'  <rect width="64" height="64" rx="14" fill="{BLUE}"/>\n{polygons}\n</svg>\n'
    )


def png(size: int, *, rounded: bool = True, padding: float = 0.0) -> Image.Image:
    """The icon as a `size`×`size` RGBA image; `rounded=False` fills the
    whole square (phones round the corners themselves); `padding` (a share
    of the side) shrinks the drawing within the blue square."""
    big = size * SUPERSAMPLE
    scale = big / GRID * (1 - 2 * padding)
    offset = big * padding
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=14 * big / GRID, fill=BLUE)
    else:
        draw.rectangle((0, 0, big, big), fill=BLUE)
    for fill, points in SHAPES:
        draw.polygon([(offset + x * scale, offset + y * scale) for x, y in points], fill=fill)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg())
    png(180, rounded=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    png(192).save(OUT / "icon-192.png", optimize=True)
    png(512).save(OUT / "icon-512.png", optimize=True)
    # Maskable: the drawing inside the safe circle (80% of the side).
    png(512, rounded=False, padding=0.1).save(OUT / "icon-maskable-512.png", optimize=True)
    png(48).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    for name in sorted(p.name for p in OUT.iterdir()):
        print(OUT / name)


if __name__ == "__main__":
    main()
