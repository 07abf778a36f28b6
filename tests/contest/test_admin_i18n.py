"""The admin that organizers use speaks Kazakh and Uzbek Cyrillic: the
index, a contest's change page, the entry list and the sign-in page show no
English words (Django's own admin strings come from our catalogues, listed in
contest/admin_phrases.py)."""

import html
import re

import pytest
from django.urls import reverse

from tests.factories.contest import ContestFactory, EntryFactory
from tests.factories.judging import CriterionFactory, JudgeAssignmentFactory, UserFactory
from tests.config.test_i18n import LATIN_ALLOWED

pytestmark = [pytest.mark.django_db]

# Names and codes that stay in Latin letters in every language: products and
# third-party apps (django-otp names its model in English only), key names,
# time zones (Asia/Tashkent), the placeholders e-mail templates may use.
ADMIN_NAMES = re.compile(
    r"\b(?:Django|Axes|Otp_Totp|TOTP devices|LDAP|Control|Command|Mac|CTRL|Cmd|UTC|GMT)\b"
    r"|\b[A-Z][A-Za-z_]+/[\w/+-]+|\{[a-z_]+\}"
)
# Known gaps no catalogue can fill, cut out where they occur so that the same
# words anywhere else still fail: alt texts Django's templates write in
# English (the search icon, the yes/no icons of boolean columns).
NOT_IN_ANY_CATALOGUE = re.compile(
    r"""<img src="[^"]*/admin/img/(?:search\.svg|icon-(?:yes|no|unknown)\.svg)" alt="[A-Za-z]+">""",
    flags=re.S,
)
ATTRIBUTE_TEXT = re.compile(r"""\b(?:aria-label|title|placeholder|alt)="([^"]*)"|<input\b[^>]*\btype="(?:submit|button)"[^>]*\bvalue="([^"]*)""")


def shown_text(page_html):
    """What a sighted or screen-reader user meets: text, buttons' values,
    options, labels, titles and placeholders (not scripts or styles)."""
    body = page_html.split("<body", 1)[1].split(">", 1)[1]
    body = re.sub(r"<(script|style|template)\b.*?</\1>", " ", body, flags=re.S)
    body = NOT_IN_ANY_CATALOGUE.sub(" ", body)
    attributes = " ".join(a or b for a, b in ATTRIBUTE_TEXT.findall(body))
    return html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + attributes)


def english_words(page_html, data):
    text = shown_text(page_html)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    for pattern in (LATIN_ALLOWED, ADMIN_NAMES):
        text = pattern.sub(" ", text)
    return re.findall(r"\S*[A-Za-z]\S*", text)


@pytest.fixture
def organizer_data(admin_user):
    """A contest with categories, a criterion, a judge and three entries,
    written in Cyrillic where a person would write it; returns the Latin
    values the test itself created (codes, addresses, user names)."""
    contest = ContestFactory(title="Чегарадаги одамлар", slug="chegara", theme="Чегарачиларни чизинг.",
                             rules="Ҳар бир бола битта расм юборади.", consent_text="Розиман.",
                             categories=[("Кичиклар", 6, 9)])
    CriterionFactory(contest=contest, name="Ғоя", description="Расмнинг ғояси.")
    judge = UserFactory(username="judge1", email="judge1@example.org")
    JudgeAssignmentFactory(contest=contest, judge=judge)
    entries = [EntryFactory(contest=contest, title=f"Божхона {i}", description="Ит билан чегарачи.", region="Ўш",
                            school=f"{i}-мактаб") for i in range(3)]
    data = {admin_user.username, admin_user.email, judge.username, judge.email, contest.slug, contest.timezone}
    for entry in entries:
        data |= {entry.reference, str(entry.public_id), entry.child_first_name, entry.child_last_name,
                 entry.guardian_email, entry.guardian_name}
    return contest, data


def admin_pages(contest):
    return {
        "index": reverse("admin:index"),
        "contest": reverse("admin:contest_contest_change", args=[contest.pk]),
        "entries": reverse("admin:contest_entry_changelist"),
    }


@pytest.mark.parametrize("code", ["kk", "uz-cyrl"])
def test_admin_pages_have_no_english_words(client, settings, admin_user, organizer_data, code):
    contest, data = organizer_data
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    client.force_login(admin_user)

    found = {}
    for name, url in admin_pages(contest).items():
        response = client.get(url)
        assert response.status_code == 200, name
        found[name] = english_words(response.content.decode(), data)

    assert found == {"index": [], "contest": [], "entries": []}


@pytest.mark.parametrize("code", ["kk", "uz-cyrl"])
def test_admin_sign_in_page_has_no_english_words(client, settings, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code

    page = client.get(reverse("admin:login")).content.decode()
    refused = client.post(reverse("admin:login"), {"username": "nobody", "password": "wrong"}).content.decode()

    assert english_words(page, set()) == []
    assert english_words(refused, {"nobody"}) == []


@pytest.mark.parametrize("code", ["kk", "uz-cyrl"])
def test_admin_messages_and_deletion_have_no_english_words(client, settings, admin_user, organizer_data, code):
    contest, data = organizer_data
    entry = contest.entries.first()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    client.force_login(admin_user)
    changelist = reverse("admin:contest_entry_changelist")

    nothing_selected = client.post(changelist, {"action": "approve", "index": 0}, follow=True)
    confirm = client.get(reverse("admin:contest_entry_delete", args=[entry.pk]))
    deleted = client.post(reverse("admin:contest_entry_delete", args=[entry.pk]), {"post": "yes"}, follow=True)

    found = {name: english_words(r.content.decode(), data) for name, r in
             [("nothing selected", nothing_selected), ("confirm", confirm), ("deleted", deleted)]}
    assert found == {"nothing selected": [], "confirm": [], "deleted": []}
    assert not contest.entries.filter(pk=entry.pk).exists()
