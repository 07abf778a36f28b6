"""Renditions of retired kinds (the first versions' 2400 px `display2x`) are
deleted with their files; the current set stays."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from contest.models import Rendition
from tests.factories.contest import EntryFactory, RenditionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def entry():
    entry = EntryFactory()
    for kind in ("card", "card2x", "display"):
        RenditionFactory(entry=entry, kind=kind)
    RenditionFactory(entry=entry, kind="display2x", width=2400, height=1800)
    return entry


def run(*args):
    out = io.StringIO()
    call_command("prune_renditions", *args, stdout=out)
    return out.getvalue().strip()


def test_dry_run_counts_and_keeps_everything(entry, django_capture_on_commit_callbacks):
    retired = entry.renditions.get(kind="display2x")

    with django_capture_on_commit_callbacks(execute=True):
        said = run("--dry-run")

    assert said == "would delete 1 retired renditions"
    assert sorted(entry.renditions.values_list("kind", flat=True)) == ["card", "card2x", "display", "display2x"]
    assert default_storage.exists(retired.file.name)


def test_retired_kind_goes_with_its_file_and_the_set_stays(entry, django_capture_on_commit_callbacks):
    retired = entry.renditions.get(kind="display2x")
    kept = {r.kind: r.file.name for r in entry.renditions.exclude(pk=retired.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        said = run()
    again = run()

    assert (said, again) == ("deleted 1 retired renditions", "deleted 0 retired renditions")
    assert sorted(Rendition.objects.filter(entry=entry).values_list("kind", flat=True)) == ["card", "card2x", "display"]
    assert default_storage.exists(retired.file.name) is False
    assert [default_storage.exists(name) for name in kept.values()] == [True, True, True]
