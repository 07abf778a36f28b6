"""A teacher's batch: the rows (from a spreadsheet or the page's table)
cleaned one by one by the row form, each saved by the service in its own
transaction, and a result per row: saved (with the reference) or refused
(with the reasons, in the active language: the teacher's).

A bad row never blocks the good ones, and a refused row leaves nothing:
no entry, no stored file, and its resumable upload is deleted. Photos and
scans arrive with the post or, earlier, in resumable parts
(`contest.chunked`) named by their upload ids; rows name them by file name.
With S3 (`direct_uploads.enabled()`) photos go straight to the bucket in
parts, as the parent's: a saved row's entry takes the staged object as it
is (no write in the request), a refused row's object is deleted, and a
photo no row named stays staged for a later post (or the sweeper)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import chunked, direct_uploads, services
from .services.teachers import TeacherRow
from .teacher_forms import TeacherRowForm
from .teacher_sheets import SheetRow


@dataclass(frozen=True)
class RowResult:
    """What became of one row: `line` in the spreadsheet or table, `child`
    (first name and last name's initial), saved with its `reference`, or
    refused for `reason`."""

    line: int
    child: str
    saved: bool
    reference: str = ""
    reason: str = ""


def max_rows() -> int:
    """The most children in one batch (`settings.TEACHER_BATCH_MAX_ROWS`)."""
    return settings.TEACHER_BATCH_MAX_ROWS


def table_rows(formset) -> list[SheetRow]:
    """The non-empty lines of the page's table (a bound, valid
    `TeacherRowsFormSet`), numbered from 1."""
    rows = []
    for number, form in enumerate(formset.forms[: max_rows()], start=1):
        values = {key: (value or "").strip() for key, value in form.cleaned_data.items()}
        if any(values.values()):
            rows.append(SheetRow(line=number, values=values))
    return rows


def uploads_collect(session, *, contest_id: int, upload_ids: list[str]) -> dict[str, tuple]:
    """File name → (the assembled file, its `chunked.Upload`) for the
    session's finished resumable uploads among `upload_ids`; with S3, file
    name → (`direct_uploads.StagedImage`, its `StagedUpload`) for the
    completed (checked) ones. Unknown or unfinished ones are left out
    (their rows are refused: no such file)."""
    found = {}
    for upload_id in upload_ids:
        try:
            if direct_uploads.enabled():
                staged = direct_uploads.upload_get(session=session, upload_id=upload_id, contest_id=contest_id)
                if staged.completed_at:
                    found[staged.file_name] = (direct_uploads.StagedImage(staged), staged)
                continue
            upload = chunked.upload_get(session=session, upload_id=upload_id, contest_id=contest_id)
            found[upload.name] = (chunked.assembled_file(upload), upload)
        except chunked.UploadError:
            continue
    return found


def _uploads_drop(session, *, uploaded: dict, named: set, used: set) -> None:
    """Forget the resumable uploads the rows named: a chunked one is deleted
    (a saved row's file was copied into the store); a staged S3 object is
    kept by the entry that names it (`used`), deleted otherwise."""
    for name, (file, upload) in uploaded.items():
        file.close()
        if name not in named:
            continue
        if isinstance(upload, chunked.Upload):
            chunked.upload_discard(session=session, upload=upload)
        elif name in used:
            direct_uploads.upload_used(staged=upload, session=session)
        else:
            direct_uploads.upload_discard(staged=upload, session=session)


def _child(values: dict) -> str:
    first, last = values.get("child_first_name", ""), values.get("child_last_name", "")
    return f"{first} {last[:1]}.".strip() if last else first


def row_submit(*, teacher, contest, row: SheetRow, images: dict, scans: dict, language: str) -> RowResult:
    """Clean one row with `TeacherRowForm` and save it through
    `services.teacher_entry_submit`; never raises for a refusal."""
    form = TeacherRowForm(row.values, contest=contest, images=images, scans=scans)
    if not form.is_valid():
        return RowResult(line=row.line, child=_child(row.values), saved=False, reason=form.error_text())
    data = form.cleaned_data
    teacher_row = TeacherRow(**{key: data[key] for key in TeacherRow.__dataclass_fields__})
    try:
        entry = services.teacher_entry_submit(
            teacher=teacher, contest=contest, row=teacher_row, image=form.image, image_info=form.image_info,
            consent_scan=form.consent_scan, language=language,
        )
    except ValidationError as exc:
        return RowResult(line=row.line, child=_child(row.values), saved=False, reason="; ".join(exc.messages))
    except services.StorageUnavailable:
        reason = _("We could not save this drawing. Please send this row again in a few minutes.")
        return RowResult(line=row.line, child=_child(row.values), saved=False, reason=str(reason))
    return RowResult(line=row.line, child=_child(row.values), saved=True, reference=entry.reference)


def batch_submit(
    *, session, teacher, contest, rows: list[SheetRow], images: list, scans: list, upload_ids: list[str],
    language: str,
) -> list[RowResult]:
    """Every row of the batch, in order (see `row_submit`). `images` and
    `scans` are the files posted with the page; `upload_ids` name the
    session's resumable uploads (photos or scans, by their file names). The
    resumable uploads that rows named are deleted afterwards, saved or not
    (a saved row's file was copied into the store), but a staged S3 object
    stays as the original of the entry that names it (`_uploads_drop`).
    A staged S3 object is a photo only, never a scan."""
    uploaded = uploads_collect(session, contest_id=contest.pk, upload_ids=upload_ids)
    files = {name: file for name, (file, _upload) in uploaded.items()}
    image_files = {**files, **{f.name: f for f in images}}
    scan_files = {**({} if direct_uploads.enabled() else files), **{f.name: f for f in scans}}
    results = [
        row_submit(teacher=teacher, contest=contest, row=row, images=image_files, scans=scan_files, language=language)
        for row in rows
    ]
    named = {row.values.get("file") for row in rows} | {row.values.get("consent_file") for row in rows}
    posted = {f.name for f in images}
    used = {row.values.get("file") for row, result in zip(rows, results, strict=True) if result.saved} - posted
    _uploads_drop(session, uploaded=uploaded, named=named, used=used)
    return results
