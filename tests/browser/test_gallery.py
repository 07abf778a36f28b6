"""The winners' gallery in a real browser: the lightbox by keyboard alone,
by swipe and by pointer; the rows (2 a row on a phone, 4 or 5 on a laptop)
with every drawing uncropped at its own proportions; and axe on the
gallery, the open lightbox and a winner's page in Russian, Kazakh and Uzbek
Cyrillic. SCREENSHOT_DIR=<folder> saves screenshots of them to look at."""

import os

import pytest
from django.urls import reverse
from django.utils import timezone

from contest.models import SpecialAward
from tests.browser.conftest import SIZES, axe_violations, broken_images
from tests.factories import contest as factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE_IN_DIALOG = "() => !!document.activeElement.closest('dialog.lightbox')"
DIALOG_OPEN = "() => !!document.querySelector('dialog.lightbox') && document.querySelector('dialog.lightbox').open"
IMAGE_LOADED = "() => document.querySelector('.lightbox-image').complete"
DIALOG_TITLE = "() => document.getElementById('lightbox-title').textContent"
ACTIVE_HREF = "() => document.activeElement.getAttribute('href')"


def gallery_url(live_server, site, **params):
    from urllib.parse import urlencode

    url = live_server.url + reverse("contest:gallery", args=[site.published_contest.slug])
    return f"{url}?{urlencode(params)}" if params else url


def press(page, key):
    """A key in the open lightbox; then wait for its image, as a person would."""
    page.keyboard.press(key)
    page.wait_for_function(IMAGE_LOADED)
    return page.evaluate(DIALOG_TITLE)


def tab_to(page, href, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE_HREF) == href:
            return
    raise AssertionError(f"Tab never reached {href}")


def test_lightbox_by_keyboard(open_page, live_server, site):
    page, problems = open_page("desktop")
    page.goto(gallery_url(live_server, site))
    cards = page.eval_on_selector_all("a[data-lightbox-item]", "links => links.map(a => [a.getAttribute('href'), a.querySelector('.title').textContent])")
    first_href, first_title = cards[0]
    second_title = cards[1][1]

    tab_to(page, first_href)
    page.keyboard.press("Enter")
    page.wait_for_function(DIALOG_OPEN)
    opened = (page.url, page.evaluate(DIALOG_TITLE), page.evaluate(ACTIVE_IN_DIALOG))
    page.wait_for_function(IMAGE_LOADED)
    loaded = page.evaluate("() => document.querySelector('.lightbox-image').naturalWidth > 0")
    after_right = press(page, "ArrowRight")
    after_left = press(page, "ArrowLeft")
    wrapped = press(page, "ArrowLeft")  # round to the last entry
    trapped = []
    for key in ["Tab"] * 6 + ["Shift+Tab"] * 6:
        page.keyboard.press(key)
        trapped.append(page.evaluate(ACTIVE_IN_DIALOG))
    page.keyboard.press("Escape")
    closed = page.evaluate(DIALOG_OPEN)
    focus_after = page.evaluate(ACTIVE_HREF)

    assert opened == (gallery_url(live_server, site), first_title, True)
    assert loaded
    assert (after_right, after_left, wrapped) == (second_title, first_title, cards[-1][1])
    assert all(trapped)
    assert closed is False
    assert focus_after == cards[-1][0]  # the card of the entry last shown
    assert (problems.console, problems.requests, problems.external) == ([], [], [])


def test_lightbox_buttons_have_names_and_return_focus(open_page, live_server, site):
    page, problems = open_page("phone")
    page.goto(gallery_url(live_server, site))
    first_href = page.eval_on_selector("a[data-lightbox-item]", "a => a.getAttribute('href')")

    tab_to(page, first_href)
    page.keyboard.press("Enter")
    page.wait_for_function(DIALOG_OPEN)
    names = page.eval_on_selector_all("dialog.lightbox button", "bs => bs.map(b => b.textContent.trim())")
    focused_first = page.evaluate("() => document.activeElement.className")
    page.keyboard.press("Enter")
    closed = page.evaluate(DIALOG_OPEN)

    assert names == ["Close ×", "← Previous drawing", "Next drawing →"]
    assert focused_first == "lightbox-close"
    assert closed is False
    assert page.evaluate(ACTIVE_HREF) == first_href
    assert problems.console == []


def test_card_opens_the_entry_page_without_javascript(browser, live_server, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(gallery_url(live_server, site))

    page.click("a[data-lightbox-item]")
    page.wait_for_load_state()
    title = page.title()
    context.close()

    assert title == site.winner.title


@pytest.mark.parametrize("size", SIZES)
def test_filtered_gallery_accessible(open_page, axe_source, live_server, site, size):
    category = site.published_contest.age_categories.first()
    page, problems = open_page(size)
    page.goto(gallery_url(live_server, site, country="KG", category=category.pk))
    closed = axe_violations(page, axe_source) + [f"broken image {src}" for src in broken_images(page)]
    current = page.eval_on_selector_all("[aria-current]", "links => links.map(a => a.textContent.trim())")
    page.click("a[data-lightbox-item]")
    page.wait_for_function(DIALOG_OPEN)
    page.wait_for_function(IMAGE_LOADED)
    opened = axe_violations(page, axe_source)

    assert closed == []
    assert opened == []
    assert current == ["Kyrgyzstan", category.name]
    assert (problems.console, problems.requests, problems.external) == ([], [], [])


# ---- The gallery's layout, lightbox and winner's page with drawings of
# different proportions (portrait, landscape, square, a long strip).

LAPTOP = {"width": 1366, "height": 768}
LANGUAGES = ["ru", "kk", "uz-cyrl"]
WINNERS = [
    # (title, child, age, country, place, size, special award)
    ("Пограничник и верблюд", "Айгерим", 7, "KZ", 1, "PORTRAIT", False),
    ("Таможня на перевале", "Тимур", 8, "KG", 2, "LANDSCAPE", False),
    ("Мой папа на посту", "Малика", 9, "UZ", 3, "SQUARE", True),
    ("Ворота дружбы", "Бекзод", 6, "TJ", 4, "PORTRAIT", False),
    ("Мост через реку", "Асель", 8, "TM", 5, "WIDE", False),
    ("Собака-помощник", "Фарход", 7, "UZ", None, "LANDSCAPE", True),
    ("Ночной дозор", "Нигора", 9, "KG", 6, "PORTRAIT", False),
]
OLDER = [
    ("Застава в горах", "Данияр", 12, "KZ", 1, "LANDSCAPE", False),
    ("Паспортный контроль", "Мээрим", 11, "KG", 2, "PORTRAIT", True),
    ("Граница на рассвете", "Зарина", 13, "TJ", 3, "SQUARE", False),
]

CARD_BOXES = """() => Array.from(document.querySelectorAll('.gallery-section')).map(section =>
  Array.from(section.querySelectorAll('.gallery-card img')).map(img => {
    const box = img.getBoundingClientRect();
    return {top: Math.round(img.closest('li').getBoundingClientRect().top), left: box.left, right: box.right,
            width: box.width, height: box.height, natural: img.naturalWidth / img.naturalHeight};
  }))"""


@pytest.fixture
def laptop(monkeypatch):
    """`open_page("laptop")`: 1366 x 768, the commonest laptop screen."""
    monkeypatch.setitem(SIZES, "laptop", LAPTOP)
    return "laptop"


@pytest.fixture
def gallery_site(db):
    """A published contest: seven winners of 6-9 (places 1-6 and one with
    only the jury prize; two holding both) and three of 10-13, drawn
    upright, sideways, square and as a long strip."""
    contest = factories.ContestFactory(title="People of the border 2024", slug="borders-2024")
    young, older, _oldest = contest.age_categories.order_by("min_age")
    jury = SpecialAward.objects.create(
        contest=contest, name="Jury prize",
        names={"ru": "Приз жюри", "kk": "Қазылар алқасының сыйлығы", "uz-cyrl": "Ҳакамлар ҳайъати мукофоти"},
    )
    entries = []
    for category, rows in ((young, WINNERS), (older, OLDER)):
        for seed, (title, child, age, country, place, size, special) in enumerate(rows):
            entry = factories.drawing_winner(
                contest, size=getattr(factories, size), place=place, category=category, seed=seed, title=title,
                child_first_name=child, child_age=age, country=country, description="Мой рисунок о границе.",
            )
            if special:
                jury.entries.add(entry)
            entries.append(entry)
    contest.results_published_at = timezone.now()
    contest.save()
    return contest, entries


def layout(page):
    """[[card boxes of a section]], after every image has loaded."""
    assert broken_images(page) == []
    return page.evaluate(CARD_BOXES)


def rows(boxes):
    by_top = {}
    for box in boxes:
        by_top.setdefault(box["top"], []).append(box)
    return [by_top[top] for top in sorted(by_top)]


def test_gallery_laptop_shows_four_or_five_whole_drawings_a_row(open_page, laptop, live_server, gallery_site):
    contest, _entries = gallery_site
    page, problems = open_page(laptop, language="ru")
    page.goto(live_server.url + reverse("contest:gallery", args=[contest.slug]))

    sections = layout(page)
    first_rows = rows(sections[0])
    grid_width = page.evaluate("() => document.querySelector('.gallery-grid').getBoundingClientRect().width")

    assert [len(row) for row in first_rows][0] in (4, 5)
    assert all(len(row) >= 4 for row in first_rows[:-1])
    assert grid_width > 1300  # the whole window, not a 70rem column
    assert [round(b["width"] / b["height"] / b["natural"], 2) for s in sections for b in s] == [1.0] * 10
    assert all(abs(b["width"] / b["height"] / b["natural"] - 1) < 0.02 for s in sections for b in s)
    assert (problems.console, problems.requests, problems.external) == ([], [], [])


def test_gallery_phone_shows_two_whole_drawings_a_row(open_page, live_server, gallery_site):
    contest, _entries = gallery_site
    page, problems = open_page("phone", language="uz-cyrl")
    page.goto(live_server.url + reverse("contest:gallery", args=[contest.slug]))

    sections = layout(page)
    counts = [[len(row) for row in rows(boxes)] for boxes in sections]
    page_width = page.evaluate("() => document.documentElement.scrollWidth")

    assert counts == [[2, 2, 2, 1], [2, 1], []]  # 14-17: no winners
    assert page_width == 390  # nothing sticks out sideways
    assert all(abs(b["width"] / b["height"] / b["natural"] - 1) < 0.02 for s in sections for b in s)
    assert (problems.console, problems.requests, problems.external) == ([], [], [])


LIGHTBOX_IMAGE_BOX = """() => { const i = document.querySelector('.lightbox-image'); const r = i.getBoundingClientRect();
  return [r.width / r.height, i.naturalWidth / i.naturalHeight, r.bottom <= innerHeight, r.right <= innerWidth]; }"""
CAPTION = "() => document.querySelector('.lightbox-caption').innerText"


def touch_swipe(page, from_x, to_x, y):
    """A finger moving across the screen, as the phone's touch screen sends it."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": from_x, "y": y}]})
    for step in range(1, 6):
        x = from_x + (to_x - from_x) * step / 5
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_lightbox_swipe_keys_caption_and_focus_on_a_phone(open_page, live_server, gallery_site):
    contest, entries = gallery_site
    page, problems = open_page("phone", language="ru")
    page.goto(live_server.url + reverse("contest:gallery", args=[contest.slug]))
    titles = page.eval_on_selector_all("a[data-lightbox-item]", "links => links.map(a => a.querySelector('.title').textContent)")

    page.tap("a[data-lightbox-item] >> nth=2")
    page.wait_for_function(DIALOG_OPEN)
    page.wait_for_function(IMAGE_LOADED)
    caption = page.evaluate(CAPTION)
    box = page.evaluate(LIGHTBOX_IMAGE_BOX)
    middle = page.evaluate("() => { const r = document.querySelector('.lightbox-image').getBoundingClientRect(); "
                           "return [r.left + r.width / 2, r.top + r.height / 2]; }")
    touch_swipe(page, middle[0] + 120, middle[0] - 120, middle[1])
    after_left_swipe = page.evaluate(DIALOG_TITLE)
    touch_swipe(page, middle[0] - 120, middle[0] + 120, middle[1])
    after_right_swipe = page.evaluate(DIALOG_TITLE)
    after_arrow = press(page, "ArrowRight")
    link = page.eval_on_selector(".lightbox-caption a", "a => a.getAttribute('href')")
    page.keyboard.press("Escape")
    closed = page.evaluate(DIALOG_OPEN)
    focus = page.evaluate(ACTIVE_HREF)

    assert titles[:3] == ["Пограничник и верблюд", "Таможня на перевале", "Мой папа на посту"]
    assert caption.split("\n")[:3] == ["3-е место", "Приз жюри", "Мой папа на посту"]
    assert "Малика, 9 лет, Узбекистан" in caption
    assert abs(box[0] / box[1] - 1) < 0.02 and box[2:] == [True, True]
    assert (after_left_swipe, after_right_swipe, after_arrow) == (titles[3], titles[2], titles[3])
    assert link == reverse("contest:entry_detail", args=[entries[3].public_id])
    assert closed is False
    assert focus == link
    assert (problems.console, problems.requests, problems.external) == ([], [], [])


POINTER_SWIPE = """([dx]) => { const f = document.querySelector('.lightbox-figure'); const r = f.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const at = (type, cx) => f.dispatchEvent(new PointerEvent(type, {bubbles: true, pointerId: 7, isPrimary: true,
    pointerType: 'touch', clientX: cx, clientY: y}));
  at('pointerdown', x); at('pointermove', x + dx / 2); at('pointerup', x + dx); }"""


def test_lightbox_pointer_swipe_and_keys_on_a_laptop(open_page, laptop, live_server, gallery_site):
    contest, _entries = gallery_site
    page, problems = open_page(laptop, language="kk")
    page.goto(live_server.url + reverse("contest:gallery", args=[contest.slug]))
    titles = page.eval_on_selector_all("a[data-lightbox-item]", "links => links.map(a => a.querySelector('.title').textContent)")

    page.click("a[data-lightbox-item] >> nth=0")
    page.wait_for_function(DIALOG_OPEN)
    page.wait_for_function(IMAGE_LOADED)
    box = page.evaluate(LIGHTBOX_IMAGE_BOX)
    page.evaluate(POINTER_SWIPE, [-200])
    swiped_left = page.evaluate(DIALOG_TITLE)
    page.evaluate(POINTER_SWIPE, [200])
    swiped_right = page.evaluate(DIALOG_TITLE)
    page.evaluate(POINTER_SWIPE, [-20])  # a wobble, not a swipe
    wobbled = page.evaluate(DIALOG_TITLE)
    keyed = [press(page, "ArrowLeft"), press(page, "ArrowRight"), press(page, "ArrowRight")]
    page.keyboard.press("Escape")

    assert abs(box[0] / box[1] - 1) < 0.02 and box[2:] == [True, True]
    assert (swiped_left, swiped_right, wobbled) == (titles[1], titles[0], titles[0])
    assert keyed == [titles[-1], titles[0], titles[1]]
    assert page.evaluate(DIALOG_OPEN) is False
    assert (problems.console, problems.requests, problems.external) == ([], [], [])


def shoot(page, name):
    """A screenshot for people to look at, when SCREENSHOT_DIR names a folder."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=name.endswith("-full"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_gallery_lightbox_and_winner_page_accessible(open_page, laptop, axe_source, live_server, gallery_site,
                                                     language, size):
    contest, entries = gallery_site
    page, problems = open_page(size, language=language)
    page.goto(live_server.url + reverse("contest:gallery", args=[contest.slug]))
    assert broken_images(page) == []
    gallery = axe_violations(page, axe_source)
    shoot(page, f"gallery-{language}-{size}-full")
    shoot(page, f"gallery-{language}-{size}")
    page.click("a[data-lightbox-item] >> nth=1")
    page.wait_for_function(DIALOG_OPEN)
    page.wait_for_function(IMAGE_LOADED)
    lightbox = axe_violations(page, axe_source)
    shoot(page, f"lightbox-{language}-{size}")
    page.goto(live_server.url + reverse("contest:entry_detail", args=[entries[0].public_id]))
    assert broken_images(page) == []
    winner = axe_violations(page, axe_source)
    shoot(page, f"winner-{language}-{size}")
    image = page.evaluate("""() => { const i = document.querySelector('.display-image'); const r = i.getBoundingClientRect();
      return [r.width / r.height, i.naturalWidth / i.naturalHeight, r.bottom <= innerHeight]; }""")

    assert (gallery, lightbox, winner) == ([], [], [])
    assert abs(image[0] / image[1] - 1) < 0.02 and image[2] is True
    assert (problems.console, problems.requests, problems.external) == ([], [], [])
