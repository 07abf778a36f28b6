"""Publishing the results tells every family once, in its own language:
winners their award and their drawing's page, everyone else thanks and the
gallery; sent by the worker in batches through the guardians' outbox, never
twice (a second publication, a task run twice, a worker killed midway), and
one failing address loses none of the others."""

import datetime as dt
import smtplib

import polib
import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import IntegrityError, transaction
from django.utils import timezone

from contest import selectors, services
from contest.models import ContestTranslation, Entry, GuardianMail, SpecialAward
from contest.tasks import task_results_mails_send
from judging import services as judging_services
from tests.factories.contest import ContestFactory, EntryFactory, published_winner
from tests.helpers import mailed_guardian_links

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

SITE = django_settings.SITE_URL.rstrip("/")
WINNER_SUBJECT = "Congratulations: %(name)s's drawing has won an award in “%(contest)s”"


class RefusingOneAddress(LocmemBackend):
    """The in-memory backend; the server refuses mail to `refused` for the
    first `times` attempts (then accepts it)."""

    refused = ""
    times = 0

    def send_messages(self, messages):
        for message in messages:
            if self.refused in message.to and type(self).times > 0:
                type(self).times -= 1
                raise smtplib.SMTPDataError(451, b"4.3.0 try later")
        return super().send_messages(messages)


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingOneAddress"

    def refuse(address, times):
        RefusingOneAddress.refused, RefusingOneAddress.times = address, times

    yield refuse
    RefusingOneAddress.refused, RefusingOneAddress.times = "", 0


def closed_contest(**kwargs):
    now = timezone.now()
    return ContestFactory(opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=1), **kwargs)


def publish(contest, capture, *, execute=True):
    with capture(execute=execute) as callbacks:
        judging_services.results_publish(contest=contest, override=True, reason="Published early for this test")
    return callbacks


def mail_to(address):
    found = [m for m in mail.outbox if m.to == [address]]
    assert len(found) == 1, [m.to for m in mail.outbox]
    return found[0]


def test_publishing_sends_one_mail_per_family_awards_to_winners_and_thanks_to_the_others(
    client, django_capture_on_commit_callbacks
):
    contest = closed_contest(title="People of the border")
    first = published_winner(contest, place=1, child_first_name="Aigerim", title="The pass at dawn",
                             guardian_email="first@example.org")
    honoured = published_winner(contest, place=None, child_first_name="Bakyt", guardian_email="honoured@example.org")
    SpecialAward.objects.create(contest=contest, name="Jury prize", order=1).entries.add(honoured)
    SpecialAward.objects.create(contest=contest, name="Brightest colours", order=2).entries.add(honoured, first)
    other = EntryFactory(contest=contest, child_first_name="Dilnoza", title="Our customs officer",
                         guardian_email="other@example.org")
    EntryFactory(contest=contest, moderation_status="rejected", rejection_reason="off_theme",
                 guardian_email="rejected@example.org")
    EntryFactory(contest=contest, moderation_status="pending", guardian_email="pending@example.org")
    EntryFactory(contest=contest, guardian_confirmed_at=None, moderation_status="pending",
                 guardian_email="unconfirmed@example.org")
    EntryFactory(contest=contest, personal_data_purged_at=timezone.now(), guardian_email="")

    publish(contest, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "honoured@example.org", "other@example.org"]
    assert sorted(GuardianMail.objects.values_list("entry_id", "kind", "language")) == sorted([
        (first.pk, "winner", "en"), (honoured.pk, "winner", "en"), (other.pk, "thanks", "en"),
    ])
    winner = mail_to("first@example.org")
    assert winner.subject == "Congratulations: Aigerim's drawing has won an award in “People of the border”"
    assert "the drawing “The pass at dawn” by Aigerim has won an award:\n\n- 1st place\n- Brightest colours\n" in winner.body
    assert f"{SITE}/entries/{first.public_id}/\n" in winner.body
    assert f"{SITE}/contests/{contest.slug}/winners/\n" in winner.body
    assert "- Jury prize\n- Brightest colours\n" in mail_to("honoured@example.org").body
    thanks = mail_to("other@example.org")
    assert thanks.subject == "Thank you for taking part in “People of the border”: the results are published"
    assert "thank you, Dilnoza, for the drawing “Our customs officer”!" in thanks.body
    assert f"{SITE}/contests/{contest.slug}/winners/\n" in thanks.body
    assert "/entries/" not in thanks.body
    # The guardian's page offers the certificate of an entry whose images are ready.
    assert "download the certificate" in winner.body and "download the certificate" in thanks.body
    # Never another family's data.
    assert "Dilnoza" not in winner.body and "Aigerim" not in thanks.body and "Bakyt" not in winner.body
    # Both carry a working link to the guardian's own page.
    for message, entry in ((winner, first), (thanks, other)):
        page = client.get(mailed_guardian_links(message.body)["manage"])
        assert page.status_code == 200
        assert entry.reference in page.content.decode()


def test_a_winner_who_declined_publication_gets_the_award_without_a_public_link(django_capture_on_commit_callbacks):
    contest = closed_contest()
    private = published_winner(contest, place=2, publish_consent=False, guardian_email="private@example.org")

    publish(contest, django_capture_on_commit_callbacks)

    body = mail_to("private@example.org").body
    assert "- 2nd place\n" in body
    assert "/entries/" not in body
    assert "As you chose, the drawing is not shown in the public winners' gallery." in body
    assert mailed_guardian_links(body)["manage"].startswith(f"{SITE}/guardian/entry/")
    assert GuardianMail.objects.get(entry=private).kind == "winner"


def test_each_family_reads_the_mail_in_its_own_language(django_capture_on_commit_callbacks):
    contest = closed_contest(title="People of the border")
    ContestTranslation.objects.create(contest=contest, language="ru", title="Люди границы")
    russian = published_winner(contest, place=1, language="ru", guardian_name="Гульнара", guardian_email="ru@example.org")
    SpecialAward.objects.create(contest=contest, name="Jury prize", names={"ru": "Приз жюри"}).entries.add(russian)
    published_winner(contest, place=2, language="en", guardian_name="Gulnara", guardian_email="en@example.org")

    publish(contest, django_capture_on_commit_callbacks)

    ru = mail_to("ru@example.org").body
    assert ru.startswith("Здравствуйте, Гульнара!\n")
    assert "«Люди границы»" in ru or "“Люди границы”" in ru
    assert "- 1-е место\n- Приз жюри\n" in ru
    en = mail_to("en@example.org").body
    assert en.startswith("Hello Gulnara,\n")
    assert "“People of the border”" in en and "- 2nd place\n" in en
    assert "Люди" not in en
    assert GuardianMail.objects.get(entry=russian).language == "ru"


def test_the_subject_is_translated_in_the_familys_language(settings, tmp_path, django_capture_on_commit_callbacks):
    # A catalogue of our own, compiled here, stands before the project's.
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru"}
    catalogue.append(polib.POEntry(msgid=WINNER_SUBJECT, msgstr="Поздравляем: рисунок %(name)s награждён — «%(contest)s»"))
    folder = tmp_path / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue.save_as_mofile(str(folder / "django.mo"))
    settings.LOCALE_PATHS = [str(tmp_path), *settings.LOCALE_PATHS]
    contest = closed_contest(title="People of the border")
    ContestTranslation.objects.create(contest=contest, language="ru", title="Люди границы")
    published_winner(contest, place=1, language="ru", child_first_name="Айгерим", guardian_email="ru@example.org")
    published_winner(contest, place=2, language="kk", child_first_name="Aru", guardian_email="kk@example.org")

    publish(contest, django_capture_on_commit_callbacks)

    assert mail_to("ru@example.org").subject == "Поздравляем: рисунок Айгерим награждён — «Люди границы»"
    assert mail_to("kk@example.org").body.startswith("Сәлеметсіз бе, ")


def test_a_second_run_of_anything_sends_nothing_twice(django_capture_on_commit_callbacks):
    contest = closed_contest()
    winner = published_winner(contest, place=1)
    EntryFactory(contest=contest)
    publish(contest, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    ids = list(GuardianMail.objects.order_by("pk").values_list("pk", flat=True))

    with pytest.raises(ValidationError):
        publish(contest, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.results_mails_owe(contest=contest) == 0
    assert services.results_mails_dispatch(contest_id=contest.pk) == 0
    assert task_results_mails_send.apply(kwargs={"mail_ids": ids}).get() == 0
    assert services.guardian_mails_requeue(now=timezone.now() + dt.timedelta(days=1)) == 0

    assert len(mail.outbox) == 2
    assert list(GuardianMail.objects.order_by("pk").values_list("pk", "attempts")) == [(pk, 1) for pk in ids]
    with pytest.raises(IntegrityError), transaction.atomic():
        GuardianMail.objects.create(entry=winner, kind="thanks", language="en")


def test_120_families_are_sent_in_3_batches(django_capture_on_commit_callbacks, caplog):
    contest = closed_contest()
    EntryFactory.create_batch(120, contest=contest)
    callbacks = publish(contest, django_capture_on_commit_callbacks, execute=False)
    # The results e-mails' dispatch, and the public pages' cache cleared.
    assert len(callbacks) == 2
    assert GuardianMail.objects.filter(kind="thanks", sent_at__isnull=True).count() == 120
    assert mail.outbox == []

    with caplog.at_level("INFO", logger="contest.tasks"):
        batches = services.results_mails_dispatch(contest_id=contest.pk)

    assert batches == 3
    sizes = [r.args[1] for r in caplog.records if r.msg.startswith("results e-mails: %s of %s of the batch unsent")]
    assert sizes == [50, 50, 20]
    assert len({m.to[0] for m in mail.outbox}) == len(mail.outbox) == 120
    assert not GuardianMail.objects.filter(sent_at__isnull=True).exists()


def test_a_worker_killed_midway_leaves_the_rest_to_the_sweeper_and_sends_none_twice(
    django_capture_on_commit_callbacks,
):
    contest = closed_contest()
    EntryFactory.create_batch(6, contest=contest)
    publish(contest, django_capture_on_commit_callbacks, execute=False)
    ids = list(GuardianMail.objects.order_by("pk").values_list("pk", flat=True))
    # A batch task claimed all six and died after the first two.
    GuardianMail.objects.update(queued_at=timezone.now())
    assert services.results_mails_send(mail_ids=ids[:2]) == []
    assert len(mail.outbox) == 2

    assert services.guardian_mails_requeue(now=timezone.now() + dt.timedelta(minutes=30)) == 0
    assert services.guardian_mails_requeue(now=timezone.now() + dt.timedelta(minutes=61)) == 4

    assert sorted(m.to[0] for m in mail.outbox) == sorted(Entry.objects.values_list("guardian_email", flat=True))
    assert services.guardian_mails_requeue(now=timezone.now() + dt.timedelta(days=1)) == 0
    assert len(mail.outbox) == 6


def test_one_refused_address_does_not_stop_the_batch_and_is_retried(
    refusing, retries_run_inline, django_capture_on_commit_callbacks
):
    contest = closed_contest()
    entries = [EntryFactory(contest=contest, guardian_email=f"parent{i}@example.org") for i in range(3)]
    publish(contest, django_capture_on_commit_callbacks, execute=False)
    ids = list(GuardianMail.objects.order_by("entry_id").values_list("pk", flat=True))
    refusing("parent1@example.org", 1)

    result = task_results_mails_send.apply(kwargs={"mail_ids": ids})

    assert result.get() == 0
    assert sorted(m.to[0] for m in mail.outbox) == [f"parent{i}@example.org" for i in range(3)]
    assert list(GuardianMail.objects.order_by("entry_id").values_list("entry_id", "attempts", "last_error")) == [
        (entries[0].pk, 1, ""), (entries[1].pk, 2, ""), (entries[2].pk, 1, ""),
    ]


def test_an_address_refused_for_good_is_counted_failed_and_the_others_sent(
    refusing, django_capture_on_commit_callbacks, caplog
):
    contest = closed_contest()
    for i in range(3):
        EntryFactory(contest=contest, guardian_email=f"parent{i}@example.org")
    publish(contest, django_capture_on_commit_callbacks, execute=False)
    ids = list(GuardianMail.objects.order_by("entry_id").values_list("pk", flat=True))
    refusing("parent1@example.org", 100)

    with caplog.at_level("INFO", logger="contest.services.results_mail"):
        failed = services.results_mails_send(mail_ids=ids)

    assert failed == [ids[1]]
    assert sorted(m.to[0] for m in mail.outbox) == ["parent0@example.org", "parent2@example.org"]
    assert selectors.results_mail_counts(contest=contest) == selectors.MailCounts(sent=2, waiting=0, failed=1, total=3)
    assert GuardianMail.objects.get(pk=ids[1]).last_error == "SMTPDataError 451"
    assert "parent1@example.org" not in caplog.text


def test_mail_counts_before_and_during_sending(django_capture_on_commit_callbacks):
    contest = closed_contest()
    EntryFactory.create_batch(3, contest=contest)
    assert selectors.results_mail_counts(contest=contest) == selectors.MailCounts(sent=0, waiting=0, failed=0, total=0)
    publish(contest, django_capture_on_commit_callbacks, execute=False)

    first = GuardianMail.objects.order_by("pk").first()
    services.results_mails_send(mail_ids=[first.pk])

    assert selectors.results_mail_counts(contest=contest) == selectors.MailCounts(sent=1, waiting=2, failed=0, total=3)



class Unreachable(LocmemBackend):
    """A mail server nobody answers at."""

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def test_an_unreachable_mail_server_stops_the_batch_after_one_try(settings, django_capture_on_commit_callbacks):
    contest = closed_contest()
    EntryFactory.create_batch(3, contest=contest)
    publish(contest, django_capture_on_commit_callbacks, execute=False)
    ids = list(GuardianMail.objects.order_by("pk").values_list("pk", flat=True))
    settings.EMAIL_BACKEND = f"{__name__}.Unreachable"

    assert services.results_mails_send(mail_ids=ids) == ids

    assert list(GuardianMail.objects.order_by("pk").values_list("attempts", "last_error")) == [
        (1, "ConnectionRefusedError"), (0, ""), (0, ""),
    ]
    assert selectors.results_mail_counts(contest=contest) == selectors.MailCounts(sent=0, waiting=2, failed=1, total=3)


def test_a_batch_out_of_time_leaves_the_rest_for_its_retry(django_capture_on_commit_callbacks):
    contest = closed_contest()
    EntryFactory.create_batch(3, contest=contest)
    publish(contest, django_capture_on_commit_callbacks, execute=False)
    ids = list(GuardianMail.objects.order_by("pk").values_list("pk", flat=True))

    assert services.results_mails_send(mail_ids=ids, time_budget=-1) == ids

    assert mail.outbox == []
    assert set(GuardianMail.objects.values_list("attempts", flat=True)) == {0}


def test_no_certificate_is_promised_for_an_entry_whose_images_are_not_ready(django_capture_on_commit_callbacks):
    contest = closed_contest()
    EntryFactory(contest=contest, processing_status="failed", guardian_email="failed@example.org")

    publish(contest, django_capture_on_commit_callbacks)

    body = mail_to("failed@example.org").body
    assert "certificate" not in body
    assert "Your own page for this entry: see the results" in body
