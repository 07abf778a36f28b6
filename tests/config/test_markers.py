"""Markers mean what they say: a test marked `unit` that asks for the
database fails (the check in tests/conftest.py), and no test module marks
itself `unit` together with `django_db`."""

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import unit_database_use

pytestmark = [pytest.mark.unit]

TESTS = Path(__file__).resolve().parents[1]


def item(*markers, fixtures=()):
    names = set(markers)
    return SimpleNamespace(
        nodeid="tests/x/test_x.py::test_x", fixturenames=list(fixtures),
        get_closest_marker=lambda name: SimpleNamespace(name=name) if name in names else None,
    )


def test_a_unit_test_without_the_database_may_run():
    assert unit_database_use(item("unit", fixtures=["settings", "tmp_path"])) is None


@pytest.mark.parametrize("fixture", ["db", "transactional_db"])
def test_a_unit_test_asking_for_a_database_fixture_is_refused(fixture):
    assert "uses the database fixture(s) " + fixture in unit_database_use(item("unit", fixtures=["settings", fixture]))


def test_a_unit_test_with_the_django_db_marker_is_refused():
    assert "marked unit but also django_db" in unit_database_use(item("unit", "django_db"))


def test_a_database_test_not_marked_unit_may_run():
    assert unit_database_use(item("django_db", fixtures=["db"])) is None


def test_no_test_module_is_marked_both_unit_and_django_db():
    both = []
    for path in sorted(TESTS.rglob("test_*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in node.targets):
                marks = ast.unparse(node.value)
                if "mark.unit" in marks and "django_db" in marks:
                    both.append(path.relative_to(TESTS).as_posix())
    assert both == []
