"""The demo's content in every language (`seed_demo` with
`judging.management.demo_content`): the contests' titles, themes and
rules, the age categories' and the special award's names, and the
drawings' titles in the language of the child's country."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from contest import selectors
from contest.models import AgeCategory, Contest, Entry, SpecialAward
from judging.management import demo_content, demo_regional
from tests.factories.contest import EntryFactory
from tests.helpers import corpus_dir

pytestmark = [pytest.mark.django_db]

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
LATIN = re.compile(r"[a-z]", re.IGNORECASE)
# Letters each language has and its neighbours in the same script lack (or
# some of them): a text in that language written properly holds some.
OWN_LETTERS = {
    "ru": "ыэъё",
    "kk": "әғқңөұүһі",
    "ky": "ңөү",
    "tg": "ғӣқӯҳҷ",
    "tk": "äçňöşüýž",
    "uz": "ʻ",  # oʻ and gʻ, with U+02BB
    "uz-cyrl": "ўқғҳ",
}
LATIN_SCRIPT = {"tk", "uz"}
NOT_ENGLISH = [code for code, _name in settings.LANGUAGES if code != "en"]


@pytest.fixture
def seeded(settings, tmp_path):
    settings.BASE_DIR = tmp_path  # the demo accounts' file goes there
    call_command("seed_demo", stdout=io.StringIO())
    return Contest.objects.get(slug="borders-2025"), Contest.objects.get(slug="borders-2026")


def script_ok(code, text):
    """True when `text` is written in `code`'s script only."""
    if code in LATIN_SCRIPT:
        return bool(LATIN.search(text)) and not CYRILLIC.search(text)
    return bool(CYRILLIC.search(text)) and not LATIN.search(text)


@pytest.mark.parametrize("code", NOT_ENGLISH)
def test_seeded_contests_speak_every_language(seeded, code):
    for contest in seeded:
        english = selectors.contest_content(contest=contest, language="en")

        content = selectors.contest_content(contest=contest, language=code)

        assert content.language == code
        for field in ("title", "theme", "rules"):
            text = getattr(content, field)
            assert text != getattr(english, field) and script_ok(code, text), (contest.slug, field, text)
        assert set(OWN_LETTERS[code]) & set((content.theme + content.rules).lower()), (contest.slug, code)
        assert content.title.endswith(contest.slug[-4:])


@pytest.mark.parametrize("code", NOT_ENGLISH)
def test_seeded_category_and_award_names_speak_every_language(seeded, code):
    categories = AgeCategory.objects.filter(contest__in=seeded).order_by("contest__slug", "min_age")
    jury = SpecialAward.objects.get(contest=seeded[0])

    names = [category.name_in(code) for category in categories]

    assert [category.name for category in categories] == ["Younger group", "Middle group", "Older group"] * 2
    assert len(set(names)) == 3 and all(script_ok(code, name) for name in names), names
    assert {name.lower() for name in names}.isdisjoint({"younger group", "middle group", "older group"})
    assert jury.name_in(code) != jury.name and script_ok(code, jury.name_in(code))


def test_uzbek_latin_demo_texts_use_the_turned_comma():
    texts = [demo_content.TITLES["uz"], demo_content.THEMES["uz"], demo_content.RULES["uz"],
             *demo_content.ENTRY_TITLES["UZ"], demo_content.ENTRY_DESCRIPTIONS["UZ"], demo_content.REGIONS["UZ"],
             *(names["uz"] for names, _lo, _hi in demo_content.CATEGORIES)]

    joined = " ".join(texts)

    assert re.findall(r"[oOgG][ʻ'‘’`]", joined) == re.findall(r"[oOgG]ʻ", joined)
    assert len(re.findall(r"[oOgG]ʻ", joined)) >= 5


def test_seed_fills_in_the_texts_an_existing_demo_contest_lacks(seeded):
    finished = seeded[0]
    finished.translations.filter(language="kk").delete()
    AgeCategory.objects.filter(contest=finished).update(names={})

    call_command("seed_demo", stdout=io.StringIO())

    assert selectors.contest_content(contest=finished, language="kk").title == "Шекара адамдары 2025"
    assert [c.name_in("kk") for c in finished.age_categories.all()] == ["Кіші топ", "Ортаңғы топ", "Ересек топ"]
    assert finished.translations.count() == len(NOT_ENGLISH)


def test_seed_retitles_the_demo_drawings_an_earlier_version_titled_in_english(seeded):
    finished = seeded[0]
    demo = EntryFactory(contest=finished, country="KG", title="Welcome home", guardian_email="guardian3@example.org",
                        description=demo_content.LEGACY_DESCRIPTION)
    family = EntryFactory(contest=finished, country="KG", title="Welcome home", guardian_email="aigul@example.org",
                          description=demo_content.LEGACY_DESCRIPTION)

    call_command("seed_demo", stdout=io.StringIO())

    demo.refresh_from_db()
    family.refresh_from_db()
    assert (demo.title, demo.description) == ("Үйгө кош келиң", demo_content.ENTRY_DESCRIPTIONS["KG"])
    assert (family.title, family.description) == ("Welcome home", demo_content.LEGACY_DESCRIPTION)


@pytest.mark.corpus
def test_seeded_drawings_are_titled_in_their_country_language(settings, tmp_path, client):
    settings.BASE_DIR = tmp_path
    call_command("seed_demo", images=corpus_dir() / "drawings", per_contest=5, stdout=io.StringIO())
    english = {
        demo_content.TITLES["en"], demo_content.THEMES["en"], demo_content.RULES["en"], "Jury prize",
        *(names["en"] for names, _lo, _hi in demo_content.CATEGORIES),
        "A drawing about the people who keep our borders safe.",
    }

    entries = list(Entry.objects.all())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    pages = [client.get(reverse("contest:home")).content.decode(),
             client.get(reverse("contest:gallery", args=["borders-2025"])).content.decode()]

    assert len(entries) == 10 + 5 * demo_regional.PER_ROUND  # the two contests, the national rounds
    for entry in entries:
        language = demo_content.COUNTRY_LANGUAGES[entry.country]
        assert entry.language == language
        assert entry.title in demo_content.ENTRY_TITLES[entry.country] and script_ok(language, entry.title)
        assert entry.description == demo_content.ENTRY_DESCRIPTIONS[entry.country]
        assert entry.child_first_name in demo_content.FIRST_NAMES[entry.country]
    assert "Люди границы 2026" in pages[0] and "Люди границы 2025" in pages[0]
    assert "Люди границы 2025" in pages[1] and "Младшая группа" in pages[1]
    shown = [e.title for e in entries if e.award and e.publish_consent]
    assert shown and all(title in pages[1] for title in shown)
    for page in pages:
        assert [text for text in english if text in page] == []
