"""The organizers' reads: the moderation queue, the audit log, the
dashboard, the contests a user has a role in, a contest's team and how its
results e-mails stand."""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate

from .. import charts
from ..models import RESULTS_KINDS, AgeCategory, AuditLog, Contest, ContestRole, Country, Entry, GuardianMail, Rendition

class QueueFilter(StrEnum):
    NEW = "new"
    LOW_RESOLUTION = "low_resolution"
    NEAR_DUPLICATE = "near_duplicate"
    FLAGGED = "flagged"
    REJECTED = "rejected"
    APPROVED = "approved"


def moderation_queue(*, contest: Contest, filter: str = QueueFilter.NEW) -> QuerySet:
    """Confirmed entries of `contest` for the organizers' moderation queue.
    `new` is every entry still waiting; the others narrow it down (low
    resolution, near-duplicate, flagged) or show past decisions. Unconfirmed
    entries never appear: their guardian has not said yes yet."""
    entries = (
        Entry.objects.filter(contest=contest, guardian_confirmed_at__isnull=False, personal_data_purged_at__isnull=True)
        .select_related("age_category", "near_duplicate_of")
        .prefetch_related(Prefetch("renditions", queryset=Rendition.objects.only("entry_id", "kind", "format", "width", "height")))
        .order_by("created_at")
    )
    pending = Q(moderation_status=Entry.Moderation.PENDING)
    if filter == QueueFilter.LOW_RESOLUTION:
        return entries.filter(pending, low_resolution=True)
    if filter == QueueFilter.NEAR_DUPLICATE:
        return entries.filter(pending, near_duplicate_of__isnull=False)
    if filter == QueueFilter.FLAGGED:
        return entries.filter(flagged=True)
    if filter == QueueFilter.REJECTED:
        return entries.filter(moderation_status=Entry.Moderation.REJECTED)
    if filter == QueueFilter.APPROVED:
        return entries.filter(moderation_status=Entry.Moderation.APPROVED)
    return entries.filter(pending)


def audit_log_list(
    *, contest: Contest | None = None, limit: int = 500, actor: str = "", action: str = "",
    since: dt.date | None = None, until: dt.date | None = None,
) -> QuerySet:
    """The newest `limit` rows of the privacy audit log, for organizers:
    of one `contest` (else all), by one `actor` (an `actor_label`: a user
    name, "guardian" or "system"), of one `action` (an `AuditLog.Action`),
    from day `since` to day `until` (both included, in the contest's zone).
    Empty values filter nothing. One query."""
    rows = AuditLog.objects.select_related("actor", "contest")
    if contest is not None:
        rows = rows.filter(contest=contest)
    if actor:
        rows = rows.filter(actor_label=actor)
    if action:
        rows = rows.filter(action=action)
    zone = contest.tzinfo if contest is not None else dt.timezone.utc
    if since:
        rows = rows.filter(at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=zone))
    if until:
        rows = rows.filter(at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=zone))
    return rows[:limit]


def audit_log_actors(*, contest: Contest) -> list[str]:
    """Everyone named in the contest's audit log (`actor_label`s), sorted;
    one query."""
    return list(
        AuditLog.objects.filter(contest=contest).order_by("actor_label").values_list("actor_label", flat=True).distinct()
    )


@dataclass(frozen=True)
class Dashboard:
    """The organizers' charts of a contest's entries."""

    per_day: charts.Chart
    per_country: charts.Chart
    per_category: charts.Chart
    entries: int


def dashboard_for_organizer(*, contest: Contest) -> Dashboard:
    """Entries held for `contest` per day of arrival (in the contest's time
    zone, days without entries included), per country and per age category.
    Withdrawn and deleted entries are gone and do not count. Three queries,
    whatever the number of entries."""
    entries = Entry.objects.filter(contest=contest).order_by()
    days = dict(
        entries.annotate(day=TruncDate("created_at", tzinfo=contest.tzinfo))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    per_day = []
    if days:
        day, last = min(days), max(days)
        while day <= last:
            per_day.append((day.isoformat(), days.get(day, 0)))
            day += dt.timedelta(days=1)
    countries = dict(entries.values("country").annotate(n=Count("id")).values_list("country", "n"))
    per_country = [
        (str(label), countries.get(code, 0)) for code, label in Country.choices if code in contest.countries or code in countries
    ]
    per_category = [
        (category.name, category.n)
        for category in AgeCategory.objects.filter(contest=contest)
        .annotate(n=Count("entries"))
        .order_by("min_age")
    ]
    return Dashboard(
        per_day=charts.columns(per_day),
        per_country=charts.horizontal_bars(per_country),
        per_category=charts.horizontal_bars(per_category),
        entries=sum(n for _label, n in per_category),
    )


def contest_list_with_role(*, user) -> QuerySet:
    """The contests where `user` holds an organizer or moderator role, and
    the national rounds of the regional finals they organize (every contest
    for an active superuser), newest first, their translations prefetched.
    Lazy: no query until read (two then)."""
    contests = Contest.objects.order_by("-opens_at").prefetch_related("translations")
    if user.is_active and user.is_superuser:
        return contests
    held = ContestRole.objects.filter(user=user)
    organized = held.filter(role=ContestRole.Role.ORGANIZER).values("contest_id")
    return contests.filter(Q(pk__in=held.values("contest_id")) | Q(parent_id__in=organized))


def contest_team(*, contest: Contest) -> list[ContestRole]:
    """Every role held in `contest`, organizers first, then by the date it
    was given, with the person and who gave it. One query."""
    return list(
        ContestRole.objects.filter(contest=contest).select_related("user", "granted_by")
        .order_by("-role", "granted_at", "id")
    )


@dataclass(frozen=True)
class MailCounts:
    """How a contest's results e-mails stand: `sent`, `waiting` (not sent,
    no failed attempt yet) and `failed` (not sent, the last attempt failed;
    retried automatically until `MAIL_MAX_ATTEMPTS`) of `total`."""

    sent: int
    waiting: int
    failed: int
    total: int


def results_mail_counts(*, contest: Contest) -> MailCounts:
    """The counts of `contest`'s results e-mails to families (outbox rows of
    `RESULTS_KINDS`), in one query."""
    counts = GuardianMail.objects.filter(entry__contest=contest, kind__in=RESULTS_KINDS).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        failed=Count("pk", filter=Q(sent_at__isnull=True) & ~Q(last_error="")),
    )
    return MailCounts(
        sent=counts["sent"], failed=counts["failed"], total=counts["total"],
        waiting=counts["total"] - counts["sent"] - counts["failed"],
    )
