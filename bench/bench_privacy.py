"""Benchmark: the face and written-name detectors on the shared corpus.

    .venv/bin/python bench/bench_privacy.py              # full run
    .venv/bin/python bench/bench_privacy.py --quick      # 60 drawings, fewer photos and names

Prints `name=value` lines:
- face_flag_drawings_share: share of the corpus drawings (401; no sheet
  corners given, the hardest case) on which `find_faces` finds a face;
  every such face is a drawn one, a false flag;
- face_found_share: share of the synthetic held-drawing photos
  (tests/contest/held_drawings.py, `--photos` of them, with their sheet
  corners) and of the corpus' real portraits (Grace Hopper, 6 files) on
  which a face is found with its centre in the true face box;
- face_ms: median CPU time (`time.process_time`, this process) of one
  `find_faces` call on the held-drawing photos (1200x1600), decoding excluded;
- ocr_ms: median wall time of one `find_words` call (the tesseract
  subprocess included) on the drawings with a written name, and
  ocr_cpu_ms the median CPU time of the tesseract children;
- name_found_share: share of drawings with a synthetic name (`--names` of
  them; Cyrillic and Latin, upper and title case) where `find_words`
  returns a box overlapping the written name's box.

The machine may be shared: times are indicative. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contest.imaging.faces import find_faces  # noqa: E402
from contest.imaging.words import find_words, ocr_available  # noqa: E402
from tests.contest.held_drawings import (  # noqa: E402
    HOPPER_FACE,
    drawing_files,
    held_photo,
    load_rgb,
    portrait_files,
    written_name,
)
from contest.imaging.geometry import Box  # noqa: E402

NAMES = [("АЙГУЛЬ", "Айгуль"), ("Aigul", "Айгуль"), ("Иванов", "Иванов"), ("ERZHAN", "Ержан"),
         ("Қодирова", "Qodirova"), ("Мария", "Мария"), ("SAPAROVA", "Сапарова"), ("Тимур", "Тимур")]


def centre_in(found: Box, truth: Box) -> bool:
    cx, cy = found.x + found.w / 2, found.y + found.h / 2
    return truth.x <= cx <= truth.x + truth.w and truth.y <= cy <= truth.y + truth.h


def overlaps(a: Box, b: Box) -> bool:
    w = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
    h = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    return w > 0 and h > 0 and w * h >= 0.5 * min(a.w * a.h, b.w * b.h)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--photos", type=int, default=80)
    parser.add_argument("--names", type=int, default=24)
    args = parser.parse_args()
    corpus = Path(os.environ.get("CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
    if not (corpus / "MANIFEST.md").is_file():
        sys.exit(f"the image corpus is missing: {corpus} (set CORPUS_DIR)")
    if not ocr_available():
        sys.exit("tesseract with rus and eng data is missing: run scripts/browser_setup.sh")
    drawings = drawing_files(corpus)
    photos, names = args.photos, args.names
    if args.quick:
        drawings, photos, names = drawings[:60], 20, 8

    flagged = sum(bool(find_faces(load_rgb(path))) for path in drawings)
    print(f"face_drawings={len(drawings)}")
    print(f"face_flag_drawings_share={flagged / len(drawings):.4f}")

    found, total, face_ms = 0, 0, []
    for seed in range(photos):
        photo = held_photo(corpus, seed)
        start = time.process_time()
        faces = find_faces(photo.image, sheet=photo.sheet)
        face_ms.append((time.process_time() - start) * 1000)
        found += any(centre_in(face, photo.face) for face in faces)
        total += 1
    hopper = Box(HOPPER_FACE[0] / 128, HOPPER_FACE[1] / 128,
                 (HOPPER_FACE[2] - HOPPER_FACE[0]) / 128, (HOPPER_FACE[3] - HOPPER_FACE[1]) / 128)
    portraits = portrait_files(corpus) + [corpus / "real" / "pillow_hopper_gray.jpg",
                                          corpus / "real" / "pillow_hopper_orientation_6.jpg"]
    for path in portraits:
        found += any(centre_in(face, hopper) for face in find_faces(load_rgb(path)))
        total += 1
    print(f"face_photos={total}")
    print(f"face_found_share={found / total:.4f}")
    print(f"face_ms={statistics.median(face_ms):.1f}")

    hits, ocr_ms, ocr_cpu = 0, [], []
    for seed in range(names):
        written, name = NAMES[seed % len(NAMES)]
        drawing, truth = written_name(corpus, seed * 13, written)
        before, start = os.times(), time.perf_counter()
        boxes = find_words(drawing, [name])
        ocr_ms.append((time.perf_counter() - start) * 1000)
        after = os.times()
        ocr_cpu.append((after.children_user + after.children_system
                        - before.children_user - before.children_system) * 1000)
        hits += any(overlaps(box, truth) for box in boxes)
    print(f"name_drawings={names}")
    print(f"name_found_share={hits / names:.4f}")
    print(f"ocr_ms={statistics.median(ocr_ms):.0f}")
    print(f"ocr_cpu_ms={statistics.median(ocr_cpu):.0f}")


if __name__ == "__main__":
    main()
