"""What the worker asks of an entry's photo: the sheet mode and corners,
the hidden regions, and the face and name checks only until a moderator
has looked at the photo."""

import pytest

from contest import imaging
from contest.drawing_checks import entry_geometry
from tests.factories.contest import EntryFactory

pytestmark = pytest.mark.django_db


def test_an_unchecked_photo_is_looked_at_for_faces_and_the_childs_names(settings):
    settings.DRAWING_NAME_OCR = True
    entry = EntryFactory(child_first_name="Aigerim", child_last_name="Nurlanova")

    assert entry_geometry(entry=entry) == imaging.Geometry(mode="auto", find_faces=True, names=("Aigerim", "Nurlanova"))


def test_without_name_ocr_only_faces_are_looked_for(settings):
    settings.DRAWING_NAME_OCR = False
    entry = EntryFactory(child_first_name="Aigerim", child_last_name="Nurlanova")

    assert entry_geometry(entry=entry) == imaging.Geometry(mode="auto", find_faces=True, names=())


@pytest.mark.parametrize("review", ["flagged", "cleared"])
def test_once_flagged_or_cleared_nothing_is_looked_for_again(review):
    entry = EntryFactory(privacy_review=review, moderation_status="pending")

    geometry = entry_geometry(entry=entry)

    assert (geometry.find_faces, geometry.names) == (False, ())


def test_a_moderators_corners_and_regions_are_passed_on_and_an_unreadable_region_skipped():
    corners = [[0.1, 0.1], [0.9, 0.12], [0.88, 0.9], [0.12, 0.88]]
    entry = EntryFactory(
        sheet_mode="manual", sheet_corners_set=corners,
        image_masks=[{"x": 0.2, "y": 0.3, "w": 0.1, "h": 0.05, "style": "blur"}, {"x": 2, "y": 0, "w": 1, "h": 1}],
    )

    geometry = entry_geometry(entry=entry)

    assert (geometry.mode, geometry.corners) == ("manual", tuple(tuple(p) for p in corners))
    assert geometry.masks == (imaging.Mask(imaging.Box(0.2, 0.3, 0.1, 0.05), "blur"),)


def test_unreadable_stored_corners_fall_back_to_the_automatic_sheet():
    entry = EntryFactory(sheet_mode="manual", sheet_corners_set=[[0, 0], [1, 0]])

    assert entry_geometry(entry=entry).mode == "auto"
