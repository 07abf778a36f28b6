"""The winners' gallery and the entry page as HTML: responsive pictures,
placeholders, filters, the lightbox's data and the link-preview tags.

Invalid filter values are ignored (the gallery shows everything for that
filter, status 200), so an old shared link never breaks."""

import base64
import io
import re
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from contest import imaging, services
from contest.models import ContestTranslation, SpecialAward
from tests.factories.contest import ContestFactory, EntryFactory, RenditionFactory, jpeg_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

BLURHASH = "LEHV6nWB2yk8pyo0adR*.7kCMdnj"
SIZES = {"card": (400, 300), "card2x": (800, 600), "display": (1200, 900)}


class Tags(HTMLParser):
    """Every start tag of a page as (name, {attribute: value})."""

    def __init__(self, text):
        super().__init__()
        self.tags = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, name, **match):
        return [a for t, a in self.tags if t == name and all(a.get(k) == v for k, v in match.items())]


def winner(contest, *, place=1, category=None, country="KG", **kwargs):
    """A published-winner entry with every rendition in both formats, at the
    pipeline's real sizes."""
    entry = EntryFactory(
        contest=contest, award=place, age_category=category or contest.age_categories.first(), country=country,
        placeholder=BLURHASH, dominant_color="#a05030", **kwargs,
    )
    for kind, (width, height) in SIZES.items():
        for fmt in ("jpeg", "webp"):
            RenditionFactory(entry=entry, kind=kind, format=fmt, width=width, height=height,
                             file=ContentFile(jpeg_bytes(8, 6), name=f"{kind}.{fmt}"))
    return entry


def published(**kwargs):
    contest = ContestFactory(**kwargs)
    contest.results_published_at = timezone.now()
    contest.save()
    return contest


def image_url(entry, kind, fmt):
    return reverse("contest:rendition", args=[entry.public_id, kind, fmt])


def gallery(client, contest, **params):
    response = client.get(reverse("contest:gallery", args=[contest.slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def titles(page):
    return re.findall(r'<span class="title">([^<]*)</span>', page)


def test_gallery_card_is_one_webp_img_with_its_2x(client):
    contest = published()
    entry = winner(contest)

    tags = Tags(gallery(client, contest))
    img = tags.all("img", src=image_url(entry, "card", "webp"))

    assert len(img) == 1
    assert img[0]["srcset"] == f"{image_url(entry, 'card2x', 'webp')} 2x"
    assert "sizes" not in img[0] and "width" not in img[0]
    assert tags.all("source") == [] and tags.all("picture") == []


def test_gallery_card_without_webp_shows_the_jpeg_and_one_candidate_per_width(client):
    contest = published()
    entry = EntryFactory(contest=contest, award=1, age_category=contest.age_categories.first())
    for kind in ("card", "card2x", "display"):
        RenditionFactory(entry=entry, kind=kind, width=300, height=500)

    img = Tags(gallery(client, contest)).all("img")[0]

    assert img["src"] == image_url(entry, "card", "jpeg")
    assert "srcset" not in img


def test_gallery_first_row_loads_at_once_the_rest_lazily(client):
    contest = published()
    young, middle, _old = contest.age_categories.all()
    for place in (1, 2, 3):
        winner(contest, place=place, category=young)
        winner(contest, place=place, category=middle)

    loading = [img.get("loading") for img in Tags(gallery(client, contest)).all("img")]

    assert loading == [None, None, None, None, None, "lazy"]


def test_gallery_placeholder_is_the_dominant_colour(client):
    contest = published()
    winner(contest)

    style = Tags(gallery(client, contest)).all("img")[0]["style"]

    assert style == "background:#a05030"


def test_gallery_placeholder_refuses_a_bad_colour_and_a_bad_hash(client):
    contest = published()
    entry = winner(contest)
    entry.dominant_color = "red;x:y"
    entry.placeholder = "not a hash"
    entry.save()

    img = Tags(gallery(client, contest)).all("img")[0]

    assert "style" not in img


def test_gallery_alt_is_the_childs_words_never_the_name(client):
    contest = published()
    entry = winner(contest, title="The customs post", description="My uncle  checks the\ntrucks.",
                   child_first_name="Aigerim")

    page = gallery(client, contest)
    img = Tags(page).all("img")[0]

    # The title is the link's own text beside the picture.
    assert img["alt"] == "My uncle checks the trucks."
    assert "Aigerim" not in img["alt"]
    assert entry.child_last_name not in page
    assert "Aigerim, " in page  # the caption, as the guardian allowed


def test_gallery_filter_by_country_narrows_the_list(client):
    contest = published()
    winner(contest, place=1, title="From Kyrgyzstan", country="KG")
    winner(contest, place=2, title="From Kazakhstan", country="KZ")

    page = gallery(client, contest, country="KZ")
    current = [a["href"] for a in Tags(page).all("a") if "aria-current" in a]

    assert titles(page) == ["From Kazakhstan"]
    assert current == ["?country=KZ", "?country=KZ"]


def test_gallery_filter_by_category_shows_that_section_only(client):
    contest = published()
    young, middle, _old = contest.age_categories.all()
    winner(contest, place=1, title="Young", category=young)
    winner(contest, place=1, title="Middle", category=middle)

    page = gallery(client, contest, category=middle.pk)

    assert titles(page) == ["Middle"]
    assert re.findall(r"<h2>([^<]*)</h2>", page) == [middle.name]


def test_gallery_filters_combine_and_say_when_nothing_matches(client):
    contest = published()
    young, middle, _old = contest.age_categories.all()
    winner(contest, place=1, title="Young KG", category=young, country="KG")
    winner(contest, place=1, title="Middle KZ", category=middle, country="KZ")

    page = gallery(client, contest, category=young.pk, country="KZ")

    assert titles(page) == []
    assert "No published winners from the chosen country (Kazakhstan) in this category." in page


@pytest.mark.parametrize("params", [
    {"country": "XX"}, {"country": "UZ"}, {"category": "abc"}, {"category": "999999"}, {"country": "", "category": ""},
])
def test_gallery_invalid_filter_values_are_ignored(client, params):
    contest = published(countries=["KG", "KZ"])
    other = published()
    young, middle, _old = contest.age_categories.all()
    winner(contest, place=1, title="Young", category=young, country="KG")
    winner(contest, place=1, title="Middle", category=middle, country="KZ")
    if params.get("category") == "999999":
        params = {"category": other.age_categories.first().pk}

    page = gallery(client, contest, **params)
    current = [a for a in Tags(page).all("a") if "aria-current" in a]

    assert titles(page) == ["Young", "Middle"]
    assert len(current) == 2  # "All countries" and "All age categories"


def test_gallery_filter_links_are_the_contests_own(client):
    contest = published(countries=["KG", "TJ"])

    hrefs = [a["href"] for a in Tags(gallery(client, contest)).all("a") if a.get("href", "x")[:1] in ("", "?")]

    # "" is the page itself: {% querystring %} with nothing to keep.
    assert hrefs == ["", "?country=KG", "?country=TJ", ""] + [f"?category={c.pk}" for c in contest.age_categories.all()]


def test_gallery_card_carries_the_lightbox_data(client):
    contest = published()
    entry = winner(contest, title="Night shift", description="Lights at the gate.")
    jpeg_only = winner(contest, place=2)
    jpeg_only.renditions.filter(kind="display", format="webp").delete()
    no_display = winner(contest, place=3)
    no_display.renditions.filter(kind="display").delete()

    tags = Tags(gallery(client, contest))
    root = tags.all("div", **{"class": "gallery"})[0]
    links = {a["href"]: a for a in tags.all("a") if a.get("href", "").startswith("/entries/")}

    assert root["data-display-jpeg"].replace("{id}", str(entry.public_id)) == image_url(entry, "display", "jpeg")
    assert root["data-display-webp"].replace("{id}", str(entry.public_id)) == image_url(entry, "display", "webp")
    link = links[reverse("contest:entry_detail", args=[entry.public_id])]
    assert ("data-lightbox-item" in link, "data-jpeg-only" in link) == (True, False)
    link = links[reverse("contest:entry_detail", args=[jpeg_only.public_id])]
    assert ("data-lightbox-item" in link, "data-jpeg-only" in link) == (True, True)
    assert "data-lightbox-item" not in links[reverse("contest:entry_detail", args=[no_display.public_id])]


def test_gallery_page_loads_the_lightbox_script_and_its_labels(client):
    contest = published()
    winner(contest)

    tags = Tags(gallery(client, contest))
    root = tags.all("div", **{"class": "gallery"})[0]

    assert [s["src"] for s in tags.all("script")] == ["/static/js/gallery-lightbox.js"]
    assert (root["data-label-close"], root["data-label-previous"], root["data-label-next"]) == (
        "Close", "Previous drawing", "Next drawing")
    assert root["data-label-position"] == "Drawing {position} of {total}"


def meta(page):
    return {a.get("property") or a.get("name"): a["content"] for a in Tags(page).all("meta") if "content" in a}


def test_entry_page_has_share_tags_with_the_absolute_card_image(client):
    contest = published()
    entry = winner(contest, title="Night shift", description="Lights at the gate.", child_first_name="Aigerim")
    url = reverse("contest:entry_detail", args=[entry.public_id])

    tags = meta(client.get(url).content.decode())

    assert tags["og:type"] == "article"
    assert tags["og:title"] == "Night shift"
    assert tags["og:description"] == f"A winning drawing of the children's art contest “{contest.title}”."
    assert not [v for v in tags.values() if "Lights at the gate" in v]
    assert tags["og:url"] == f"http://testserver{url}"
    assert tags["og:image"] == f"http://testserver{image_url(entry, 'card2x', 'jpeg')}"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("800", "600")
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]
    assert not [v for v in tags.values() if "Aigerim" in v or entry.child_last_name in v]


def test_entry_page_share_description_without_the_childs_words(client):
    contest = published(title="People of the border 2024")
    entry = winner(contest, description="")

    tags = meta(client.get(reverse("contest:entry_detail", args=[entry.public_id])).content.decode())

    assert tags["og:description"] == "A winning drawing of the children's art contest “People of the border 2024”."


def test_entry_page_share_description_names_the_contest_in_the_visitors_language(client):
    contest = published(title="People of the border 2024")
    ContestTranslation.objects.create(contest=contest, language="ru", title="Люди границы 2024")
    entry = winner(contest)

    tags = meta(client.get(reverse("contest:entry_detail", args=[entry.public_id]), HTTP_ACCEPT_LANGUAGE="ru")
                .content.decode())

    assert "«Люди границы 2024»" in tags["og:description"] or "“Люди границы 2024”" in tags["og:description"]
    assert "People of the border" not in tags["og:description"]


def test_entry_page_is_404_without_publication_so_no_share_tags(client):
    contest = ContestFactory()
    entry = winner(contest)

    response = client.get(reverse("contest:entry_detail", args=[entry.public_id]))

    assert response.status_code == 404


def test_entry_page_display_image_has_the_placeholder(client):
    contest = published()
    entry = winner(contest)

    page = client.get(reverse("contest:entry_detail", args=[entry.public_id])).content.decode()
    img = Tags(page).all("img", src=image_url(entry, "display", "jpeg"))[0]

    assert img["style"].startswith("background-color:#a05030;background-image:url(data:image/png;base64,")
    assert img["alt"] == f"{entry.title}: {entry.description}"


def test_placeholder_png_and_size():
    assert imaging.placeholder_size(1200, 900) == (8, 6)
    assert imaging.placeholder_size(600, 1200) == (4, 8)
    assert imaging.placeholder_png("not a hash", 8, 6) == b""
    assert imaging.placeholder_png(BLURHASH, 8, 6).startswith(b"\x89PNG")


def special(contest, name, names=None, order=0):
    return SpecialAward.objects.create(contest=contest, name=name, names=names or {}, order=order)


def badges(page):
    return re.findall(r'<span class="badge badge-(?:place|special)[^"]*">([^<]*)</span>', page)


def test_gallery_shows_places_and_special_awards_as_badges_in_russian(client):
    contest = published()
    jury = special(contest, "Jury prize", {"ru": "Приз жюри"})
    mention = special(contest, "Honourable mention", {"ru": "Почётная грамота"}, order=1)
    first = winner(contest, place=1, title="First")
    fourth = winner(contest, place=4, title="Fourth")
    honoured = winner(contest, place=None, title="Honoured")
    jury.entries.add(fourth, honoured)
    mention.entries.add(honoured)

    client.cookies["django_language"] = "ru"
    page = gallery(client, contest)

    assert titles(page) == ["First", "Fourth", "Honoured"]
    assert badges(page) == ["1-е место", "4-е место", "Приз жюри", "Приз жюри", "Почётная грамота"]
    assert first.pk and "Jury prize" not in page


def test_gallery_orders_winners_by_place_then_special_awards(client):
    contest = published()
    jury, mention = special(contest, "Jury prize", order=0), special(contest, "Mention", order=1)
    mention.entries.add(winner(contest, place=None, title="Mentioned"))
    jury.entries.add(winner(contest, place=None, title="Jury choice"))
    winner(contest, place=12, title="Twelfth")
    winner(contest, place=2, title="Second")

    page = gallery(client, contest)

    assert titles(page) == ["Second", "Twelfth", "Jury choice", "Mentioned"]
    assert badges(page) == ["2nd place", "12th place", "Jury prize", "Mention"]


def test_special_award_winner_has_its_page_and_a_public_image(client):
    contest = published()
    honoured = winner(contest, place=None, title="Honoured")
    special(contest, "Jury prize", {"ru": "Приз жюри"}).entries.add(honoured)
    not_a_winner = winner(contest, place=None, title="Not a winner")

    client.cookies["django_language"] = "ru"
    page = client.get(reverse("contest:entry_detail", args=[honoured.public_id]))
    image = client.get(image_url(honoured, "card", "jpeg"))
    hidden = client.get(reverse("contest:entry_detail", args=[not_a_winner.public_id]))

    assert page.status_code == 200 and badges(page.content.decode()) == ["Приз жюри"]
    assert image.status_code == 200
    assert hidden.status_code == 404


def test_gallery_queries_do_not_grow_with_special_awards(client, django_assert_num_queries):
    counts = []
    for n in (1, 12):
        contest = published()
        jury, mention = special(contest, "Jury prize"), special(contest, "Mention", order=1)
        for i in range(n):
            entry = winner(contest, place=i + 1 if i % 2 else None)
            jury.entries.add(entry)
            mention.entries.add(entry)
        with CaptureQueriesContext(connection) as ctx:
            gallery(client, contest)
        counts.append(len(ctx.captured_queries))

    assert counts[0] == counts[1]


def test_gallery_card_box_carries_the_drawings_own_proportions(client):
    contest = published()
    upright = EntryFactory(contest=contest, award=1, age_category=contest.age_categories.first())
    for kind, (width, height) in {"card": (400, 566), "card2x": (800, 1132), "display": (848, 1200)}.items():
        RenditionFactory(entry=upright, kind=kind, width=width, height=height)
    sideways = winner(contest, place=2)

    tags = Tags(gallery(client, contest))
    cards = [li for li in tags.all("li") if "gallery-card" in li.get("class", "")]
    images = tags.all("img")

    assert [c["style"] for c in cards] == ["--ar:0.7067", "--ar:1.3333"]
    assert [i["src"] for i in images] == [image_url(upright, "card", "jpeg"), image_url(sideways, "card", "webp")]


def test_gallery_cards_and_badges_mark_the_first_three_places(client):
    contest = published()
    for place in (1, 2, 3, 4):
        winner(contest, place=place)
    honoured = winner(contest, place=None)
    special(contest, "Jury prize").entries.add(honoured)

    tags = Tags(gallery(client, contest))

    assert [li["class"] for li in tags.all("li") if "gallery-card" in li.get("class", "")] == [
        "card gallery-card gallery-card-place-1", "card gallery-card gallery-card-place-2",
        "card gallery-card gallery-card-place-3", "card gallery-card", "card gallery-card"]
    assert [s["class"] for s in tags.all("span") if s.get("class", "").startswith("badge ")] == [
        "badge badge-place badge-place-1", "badge badge-place badge-place-2", "badge badge-place badge-place-3",
        "badge badge-place", "badge badge-special"]


@pytest.mark.parametrize("count", [1, 3])
def test_gallery_queries_are_constant_and_the_page_cache_saves_them_all(client, django_assert_num_queries, count):
    contest = published()
    jury = special(contest, "Jury prize")
    for place in range(1, count + 1):
        jury.entries.add(winner(contest, place=place))
    url = reverse("contest:gallery", args=[contest.slug])

    # The contest, its age categories and translations; then the winners,
    # their renditions and special awards.
    with django_assert_num_queries(6):
        first = client.get(url).content.decode()
    with django_assert_num_queries(0):
        second = client.get(url).content.decode()

    assert len(titles(first)) == count
    assert titles(second) == titles(first)
    assert re.findall(r"<li .*?</li>", second, re.S) == re.findall(r"<li .*?</li>", first, re.S)


def test_gallery_cache_is_replaced_when_the_results_change(client):
    contest = published()
    winner(contest, place=1, title="Before")
    gallery(client, contest)
    winner(contest, place=2, title="Added later")

    cached = gallery(client, contest)
    services.public_cache_clear(contest_id=contest.pk)
    fresh = gallery(client, contest)

    assert titles(cached) == ["Before"]
    assert titles(fresh) == ["Before", "Added later"]


def test_gallery_cache_keys_differ_by_language_and_filter(client):
    contest = published()
    winner(contest, place=1, title="From Kyrgyzstan", country="KG")
    winner(contest, place=2, title="From Kazakhstan", country="KZ")

    english = gallery(client, contest)
    only_kz = gallery(client, contest, country="KZ")
    client.cookies["django_language"] = "ru"
    russian = gallery(client, contest)

    assert titles(english) == ["From Kyrgyzstan", "From Kazakhstan"]
    assert titles(only_kz) == ["From Kazakhstan"]
    assert "1st place" in english and "1-е место" in russian


@pytest.mark.parametrize("specials", [0, 3])
def test_entry_page_queries_are_constant(client, django_assert_num_queries, specials):
    contest = published()
    entry = winner(contest, place=1)
    for order in range(specials):
        special(contest, f"Award {order}", order=order).entries.add(entry)

    # The entry with contest and category, renditions, special awards, translations.
    with django_assert_num_queries(4):
        response = client.get(reverse("contest:entry_detail", args=[entry.public_id]))

    assert len(badges(response.content.decode())) == 1 + specials


def test_entry_page_shows_the_drawing_whole_with_badge_caption_and_way_back(client):
    contest = published(title="People of the border 2024")
    entry = winner(contest, place=1, title="Night shift", child_first_name="Aigerim", child_age=7, country="KZ")
    gallery_url = reverse("contest:gallery", args=[contest.slug])

    page = client.get(reverse("contest:entry_detail", args=[entry.public_id])).content.decode()
    tags = Tags(page)

    assert tags.all("figure")[0]["style"] == "--ar:1.3333"
    assert (tags.all("img")[0]["width"], tags.all("img")[0]["height"]) == ("1200", "900")
    assert badges(page) == ["1st place"]
    assert re.search(r'<p class="entry-caption">([^<]*)</p>', page).group(1) == "Aigerim, 7 years, Kazakhstan"
    assert [a["class"] for a in tags.all("a", href=gallery_url)] == ["back-link", "button"]
