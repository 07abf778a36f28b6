"""The eight languages: catalogues complete and compiled, Russian plurals,
Uzbek Cyrillic pages free of Latin letters, refusals in the parent's
language, formats, e-mails in the guardian's language."""

import datetime as dt
import html
import re
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import ngettext

from contest.models import Entry
from tests.factories.contest import ContestFactory
from tests.helpers import corpus_dir, drawings
from tests.contest.test_submission import form_data

pytestmark = [pytest.mark.django_db]

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = {"ru": "ru", "kk": "kk", "ky": "ky", "tg": "tg", "tk": "tk", "uz": "uz", "uz-cyrl": "uz_Cyrl"}
# What a parent, a guardian or a visitor sees: every string from these files.
PUBLIC_SOURCES = ("templates/base.html", "templates/contest/", "templates/registration/", "templates/components/",
                  "contest/forms.py", "contest/phrases.py", "contest/ages.py", "contest/services/", "contest/views/",
                  "contest/ratelimits.py", "contest/idempotency.py", "contest/django_phrases.py",
                  "config/settings/base.py")
NOT_IMAGE = {
    "en": "This file is not an image.",
    "ru": "Этот файл не изображение.",
    "kk": "Бұл файл сурет емес.",
    "ky": "Бул файл сүрөт эмес.",
    "tg": "Ин файл тасвир нест.",
    "tk": "Bu faýl surat däl.",
    "uz": "Bu fayl rasm emas.",
    "uz-cyrl": "Бу файл расм эмас.",
}


def catalogue(code):
    return polib.pofile(str(LOCALE / CATALOGUES[code] / "LC_MESSAGES" / "django.po"))


def missing(po, sources=None):
    return [
        e.msgid for e in po
        if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
        and (sources is None or any(f.startswith(sources) for f, _line in e.occurrences))
    ]


def test_languages_are_the_eight_with_native_names():
    names = [translation.get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES]

    assert names == ["English", "Русский", "Қазақша", "Кыргызча", "Тоҷикӣ", "Türkmençe", "Oʻzbekcha", "Ўзбекча"]


@pytest.mark.parametrize("code", CATALOGUES)
def test_catalogue_compiled_and_current(code, tmp_path):
    folder = LOCALE / CATALOGUES[code] / "LC_MESSAGES"

    fresh = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(folder / "django.po")],
                           capture_output=True, text=True)

    assert fresh.returncode == 0, fresh.stderr
    assert (folder / "django.mo").read_bytes() == (tmp_path / "django.mo").read_bytes()


@pytest.mark.parametrize("code", CATALOGUES)
def test_catalogue_public_strings_fully_translated(code):
    assert missing(catalogue(code), PUBLIC_SOURCES) == []


@pytest.mark.parametrize("code", CATALOGUES)
def test_catalogue_fully_translated(code):
    assert missing(catalogue(code)) == []


def test_russian_plurals():
    with translation.override("ru"):
        got = [ngettext("%(age)s year", "%(age)s years", n) % {"age": n} for n in (1, 2, 5, 11, 21, 22, 111)]

    assert got == ["1 год", "2 года", "5 лет", "11 лет", "21 год", "22 года", "111 лет"]


LATIN_ALLOWED = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+|\b(?:JPEG|PNG|WebP|HEIC|GIF|TIFF|BMP|SVG|PDF|MB|Asia/\w+|English|Türkmençe|Oʻzbekcha)\b")


def visible_text(page_html):
    body = page_html.split("<body", 1)[1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<option[^>]*>.*?</option>", " ", body, flags=re.S)  # each language's own name
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize(
    "name", ["contest:home", "contest:contest_detail", "contest:contest_rules", "contest:entry_submit"]
)
def test_uz_cyrl_page_has_no_latin_letters(client, settings, name):
    contest = ContestFactory(title="Чегарадаги одамлар", slug="chegara", theme="Чегарачиларни чизинг.",
                             rules="Ҳар бир бола битта расм юборади.", consent_text="Розиман.")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uz-cyrl"

    response = client.get(reverse(name, args=[] if name == "contest:home" else [contest.slug]))

    text = LATIN_ALLOWED.sub(" ", visible_text(response.content.decode()))
    assert response.status_code == 200
    assert re.findall(r"\S*[A-Za-z]\S*", text) == []


@pytest.mark.parametrize("code", ["en", *CATALOGUES])
def test_refused_upload_error_in_each_language(client, settings, code):
    contest = ContestFactory()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code

    with (corpus_dir() / "crafted" / "plain_text_named.jpg").open("rb") as fh:
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh))

    assert response.status_code == 400
    assert NOT_IMAGE[code] in response.content.decode()
    assert f'lang="{code}"' in response.content.decode()


@pytest.mark.parametrize(("code", "expected"), [
    ("kk", "15 наурыз 2026 ж. 14:30"),
    ("tg", "15 марти 2026 с. 14:30"),
    ("tk", "15 mart 2026 ý. 14:30"),
    ("uz-cyrl", "15-март, 2026 йил 14:30"),
    ("ru", "15 марта 2026 г. 14:30"),
])
def test_date_formats_per_language(code, expected):
    with translation.override(code):
        assert formats.date_format(dt.datetime(2026, 3, 15, 14, 30), "DATETIME_FORMAT") == expected


def test_contest_dates_in_contest_time_zone(client):
    contest = ContestFactory(timezone="Asia/Tashkent", opens_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                             closes_at=dt.datetime(2026, 3, 15, 14, 30, tzinfo=dt.UTC))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uz-cyrl"

    page = client.get(reverse("contest:contest_detail", args=[contest.slug])).content.decode()

    assert "15-март, 2026 йил 19:30" in page


def test_receipt_email_in_guardian_language(client, settings, django_capture_on_commit_callbacks):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15), title="Чек ара")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ky"

    with django_capture_on_commit_callbacks(execute=True), drawings(1)[0].open("rb") as fh:
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh))

    reference = Entry.objects.get().reference
    assert (response.status_code, Entry.objects.get().language) == (302, "ky")
    assert mail.outbox[0].subject == f"«Чек ара» сынагына {reference} ишин ырастаңыз"
    assert f"Сиздин кодуңуз: {reference}" in mail.outbox[0].body


def test_half_point_score_sheet_refusal_in_kazakh():
    """Django's own step and decimal-place messages come from our catalogues
    (contest/django_phrases.py), so a judge typing 3.3 or 3.25 reads Kazakh."""
    from judging.forms import ScoreSheetForm
    from tests.factories.judging import CriterionFactory

    criterion = CriterionFactory(max_points=10)
    name = ScoreSheetForm.field_name(criterion)

    with translation.override("kk"):
        off_step = ScoreSheetForm({name: "3.3"}, criteria=[criterion], half_points=True, with_comment=False)
        too_fine = ScoreSheetForm({name: "3.25"}, criteria=[criterion], half_points=True, with_comment=False)
        assert off_step.errors[name] == [
            "Мән 0 санынан бастап 0.5 қадамына еселі болуы керек, мысалы: 0, 0.5, 1.0 және т.с.с."
        ]
        assert "Үтірден кейін 1 таңбадан артық болмауы керек." in too_fine.errors[name]
