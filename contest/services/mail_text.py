"""What the e-mails to guardians say: the standard subjects and templates
per kind, the organizers' own wording per language with `{placeholders}`,
the guardian's links, and the context of the results e-mails. Rendering
only; the outbox and its jobs are `contest.services.mail`."""

from __future__ import annotations

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from ..links import Purpose, lifetime, token_make
from ..models import RESULTS_KINDS, Entry, place_label
from ..rules import is_published_winner
from ..selectors import certificate_available, contest_content
from .policy import rejected_grace_days

# A teacher's entry: the guardian did not send it and is asked to agree.
TEACHER_RECEIPT = (
    gettext_lazy("Please confirm: your child's drawing %(ref)s was sent to “%(contest)s” by the teacher"),
    "contest/email/confirm_teacher.txt",
)

# kind (of `EMAIL_KINDS`) -> the standard subject and template. The subject
# takes `%(ref)s` (the reference) and `%(contest)s` (the contest's title in
# the guardian's language).
MAIL_KINDS = {
    "receipt": (gettext_lazy("Please confirm the entry %(ref)s to “%(contest)s”"), "contest/email/confirm.txt"),
    "link": (gettext_lazy("Your link to the entry %(ref)s"), "contest/email/links.txt"),
    "rejection": (gettext_lazy("Your entry %(ref)s was not accepted"), "contest/email/rejected.txt"),
    "text_edit": (gettext_lazy("The title or description of your entry %(ref)s was changed"), "contest/email/text_edited.txt"),
    "photo_ask": (gettext_lazy("Please send a photo of the drawing %(ref)s alone"), "contest/email/photo_request.txt"),
    "unreadable": (
        gettext_lazy("We could not read the photo of your drawing %(ref)s: please send it again"),
        "contest/email/photo_unreadable.txt",
    ),
    # The results (`results_mail`): these subjects also take `%(name)s`, the child's first name.
    "winner": (
        gettext_lazy("Congratulations: %(name)s's drawing has won an award in “%(contest)s”"),
        "contest/email/results_winner.txt",
    ),
    "thanks": (
        gettext_lazy("Thank you for taking part in “%(contest)s”: the results are published"),
        "contest/email/results_thanks.txt",
    ),
}


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def guardian_links(*, entry: Entry, secret: str) -> dict[str, str]:
    """Absolute URLs of the guardian's links for `entry`, carrying its plain
    link `secret` (they work while it is the entry's current one):
    `confirm` (only while unconfirmed), `manage` (the self-service page)
    and `drawing` (its page for sending a new photo)."""
    def url(name: str, purpose: Purpose) -> str:
        return _absolute(reverse(name, args=[token_make(public_id=entry.public_id, secret=secret, purpose=purpose)]))

    links = {
        "manage": url("contest:guardian_entry", Purpose.MANAGE),
        "drawing": url("contest:guardian_drawing", Purpose.MANAGE),
    }
    if entry.guardian_confirmed_at is None:
        links["confirm"] = url("contest:guardian_confirm", Purpose.CONFIRM)
    return links


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    """`text` with every `{name}` of `values` replaced; anything else is
    left as written. Not `str.format`: an organizer's text must not reach
    attributes (`{entry.__class__}`) or fail on a stray brace."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), text)


def _kind_context(*, entry: Entry, kind: str) -> dict:
    if kind == "rejection":
        return {
            "reason_text": Entry.RejectionReason(entry.rejection_reason).label,
            "grace_days": rejected_grace_days(),
        }
    if kind in RESULTS_KINDS:
        return _results_context(entry=entry)
    if kind == "unreadable":  # a new photo may be sent from the entry's page until the closing time
        return {"replaceable": timezone.now() < entry.contest.closes_at}
    return {}


def _results_context(*, entry: Entry) -> dict:
    """What the results e-mails say beyond the common context, in the
    active language: the entry's place and special awards by name
    (`awards`), its public page (`entry_url`: only a published winner whose
    guardian agreed to publication has one, `is_published_winner`, else
    ""), the winners' gallery (`gallery_url`) and whether the guardian's
    page offers a certificate (`certificate`). Only this entry's data."""
    language = translation.get_language()
    specials = entry.special_awards.order_by("order", "id")
    awards = ([place_label(entry.award)] if entry.award else []) + [award.name_in(language) for award in specials]
    public = is_published_winner(None, entry)
    return {
        "awards": awards,
        "entry_url": _absolute(reverse("contest:entry_detail", args=[entry.public_id])) if public else "",
        "gallery_url": _absolute(reverse("contest:gallery", args=[entry.contest.slug])),
        # The guardian's page offers it for download (`contest.certificates`).
        "certificate": certificate_available(entry=entry),
    }


def guardian_mail_render(*, entry: Entry, kind: str, language: str, secret: str) -> tuple[str, str]:
    """(subject, body) of the `kind` e-mail (a key of `MAIL_KINDS`) for
    `entry`, in `language`, its links carrying the plain link `secret`
    (`guardian_links`). The organizers' wording for that language (else
    for the contest's default language, see `contest_content`) replaces the
    standard subject and template, with `{placeholders}` filled in. The
    receipt of an entry a teacher sent names the teacher and asks the
    guardian to agree (`TEACHER_RECEIPT`)."""
    standard_subject, template = TEACHER_RECEIPT if kind == "receipt" and entry.teacher_id else MAIL_KINDS[kind]
    content = contest_content(contest=entry.contest, language=language)
    links = guardian_links(entry=entry, secret=secret)
    with translation.override(language):
        context = {
            "entry": entry,
            "contest": entry.contest,
            "contest_title": content.title,
            "links": links,
            "confirm_days": lifetime(Purpose.CONFIRM).days,
            "manage_days": lifetime(Purpose.MANAGE).days,
            **_kind_context(entry=entry, kind=kind),
        }
        own_subject, own_body = content.email(kind)
        values = {
            "name": entry.guardian_name, "title": entry.title, "contest": content.title,
            "reference": entry.reference, "confirm_link": links.get("confirm", ""), "manage_link": links["manage"],
            "confirm_days": context["confirm_days"], "manage_days": context["manage_days"],
            "reason": context.get("reason_text", ""), "grace_days": context.get("grace_days", ""),
        }
        body = placeholders_fill(own_body, values) if own_body else render_to_string(template, context)
        subject = (
            placeholders_fill(own_subject, values) if own_subject
            else str(standard_subject) % {"ref": entry.reference, "contest": content.title, "name": entry.child_first_name}
        )
    return subject, body
