"""`contest.imaging.words`: the name match (pure) and, with the real
tesseract (installed by scripts/browser_setup.sh; these tests fail
without it, never skip), boxes of a name written on a corpus drawing."""

import pytest
from PIL import Image

from contest.imaging import words
from contest.imaging.geometry import Box
from tests.contest.held_drawings import drawing_files, load_rgb, written_name
from tests.helpers import corpus_dir

pytestmark = [pytest.mark.unit]


@pytest.mark.parametrize(
    "word, names",
    [
        ("Айгуль", ["Айгуль"]),
        ("AIGUL", ["Айгуль"]),
        ("Aigul", ["Айгуль"]),
        ("Aygul", ["Айгуль"]),
        ("Айгүл", ["Aigul"]),  # Kazakh ү, no soft sign
        ("Ёлкин", ["Елкин"]),
        ("елкин", ["Ёлкин"]),
        ("Ivanov", ["Иванов"]),
        ("ИВАНОВ,", ["Ivanov"]),
        ("«Иванов»", ["Ivanov"]),
        ("BaHOB", ["Иванов"]),  # Latin look-alikes and one letter lost
        ("Иванова", ["Иванов"]),  # one letter more, name of 6 letters
        ("Аня", ["Аня"]),
        ("Xurshid", ["Хуршид"]),  # Uzbek Latin x for х
        ("Qodirova", ["Қодирова"]),  # Uzbek Cyrillic қ
        ("Ғайрат", ["G'ayrat"]),
        ("Дмитрий", ["Dmitry"]),
        ("Анна", ["Анна-Мария"]),
        ("Мария", ["Анна-Мария Петрова"]),
    ],
)
def test_a_name_matches_across_scripts_cases_and_romanizations(word, names):
    assert words.name_matches(word, names) is True


@pytest.mark.parametrize(
    "word, names",
    [
        ("Петров", ["Иванов"]),
        ("мама", ["Мария"]),  # a common word
        ("солнце", ["Айгуль", "Иванова"]),
        ("Аню", ["Аня"]),  # short names match exactly only
        ("Саша", ["Маша"]),
        ("Ян", ["Ян"]),  # names under 3 letters are never looked for
        ("Ivanovka", ["Ivanov"]),  # two letters more
        ("Иванов", ["Иван"]),
        ("Айгуль12", ["Ай"]),
        ("", ["Айгуль"]),
    ],
)
def test_other_words_do_not_match(word, names):
    assert words.name_matches(word, names) is False


def test_without_a_name_long_enough_nothing_is_read():
    assert words.find_words(Image.new("RGB", (50, 50), "white"), ["Ян", "", "Ли"]) == []


@pytest.fixture
def tesseract():
    if not words.ocr_available():
        pytest.fail(
            "tesseract with rus and eng data is not installed: run scripts/browser_setup.sh "
            "(apt-get install tesseract-ocr tesseract-ocr-rus tesseract-ocr-uzb-cyrl tesseract-ocr-kaz)",
            pytrace=False,
        )


def overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller box's area."""
    w = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
    h = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    return max(0, w) * max(0, h) / min(a.w * a.h, b.w * b.h)


@pytest.mark.corpus
@pytest.mark.parametrize("seed, word, names", [(0, "АЙГУЛЬ", ["Айгуль", "Сапарова"]), (37, "Aigul", ["Айгуль"])])
def test_a_name_written_on_a_drawing_is_boxed(tesseract, seed, word, names):
    drawing, truth = written_name(corpus_dir(), seed, word)
    boxes = words.find_words(drawing, names)
    assert len(boxes) == 1
    assert overlap(boxes[0], truth) > 0.8, (boxes[0], truth)
    assert truth.w * 0.8 < boxes[0].w < truth.w * 1.3


@pytest.mark.corpus
def test_a_drawing_without_the_name_gives_nothing(tesseract):
    drawing = load_rgb(drawing_files(corpus_dir())[0])
    assert words.find_words(drawing, ["Айгуль", "Сапарова"]) == []
