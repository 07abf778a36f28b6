"""The code's structure, read from its own source by scripts/check_structure.py:
tests laid out per app, and the checker itself on a tiny synthetic tree. The
code-side rules (module size, import cycles, function-level imports, long
views, one app importing another's views) are each a test of their own."""

import importlib.util
from pathlib import Path

import pytest

pytestmark = [pytest.mark.unit]

ROOT = Path(__file__).resolve().parents[2]


def _checker():
    spec = importlib.util.spec_from_file_location("check_structure", ROOT / "scripts" / "check_structure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_structure = _checker()


@pytest.fixture(scope="module")
def report():
    return check_structure.structure_report(ROOT)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def view(name: str, lines: int) -> str:
    """A view function of `lines` lines in all (def line included)."""
    body = "".join(f"    x{i} = {i}\n" for i in range(lines - 2))
    return f"def {name}(request):\n{body}    return None\n"


@pytest.fixture
def synthetic(tmp_path):
    """A project with one of each fault, next to the same thing just within
    the rules."""
    for package in check_structure.PACKAGES:
        write(tmp_path / package / "__init__.py", "")
    write(tmp_path / "contest" / "big.py", "x = 1\n" * 401)
    write(tmp_path / "contest" / "fits.py", "x = 1\n" * 400)
    write(tmp_path / "contest" / "a.py", "from contest import b\n")
    write(tmp_path / "contest" / "b.py", "from . import a\n")
    write(tmp_path / "contest" / "late.py", "def later():\n    from contest import fits\n    return fits\n")
    write(tmp_path / "contest" / "apps.py", "class Config:\n    def ready(self):\n        from contest import fits\n")
    write(tmp_path / "contest" / "views" / "listing.py", view("too_long", 41) + "\n\n" + view("just_fits", 40) + "\n\n" + view("_private", 60))
    write(tmp_path / "judging" / "views" / "__init__.py", "")
    write(tmp_path / "contest" / "views" / "__init__.py", "")
    write(tmp_path / "contest" / "views" / "setup.py", "x = 1\n")
    write(tmp_path / "contest" / "shared.py", "x = 1\n")
    write(tmp_path / "judging" / "views" / "steps.py", "from contest.views.setup import x\nfrom contest.shared import x as y\n")
    write(tmp_path / "judging" / "urls.py", "from contest.views import setup\nfrom .views import steps\n")
    write(tmp_path / "tests" / "test_flat.py", "def test_x():\n    pass\n")
    write(tmp_path / "tests" / "contest" / "test_nested.py", "def test_x():\n    pass\n")
    return check_structure.structure_report(tmp_path)


def test_tests_live_per_app_not_flat(report):
    assert report["flat_tests"] == []
    # Every test module sits in an app's folder or a kind's (browser, services).
    outside = sorted(
        path.relative_to(ROOT / "tests").as_posix() for path in (ROOT / "tests").rglob("test_*.py")
        if path.relative_to(ROOT / "tests").parts[0] not in check_structure.TEST_FOLDERS
    )
    assert outside == []


def test_checker_finds_a_module_over_400_lines(synthetic):
    assert synthetic["sizes"]["contest.big"] == 401
    assert [m for m, n in synthetic["sizes"].items() if n > check_structure.MAX_MODULE_LINES] == ["contest.big"]


def test_checker_finds_a_two_module_cycle(synthetic):
    assert synthetic["cycles"] == [["contest.a", "contest.b"]]


def test_checker_finds_a_function_level_import(synthetic):
    # AppConfig.ready is the one exception.
    assert synthetic["function_imports"] == ["contest.late.later imports contest.fits"]


def test_checker_finds_a_41_line_view(synthetic):
    assert synthetic["long_views"] == ["contest.views.listing.too_long (41 lines)"]


def test_checker_finds_a_flat_test_module(synthetic):
    assert synthetic["flat_tests"] == ["test_flat.py"]


def test_checker_finds_imports_of_another_apps_views(synthetic):
    # A plain module of the other app, and the app's own views, are fine.
    assert synthetic["cross_app_view_imports"] == [
        "judging.urls imports contest.views.setup",
        "judging.views.steps imports contest.views.setup",
    ]


def test_structure_modules_at_most_400_lines(report):
    over = {module: lines for module, lines in report["sizes"].items() if lines > check_structure.MAX_MODULE_LINES}
    assert over == {}


def test_structure_no_import_cycles(report):
    assert report["cycles"] == []


def test_structure_no_function_level_imports(report):
    assert report["function_imports"] == []


def test_structure_no_long_public_views(report):
    assert report["long_views"] == []


def test_structure_no_app_imports_another_apps_views(report):
    assert report["cross_app_view_imports"] == []
