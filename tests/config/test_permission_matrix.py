"""The role-by-URL matrix over every URL the portal has, generated from the
URL configuration: a new view without a row here fails the first test, and
a URL pattern the matrix cannot reverse (a parameter without a value here,
a pattern without a name outside the admin) fails instead of being skipped.

Roles: anonymous, a guardian holding the entry's link, an assigned judge,
the contest's organizer, a superuser, the organizer of another contest, the
contest's moderator and a staff user without a role. The guardian's link
is the only key to the guardian pages; everybody else gets a link that
does not verify. Private objects answer 404 to whoever may not know of
them, never 403.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.regex_helper import normalize
from django_otp.plugins.otp_totp.models import TOTPDevice
from django.utils import timezone

from contest import links
from contest import services as contest_services
from contest.models import Entry, SpecialAward
from judging.models import Export, JudgeAssignment
from judging.selectors import entry_token
from tests.factories.contest import ContestFactory, EntryFactory, RenditionFactory
from tests.factories.judging import ModeratorFactory, OrganizerFactory
from tests.helpers import guardian_token, organizer_room_urls

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


ROLES = ("anonymous", "guardian", "judge", "organizer", "superuser", "other_organizer", "moderator", "staff")
A, G, J, O, S, X, M, T = ROLES

# GET status per role: anonymous, a guardian with the entry's link, the
# contest's judge, its organizer, a superuser (organizer of every contest),
# the organizer of another contest, the contest's moderator, and a staff
# user without any role (staff status alone organizes nothing).
# 302 = to the sign-in page; 405 = the URL takes POST only.
EVERYONE_200 = (200,) * 8
EVERYONE_404 = (404,) * 8
EVERYONE_405 = (405,) * 8
GUARDIAN_ONLY = (404, 200, 404, 404, 404, 404, 404, 404)
JUDGE_ONLY = (302, 302, 200, 404, 404, 404, 404, 404)
ORGANIZERS = (302, 302, 404, 200, 200, 404, 404, 404)
MATRIX = {
    "contest:home": EVERYONE_200,
    "contest:contest_detail": EVERYONE_200,
    "contest:contest_rules": EVERYONE_200,
    "contest:entry_submit": EVERYONE_200,
    "contest:entry_receipt": EVERYONE_404,  # only the session that submitted
    "contest:entry_receipt_resend": EVERYONE_405,
    "contest:entry_receipt_sheet": EVERYONE_405,
    "contest:upload_create": EVERYONE_405,
    "contest:upload_chunk": EVERYONE_404,  # only the session that started it
    "contest:gallery": EVERYONE_404,  # results not published
    "contest:entry_detail": EVERYONE_404,  # not a published winner
    "contest:rendition": (404, 404, 200, 200, 200, 404, 200, 404),
    "contest:guardian_confirm": GUARDIAN_ONLY,
    "contest:guardian_entry": GUARDIAN_ONLY,
    "contest:guardian_edit": GUARDIAN_ONLY,  # before the contest's closing time
    "contest:guardian_drawing": GUARDIAN_ONLY,
    "contest:guardian_publication": EVERYONE_405,
    "contest:guardian_sheet": EVERYONE_405,
    "contest:guardian_withdraw": GUARDIAN_ONLY,
    "contest:guardian_export": EVERYONE_405,
    "contest:guardian_certificate": EVERYONE_404,  # results not published (after: test below)
    "contest:guardian_link_request": EVERYONE_200,
    "contest:moderation": (404, 404, 404, 200, 200, 404, 200, 404),
    "contest:entry_text": (404, 404, 404, 200, 200, 404, 200, 404),
    "contest:entry_drawing": (404, 404, 404, 200, 200, 404, 200, 404),
    "contest:audit_log": (404, 404, 404, 200, 200, 404, 404, 404),
    "contest:dashboard": (404, 404, 404, 200, 200, 404, 404, 404),
    "contest:team": ORGANIZERS,
    "contest:vote": EVERYONE_200,  # the people's choice is on and open
    "contest:vote_confirm": EVERYONE_404,  # a vote's link that does not verify
    "contest:votes_report": (404, 404, 404, 200, 200, 404, 404, 404),
    "contest:consent_scans": (404, 404, 404, 200, 200, 404, 200, 404),
    "contest:consent_scan_file": EVERYONE_404,  # the entry has no paper consent form
    "contest:teachers_waiting": (404, 404, 404, 200, 200, 200, 404, 404),  # an organizer of any contest
    "contest:teacher_home": EVERYONE_404,  # approved teachers only (tests/contest/test_teachers.py)
    "contest:teacher_register": EVERYONE_200,
    "contest:teacher_verify": EVERYONE_404,  # a link that does not verify
    "contest:consent_form": EVERYONE_200,
    "contest:teacher_batch": EVERYONE_404,  # approved teachers only (tests/contest/test_teachers.py)
    "contest:teacher_class": EVERYONE_404,
    "contest:teacher_upload_create": EVERYONE_405,
    "judging:home": (302, 302, 200, 200, 200, 200, 200, 200),
    "judging:entry_list": JUDGE_ONLY,
    "judging:entry_score": JUDGE_ONLY,
    "judging:entry_abstain": (302, 302, 405, 405, 405, 405, 405, 405),
    "judging:entry_flag": (302, 302, 405, 405, 405, 405, 405, 405),
    "judging:entry_image": JUDGE_ONLY,  # judges' own token; organizers use contest:rendition
    "judging:calibration": JUDGE_ONLY,
    "judging:calibration_score": (302, 302, 404, 404, 404, 404, 404, 404),
    "judging:results": ORGANIZERS,
    "judging:results_publish": ORGANIZERS,
    "judging:results_csv": (302, 302, 404, 302, 302, 404, 404, 404),  # to the exports page (worker-made sheets)
    "judging:results_awards": (302, 302, 405, 405, 405, 405, 405, 405),
    "judging:results_promote": (302, 302, 405, 405, 405, 405, 405, 405),
    "judging:special_award_create": (302, 302, 405, 405, 405, 405, 405, 405),
    "judging:special_award_delete": (302, 302, 405, 405, 405, 405, 405, 405),
    "judging:panel": ORGANIZERS,
    "judging:rounds": ORGANIZERS,
    "judging:calibration_report": ORGANIZERS,
    "judging:audit": ORGANIZERS,
    "judging:judges": ORGANIZERS,
    "judging:invitation_accept": EVERYONE_200,  # a link that does not verify: the clear page
    "exports:exports": ORGANIZERS,
    "exports:status": ORGANIZERS,
    "exports:download": ORGANIZERS,  # a ready export of the contest
    "organize:home": (302, 302, 404, 200, 200, 200, 200, 404),  # any role, in any contest
    # Creating needs `contest.add_contest` (or a superuser); settings, organizing the contest.
    "organize:contest_new": (302, 302, 404, 404, 200, 404, 404, 404),
    "organize:settings": ORGANIZERS,
    "organize:settings_basics": ORGANIZERS,
    "organize:settings_ages": ORGANIZERS,
    "organize:settings_rubric": ORGANIZERS,
    "organize:settings_texts": ORGANIZERS,
    "organize:settings_texts_language": ORGANIZERS,
    "organize:settings_uploads": ORGANIZERS,
    "organize:settings_rounds": ORGANIZERS,
    "organize:settings_judges": ORGANIZERS,
    "set_language": (302,) * 8,
    "favicon": (302,) * 8,  # to the static file
    "web_manifest": EVERYONE_200,
    "healthz": EVERYONE_200,  # the load balancer's check: no data, only states and latencies
    "login": EVERYONE_200,
    "password_reset": EVERYONE_200,
    "password_reset_done": EVERYONE_200,
    "password_reset_confirm": EVERYONE_200,  # a link that does not verify
    "password_reset_complete": EVERYONE_200,
    "logout": EVERYONE_405,
    "two_factor": (302, 302, 200, 200, 200, 200, 200, 200),
}


def url_patterns(patterns=None, namespace="", parents=()):
    """Every URL pattern, named or not, from the URL configuration itself:
    (namespaced name or None, the resolvers above it, the pattern)."""
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += url_patterns(pattern.url_patterns, ns, (*parents, pattern))
        elif isinstance(pattern, URLPattern):
            found.append((f"{namespace}{pattern.name}" if pattern.name else None, parents, pattern))
    return found


def in_admin(parents) -> bool:
    return any(getattr(p, "namespace", None) == "admin" for p in parents)


def url_names():
    """Every named URL (namespaced), with its pattern."""
    return [(name, pattern) for name, _parents, pattern in url_patterns() if name]


def parameters(pattern) -> list[str]:
    """The names of a pattern's parameters (path converters or regex groups)."""
    return list(pattern.pattern.regex.groupindex)


def url_for(name, parents, pattern, kwargs) -> str:
    """The URL of one pattern with these parameter values: reversed by name,
    or, for a pattern without a name, built from its own and its resolvers'
    regexes as `reverse` does. Fails, never skips, when the URL cannot be
    made or does not resolve back to this pattern's view."""
    if name:
        url = reverse(name, kwargs=kwargs)
    else:
        url = "/"
        for part in (*parents, pattern):
            forms = [f for f, params in normalize(part.pattern.regex.pattern) if set(params) <= set(kwargs)]
            if not forms:
                pytest.fail(f"cannot build a URL for {pattern.pattern} with {sorted(kwargs)}")
            url += forms[0] % {k: str(v) for k, v in kwargs.items()}
    match = resolve(url.split("?")[0])
    assert match.func == pattern.callback, (name or str(pattern.pattern), url, match)
    return url


def values_for(pattern, name, values) -> dict:
    """The values of a pattern's parameters, by parameter name; a parameter
    without a value fails the test (never skipped)."""
    missing = [key for key in parameters(pattern) if key not in values]
    if missing:
        pytest.fail(f"{name or pattern.pattern}: no value for URL parameter(s) {missing}; add them to the matrix")
    return {key: values[key] for key in parameters(pattern)}


def admin_names():
    return sorted({name for name, _pattern in url_names() if name.startswith("admin:")})


def portal_names():
    return sorted({name for name, _pattern in url_names() if not name.startswith("admin:")})


def test_every_url_has_a_row_in_the_matrix():
    assert portal_names() == sorted(MATRIX)
    assert admin_names()  # the admin is covered by its own test below
    # A portal URL without a name could not be reversed, so not checked.
    unnamed = [str(pattern.pattern) for name, parents, pattern in url_patterns() if name is None and not in_admin(parents)]
    assert unnamed == []


@pytest.fixture
def world():
    User = get_user_model()
    now = timezone.now()
    contest = ContestFactory(
        peoples_choice=True, vote_opens_at=now - dt.timedelta(hours=1), vote_closes_at=now + dt.timedelta(days=1)
    )
    entry = EntryFactory(contest=contest)
    RenditionFactory(entry=entry, kind="card", format="jpeg")
    judge = User.objects.create_user("matrix-judge")
    JudgeAssignment.objects.create(contest=contest, judge=judge)
    Export.objects.create(
        contest=contest, kind=Export.Kind.ENTRIES_CSV, status=Export.Status.READY, progress=100,
        finished_at=timezone.now(), file=ContentFile(b"reference code\r\n", name="entries.csv"),
    )
    SpecialAward.objects.create(contest=contest, name="Jury prize")
    users = {
        J: judge,
        O: OrganizerFactory(username="matrix-organizer", contests=[contest]),
        S: User.objects.create_superuser("matrix-root", "root@example.org", "x"),
        X: OrganizerFactory(username="matrix-other-organizer", contests=[ContestFactory()]),
        M: ModeratorFactory(username="matrix-moderator", contests=[contest]),
        T: User.objects.create_user("matrix-staff", is_staff=True),
    }
    return contest, entry, users


def kwargs_for(pattern, name, contest, entry, role, judge):
    """Values for the URL's parameters, by name; the guardian gets the real
    link, everybody else one that does not verify. Judging URLs name the
    entry by the assigned judge's own token (`entry_token`)."""
    good = role == G
    purpose = links.Purpose.CONFIRM if name == "contest:guardian_confirm" else links.Purpose.MANAGE
    token = guardian_token(entry, purpose)
    values = {
        "slug": contest.slug,
        "public_id": entry.public_id,
        "reference": entry.reference,
        "kind": "card",
        "fmt": "jpeg",
        "upload_id": "0123456789abcdef0123456789abcdef",
        "token": token if good else token[:-3] + "xyz",
        "entry_token": entry_token(judge_id=judge.pk, entry_id=entry.pk),
        "uidb64": "MQ",
        "language": "ru",
        "export_id": Export.objects.filter(contest=contest).values_list("pk", flat=True).get(),
        "award_id": SpecialAward.objects.filter(contest=contest).values_list("pk", flat=True).first() or 1,
    }
    return values_for(pattern, name, values)


def client_for(role, users):
    client = Client()
    if role in users:
        client.force_login(users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role):
    contest, entry, users = world
    if role == G:
        # Before confirmation: the guardian's confirm page is reachable.
        Entry.objects.filter(pk=entry.pk).update(guardian_confirmed_at=None, moderation_status="pending")
    client = client_for(role, users)
    index = ROLES.index(role)

    actual, expected = {}, {}
    for name, pattern in url_names():
        if name.startswith("admin:"):
            continue
        url = url_for(name, (), pattern, kwargs_for(pattern, name, contest, entry, role, users[J]))
        actual[name] = client.get(url).status_code
        expected[name] = MATRIX[name][index]

    assert actual == expected
    # 403 is never an answer: it would tell that the object exists.
    assert 403 not in actual.values()


# The moderators' photo as sent (a face, a written name may show on it):
# the contest's organizers and moderators only, never its judges (who see
# the drawing's other renditions), the guardian's link or the public; before
# and after publication alike.
PHOTO_RENDITION = (404, 404, 404, 200, 200, 404, 200, 404)


@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_the_photo_rendition_matrix(world, role, published):
    contest, entry, users = world
    RenditionFactory(entry=entry, kind="photo", format="jpeg")
    if published:
        contest.results_published_at = timezone.now()
        contest.save()
        Entry.objects.filter(pk=entry.pk).update(award=1)
    url = reverse("contest:rendition", args=[entry.public_id, "photo", "jpeg"])

    assert client_for(role, users).get(url).status_code == PHOTO_RENDITION[ROLES.index(role)]


# "The drawing" takes GET and POST: a moderator's button is applied and
# answered with the page again (302); nobody else learns the entry exists.
DRAWING_POST = (404, 404, 404, 302, 302, 404, 302, 404)


@pytest.mark.parametrize("role", ROLES)
def test_the_drawing_page_post_matrix(world, role):
    contest, entry, users = world
    Entry.objects.filter(pk=entry.pk).update(privacy_review="flagged", moderation_status="pending")
    url = reverse("contest:entry_drawing", args=[contest.slug, entry.reference])

    status = client_for(role, users).post(url, {"privacy": "clear"}).status_code

    entry.refresh_from_db()
    assert status == DRAWING_POST[ROLES.index(role)]
    assert entry.privacy_review == ("cleared" if status == 302 else "flagged")


# Once the results are published, only the guardian's own link gets the
# entry's certificate; everybody else (organizers too: theirs is the
# printing export) a 404.
AFTER_PUBLICATION = {
    "contest:guardian_certificate": GUARDIAN_ONLY,
    "contest:guardian_entry": GUARDIAN_ONLY,
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_after_publication(world, role):
    contest, entry, users = world
    contest.results_published_at = timezone.now()
    contest.save()
    client = client_for(role, users)
    patterns = dict(url_names())

    actual = {}
    for name in AFTER_PUBLICATION:
        values = kwargs_for(patterns[name], name, contest, entry, role, users[J])
        actual[name] = client.get(url_for(name, (), patterns[name], values)).status_code

    assert actual == {name: statuses[ROLES.index(role)] for name, statuses in AFTER_PUBLICATION.items()}


# POST status per role for every URL that answers 405 to a GET in MATRIX
# (generated below, so a new POST-only view cannot be forgotten). The
# guardian pages answer 404 to anyone without the real link; the receipt
# resend only serves the session that submitted.
POST_MATRIX = {
    "contest:entry_receipt_resend": EVERYONE_404,
    "contest:entry_receipt_sheet": EVERYONE_404,  # only the session that submitted
    "contest:upload_create": (201,) * 8,  # anyone may send a drawing while the contest is open
    "contest:teacher_upload_create": EVERYONE_404,  # approved teachers only
    "contest:guardian_publication": (404, 302, 404, 404, 404, 404, 404, 404),
    "contest:guardian_sheet": (404, 302, 404, 404, 404, 404, 404, 404),
    "contest:guardian_export": GUARDIAN_ONLY,
    # Flagging first: abstaining takes the entry out of the judge's queue.
    "judging:entry_flag": (302, 302, 302, 404, 404, 404, 404, 404),
    "judging:entry_abstain": (302, 302, 302, 404, 404, 404, 404, 404),
    # Organizers are sent back to the results page with the outcome.
    "judging:results_awards": (302, 302, 404, 302, 302, 404, 404, 404),
    # Only a national round promotes (this contest is none: 404 for all).
    "judging:results_promote": (302, 302, 404, 404, 404, 404, 404, 404),
    "judging:special_award_create": (302, 302, 404, 302, 302, 404, 404, 404),
    "judging:special_award_delete": (302, 302, 404, 302, 302, 404, 404, 404),
    "logout": (302,) * 8,
}

POST_DATA = {
    "contest:upload_create": {"size": "1000", "name": "drawing.jpg", "type": "image/jpeg"},
    "contest:teacher_upload_create": {"size": "1000", "name": "drawing.jpg", "type": "image/jpeg"},
    "contest:guardian_publication": {"publish_consent": "on"},
    "contest:guardian_sheet": {"as_sent": "1"},
    "judging:entry_abstain": {"reason": "My own child drew it."},
    "judging:entry_flag": {"action": "flag", "note": "Is this traced from a book?"},
}


def test_every_post_only_url_has_a_row_in_the_post_matrix():
    post_only = sorted(name for name, statuses in MATRIX.items() if 405 in statuses)
    assert post_only == sorted(POST_MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_post_permission_matrix(world, role):
    contest, entry, users = world
    client = client_for(role, users)
    index = ROLES.index(role)
    patterns = dict(url_names())

    actual, expected = {}, {}
    for name in POST_MATRIX:
        url = url_for(name, (), patterns[name], kwargs_for(patterns[name], name, contest, entry, role, users[J]))
        actual[name] = client.post(url, POST_DATA.get(name, {})).status_code
        expected[name] = POST_MATRIX[name][index]

    assert actual == expected
    assert 403 not in actual.values()
    entry.refresh_from_db()
    # Only the guardian's own link changed the entry.
    assert Entry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("name", [
    "contest:guardian_export", "contest:guardian_publication", "contest:guardian_withdraw", "contest:guardian_edit",
    "contest:guardian_drawing", "contest:guardian_sheet",
])
def test_posting_a_tampered_or_expired_link_is_refused_with_the_clear_page(world, name, settings):
    contest, entry, users = world
    token = guardian_token(entry, links.Purpose.MANAGE)
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    data = {"confirm": "on", "publish_consent": ""}
    client = Client()

    tampered_response = client.post(reverse(name, args=[tampered]), data)
    settings.GUARDIAN_LINK_DAYS = 0
    expired_response = client.post(reverse(name, args=[token]), data)

    assert tampered_response.status_code == 404
    assert "This link is not valid" in tampered_response.content.decode()
    assert expired_response.status_code == 410
    assert "This link has expired" in expired_response.content.decode()
    for response in (tampered_response, expired_response):
        assert "no-store" in response["Cache-Control"]
        assert response["Content-Type"].startswith("text/html")
    entry.refresh_from_db()
    assert entry.publish_consent is True  # nothing changed, nothing withdrawn


# Values for the admin's URL parameters, by name: every admin pattern is
# requested, the unnamed ones (an object's short URL, the final catch-all) too.
ADMIN_VALUES = {
    "object_id": "1", "id": "1", "pk": "1", "content_type_id": "1", "app_label": "contest", "url": "no-such-page/",
}


def admin_urls(**values):
    """(name or pattern, URL) for every pattern of the admin; `values`
    override `ADMIN_VALUES`."""
    values = {**ADMIN_VALUES, **values}
    urls = []
    for name, parents, pattern in url_patterns():
        if in_admin(parents):
            urls.append((name or str(pattern.pattern), url_for(name, parents, pattern, values_for(pattern, name, values))))
    return urls


@pytest.mark.parametrize("role", [A, G, J, O, X, M, T])
def test_admin_urls_send_everyone_but_superusers_to_the_admin_sign_in(world, role, settings):
    """The admin is the superusers' tool: organizers and moderators work in
    /organize/, and staff status, even with every model permission of the
    contest app, no longer lets anybody in."""
    contest, entry, users = world
    if role == T:
        users[T].user_permissions.set(Permission.objects.filter(content_type__app_label="contest"))
    client = client_for(role, users)
    seen = 0
    urls = admin_urls()

    for name, url in urls:
        response = client.get(url)
        seen += 1
        if name == "admin:login":
            assert response.status_code == 200
            continue
        if name == "admin:logout":  # GET is refused by Django with a redirect to the admin index
            assert response.status_code in (302, 405)
            continue
        assert response.status_code in (302, 404), (name, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("admin:login")), name

    assert seen > 20
    assert seen == len([1 for _name, parents, _pattern in url_patterns() if in_admin(parents)])


# A superuser is let in everywhere (200; 302 back to the index for an object
# that does not exist), except where the admin itself refuses everybody with
# a 403: adding or deleting the records it keeps read-only, and the
# autocomplete endpoint asked without its query. django-otp answers 503 for
# a device's QR code without the optional qrcode package (not installed:
# devices are set up by their configuration URL).
ADMIN_SUPERUSER_STATUSES = {200, 302, 404, 405}
ADMIN_SUPERUSER_REFUSED = {"admin:autocomplete": 403, "admin:otp_totp_totpdevice_qrcode": 503}


def superuser_refused(name) -> int | None:
    if name in ADMIN_SUPERUSER_REFUSED:
        return ADMIN_SUPERUSER_REFUSED[name]
    return 403 if name.startswith("admin:") and name.endswith(("_add", "_delete")) else None


def test_admin_urls_answer_a_superuser_without_a_server_error(world):
    contest, entry, users = world
    client = client_for(S, users)
    # django-otp's device pages look their device up before any check.
    device = TOTPDevice.objects.create(user=users[S], name="phone", confirmed=False)

    answers = {name: client.get(url).status_code for name, url in admin_urls(pk=str(device.pk))}

    unexpected = {
        name: status for name, status in answers.items()
        if status not in ADMIN_SUPERUSER_STATUSES and status != superuser_refused(name)
    }
    assert unexpected == {}, " ".join(f"{n}={s}" for n, s in sorted(unexpected.items()))
    assert answers["admin:index"] == 200
    assert answers["admin:contest_entry_changelist"] == 200
    assert answers["admin:contest_entry_add"] == 200
    assert answers["admin:contest_contestrole_changelist"] == 200
    assert answers["admin:app_list"] == 200


def test_published_winner_is_public_and_unpublished_entries_stay_private(world, client):
    contest, entry, users = world
    Entry.objects.filter(pk=entry.pk).update(award=1)
    contest.results_published_at = timezone.now()
    contest.save()

    public = [
        client.get(reverse("contest:gallery", args=[contest.slug])).status_code,
        client.get(reverse("contest:entry_detail", args=[entry.public_id])).status_code,
        client.get(reverse("contest:rendition", args=[entry.public_id, "card", "jpeg"])).status_code,
    ]
    Entry.objects.filter(pk=entry.pk).update(publish_consent=False)
    # What the guardian's service does after its commit (the cached pages go).
    contest_services.public_cache_clear(contest_id=contest.pk)
    revoked = [
        client.get(reverse("contest:entry_detail", args=[entry.public_id])).status_code,
        client.get(reverse("contest:rendition", args=[entry.public_id, "card", "jpeg"])).status_code,
    ]

    assert public == [200, 200, 200]
    assert revoked == [404, 404]


def test_another_contests_organizer_gets_404_in_every_room_of_this_contest(world):
    contest, entry, users = world
    export_id = Export.objects.get(contest=contest).pk
    client = client_for(X, users)

    answers = {name: client.get(url).status_code for name, url in organizer_room_urls(contest, entry, export_id).items()}
    posted = {
        name: client.post(reverse(name, args=[contest.slug]), data).status_code for name, data in (
            ("contest:moderation", {"entries": [entry.pk], "action": "reject", "reason": "not_a_drawing"}),
            ("contest:team", {"person": "matrix-other-organizer", "role": "organizer"}),
            ("judging:results_publish", {"confirm": "on", "override": "on", "reason": "Let me in"}),
            ("judging:judges", {"email": "new@example.org", "name": "New", "language": "en"}),
            ("exports:exports", {"kind": "entries_csv"}),
        )
    }

    assert answers == dict.fromkeys(answers, 404)
    assert posted == dict.fromkeys(posted, 404)
    entry.refresh_from_db()
    contest.refresh_from_db()
    assert (entry.moderation_status, contest.results_published_at) == ("approved", None)
    assert not contest.roles.filter(user=users[X]).exists()
    assert Export.objects.filter(contest=contest).count() == 1


def test_a_moderator_moderates_and_sees_nothing_else(world):
    contest, entry, users = world
    export_id = Export.objects.get(contest=contest).pk
    client = client_for(M, users)
    Entry.objects.filter(pk=entry.pk).update(moderation_status="pending")

    answers = {name: client.get(url).status_code for name, url in organizer_room_urls(contest, entry, export_id).items()}
    decided = client.post(
        reverse("contest:moderation", args=[contest.slug]) + "?filter=new", {"entries": [entry.pk], "action": "approve"}
    )

    allowed = {"contest:moderation", "contest:rendition"}
    assert {name for name, status in answers.items() if status == 200} == allowed
    assert {status for name, status in answers.items() if name not in allowed} == {404}
    assert decided.status_code == 302
    entry.refresh_from_db()
    assert entry.moderation_status == "approved"


def test_a_judge_of_one_contest_who_organizes_another_has_both_and_no_more(world):
    judged, entry, users = world
    organized = ContestFactory()
    OrganizerFactory(username=users[J].username, contests=[organized])  # the same account gets the role
    client = client_for(J, users)
    judge_pages = ["judging:entry_list", "judging:calibration"]
    rooms = ["contest:moderation", "contest:dashboard", "contest:team", "judging:results", "judging:panel",
             "judging:judges", "exports:exports"]

    own_rooms = [client.get(reverse(name, args=[organized.slug])).status_code for name in rooms]
    judged_rooms = [client.get(reverse(name, args=[judged.slug])).status_code for name in rooms]
    judged_pages = [client.get(reverse(name, args=[judged.slug])).status_code for name in judge_pages]
    organized_pages = [client.get(reverse(name, args=[organized.slug])).status_code for name in judge_pages]
    home = client.get(reverse("organize:home"))
    judging_home = client.get(reverse("judging:home"))

    assert own_rooms == [200] * len(rooms)
    assert judged_rooms == [404] * len(rooms)
    assert judged_pages == [200, 200]
    assert organized_pages == [404, 404]
    assert [item.contest for item, _role in home.context["rows"]] == [organized]
    assert list(judging_home.context["organized"]) == [organized]
    assert [c.contest.pk for c in judging_home.context["assigned"]] == [judged.pk]
