"""Exports of a contest's data, made by the worker.

`export_request` records what an organizer asked for and queues the task
after the transaction commits; the worker's task (`judging.tasks`) calls
`export_build`, which writes the file into a temporary file row by row
(rows streamed from `judging.selectors.exports`, headings and labels in the
export's language), reports its progress on the row, stores the file under
a random name in the default storage and marks the export ready. Any
failure marks it failed with a reason, and a file already stored is
deleted: no orphan file is left behind.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contest import certificates
from contest.certificates.pages import certificate_pages
from contest import selectors as contest_selectors
from contest.models import Contest, Country, Entry, place_label
from contest.services.jobs import job_enqueue

from .. import phrases, selectors
from ..exports import writers
from ..models import Export

logger = logging.getLogger(__name__)

BUILD_EXPORT = "judging.export_build"
PROGRESS_STEP = 5  # per cent: the row is updated no more often than this
TWO_PLACES = Decimal("0.01")
EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic", "HEIC": "heic", "AVIF": "avif"}
# Export files hold personal data (a child's first name and age): they are
# deleted with their rows this long after they were asked for (Celery beat
# "purge-exports").
EXPORT_KEEP = dt.timedelta(days=7)
SUFFIXES = {
    Export.Kind.ENTRIES_CSV: ".csv", Export.Kind.ENTRIES_XLSX: ".xlsx", Export.Kind.SCORES_CSV: ".csv",
    Export.Kind.SCORES_XLSX: ".xlsx", Export.Kind.WINNERS_ZIP: ".zip", Export.Kind.CERTIFICATES_PDF: ".pdf",
}


class ExportRefused(Exception):
    """An export that cannot be made for a reason the organizer can act
    on; its message (in the export's language) is the reason shown."""


def export_request(*, contest: Contest, kind: str, user, language: str = "") -> Export:
    """Record an organizer's request for an export of `kind` (an
    `Export.Kind`) of `contest`, with headings in `language` (default: the
    contest's), and queue its build once the transaction commits. One
    query. When the task cannot be queued, the export is marked failed."""
    export = Export.objects.create(
        contest=contest, kind=Export.Kind(kind), requested_by=user, language=language or contest.default_language
    )
    export_id = export.pk
    transaction.on_commit(lambda: _enqueue(export_id=export_id))
    return export


def _enqueue(*, export_id: int) -> None:
    if not job_enqueue(name=BUILD_EXPORT, export_id=export_id):
        _fail(export_id=export_id, reason=str(phrases.EXPORT_NOT_QUEUED))


def export_download_name(*, export: Export) -> str:
    """The name the organizer's browser saves the file as."""
    stem = export.kind.split("_")[0]
    return f"{stem}-{export.contest.slug}{SUFFIXES[export.kind]}"


def export_build(*, export_id: int) -> Export | None:
    """Build export `export_id` (the worker's side): claim it (a queued
    export only, so a task run twice builds once), write its file, store it
    and mark it ready; on any failure mark it failed with the reason and
    delete what was stored. Returns the export, or None when there was
    nothing to build."""
    claimed = Export.objects.filter(pk=export_id, status=Export.Status.QUEUED).update(
        status=Export.Status.RUNNING, started_at=timezone.now(), progress=0
    )
    export = selectors.export_for_build(export_id=export_id) if claimed else None
    if export is None:
        return None
    with translation.override(export.language):
        _build(export)
    export.refresh_from_db()
    return export


def _build(export: Export) -> None:
    stored = ""
    try:
        with tempfile.TemporaryFile() as out:
            count = BUILDERS[export.kind](export=export, out=out, progress=_Progress(export_id=export.pk))
            out.seek(0)
            field = Export._meta.get_field("file")
            stored = field.storage.save(field.generate_filename(export, f"export{SUFFIXES[export.kind]}"), File(out))
        done = Export.objects.filter(pk=export.pk, status=Export.Status.RUNNING).update(
            status=Export.Status.READY, file=stored, progress=100, row_count=count, finished_at=timezone.now()
        )
        if not done:
            raise RuntimeError("the export was changed while it was made")
    except ExportRefused as exc:
        _fail(export_id=export.pk, reason=str(exc))
    except Exception as exc:
        logger.exception("export %s failed", export.pk)
        if stored:
            Export._meta.get_field("file").storage.delete(stored)
        _fail(export_id=export.pk, reason=f"{phrases.EXPORT_FAILED} ({exc.__class__.__name__}: {exc})")


def exports_purge_expired(*, now: dt.datetime | None = None, keep: dt.timedelta = EXPORT_KEEP) -> int:
    """Delete every export asked for more than `keep` ago, its file first
    (a file that cannot be deleted keeps its row for the next run).
    Returns how many were deleted."""
    cutoff = (now or timezone.now()) - keep
    deleted = 0
    for export in Export.objects.filter(created_at__lt=cutoff).only("id", "file"):
        if export.file.name:
            try:
                export.file.storage.delete(export.file.name)
            except Exception:
                logger.exception("could not delete the file of export %s", export.pk)
                continue
        Export.objects.filter(pk=export.pk).delete()
        deleted += 1
    return deleted


def _fail(*, export_id: int, reason: str) -> None:
    Export.objects.filter(pk=export_id).exclude(status=Export.Status.READY).update(
        status=Export.Status.FAILED, error=reason[:300], file="", finished_at=timezone.now()
    )


class _Progress:
    """Tells the export's row how far the build is, in steps of
    `PROGRESS_STEP` per cent (100 is written with the file)."""

    def __init__(self, *, export_id: int):
        self.export_id = export_id
        self.total = 0
        self.shown = 0

    def rows(self, rows: Iterable, *, total: int, weight=lambda row: 1) -> Iterator:
        """`rows`, unchanged, reporting the share of `total` passed."""
        self.total, done = total, 0
        for row in rows:
            done += weight(row)
            self.report(done)
            yield row

    def report(self, done: int) -> None:
        percent = min(99, done * 100 // self.total) if self.total else 0
        if percent >= self.shown + PROGRESS_STEP:
            Export.objects.filter(pk=self.export_id, status=Export.Status.RUNNING).update(progress=percent)
            self.shown = percent


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def _entry_table(contest: Contest, progress: _Progress):
    header = [
        _("reference code"), _("title"), _("age category"), _("country"), _("processing"), _("moderation"),
        _("confirmed by the guardian"), _("place"), _("special awards"), _("child's first name"), _("age"),
    ]
    countries, processing = dict(Country.choices), dict(Entry.Processing.choices)
    moderation = dict(Entry.Moderation.choices)
    specials, language = selectors.entry_special_awards(contest=contest), translation.get_language()
    total = selectors.entry_export_count(contest=contest)
    rows = (
        [
            r.reference, r.title, r.category, str(countries.get(r.country, r.country)),
            str(processing.get(r.processing_status, r.processing_status)),
            str(moderation.get(r.moderation_status, r.moderation_status)), _yes(r.confirmed),
            place_label(r.award) if r.award else "",
            ", ".join(award.name_in(language) for award in specials.get(r.entry_id, ())),
            r.child_first_name, r.child_age,
        ]
        for r in progress.rows(selectors.entry_export_rows(contest=contest), total=total)
    )
    return header, rows


def _score_table(contest: Contest, progress: _Progress):
    criteria = selectors.score_sheet_criteria(contest=contest)
    several_rounds = len({c.round_number for c in criteria}) > 1
    header = [
        _("round"), _("age category"), _("reference code"), _("title"), _("judge"),
        *[
            _("%(criterion)s (round %(round)s)") % {"criterion": c.name, "round": c.round_number}
            if several_rounds else c.name
            for c in criteria
        ],
        _("total (0–100)"), _("conflict of interest"), _("private comment"), _("updated"),
    ]
    total = selectors.score_sheet_count(contest=contest)
    zone = contest.tzinfo

    def rows():
        for read, sheet in selectors.score_sheets(contest=contest, criteria=criteria):
            progress.report(read)
            yield [
                sheet.round_number, sheet.category, sheet.reference, sheet.title, sheet.judge,
                *[sheet.points.get(c.pk, "") if c.round_number == sheet.round_number else "" for c in criteria],
                sheet.total.quantize(TWO_PLACES) if sheet.total is not None else "",
                _yes(True) if sheet.conflict else "",
                sheet.comment, timezone.localtime(sheet.updated_at, zone).strftime("%Y-%m-%d %H:%M"),
            ]

    progress.total = total
    return header, rows()


def _csv(table):
    def build(*, export: Export, out, progress: _Progress) -> int:
        header, rows = table(export.contest, progress)
        return writers.csv_write(out, header=header, rows=rows)

    return build


def _xlsx(table):
    def build(*, export: Export, out, progress: _Progress) -> int:
        header, rows = table(export.contest, progress)
        return writers.xlsx_write(out, header=header, rows=rows, title=export.contest.slug)

    return build


def _folder(name: str) -> str:
    """An age category's name as a folder name in a ZIP."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "-", name).strip(" .") or "-"


def winner_file_name(*, category: str, place: int | None, reference: str, original_format: str) -> str:
    """`<category>/<place>-<reference>.<ext>`: a winner's original in the
    printing ZIP; `<category>/special-<reference>.<ext>` for a winner of
    special awards only (place None)."""
    fmt = (original_format or "").upper()
    prefix = place if place else "special"
    return f"{_folder(category)}/{prefix}-{reference}.{EXTENSIONS.get(fmt, fmt.lower() or 'bin')}"


def _winners_zip(*, export: Export, out, progress: _Progress) -> int:
    winners = selectors.winner_originals(contest=export.contest)
    storage = Entry._meta.get_field("original").storage
    members = (
        (
            winner_file_name(
                category=w.category, place=w.place, reference=w.reference, original_format=w.original_format
            ),
            lambda name=w.name: storage.open(name, "rb"),
        )
        for w in progress.rows(winners, total=len(winners))
    )
    return writers.zip_write(out, members=members)


def _certificates_pdf(*, export: Export, out, progress: _Progress) -> int:
    """Every certificate of the contest, one page each, each in its
    family's language (`contest.certificates`); the drawings are read one
    by one as the pages are made."""
    contest = export.contest
    if contest.results_published_at is None:
        raise ExportRefused(str(phrases.CERTIFICATES_NOT_PUBLISHED))
    facts = contest_selectors.certificates_for_contest(contest=contest)
    if not facts:
        raise ExportRefused(str(phrases.CERTIFICATES_NONE))
    pages = certificate_pages(facts=progress.rows(facts, total=len(facts)))
    title = contest_selectors.contest_content(contest=contest, language=export.language).title
    return certificates.certificates_write(out, pages=pages, title=title, language=export.language)


BUILDERS = {
    Export.Kind.ENTRIES_CSV: _csv(_entry_table),
    Export.Kind.ENTRIES_XLSX: _xlsx(_entry_table),
    Export.Kind.SCORES_CSV: _csv(_score_table),
    Export.Kind.SCORES_XLSX: _xlsx(_score_table),
    Export.Kind.WINNERS_ZIP: _winners_zip,
    Export.Kind.CERTIFICATES_PDF: _certificates_pdf,
}
