"""`contest.imaging` is a pure package: no module of it imports Django (so
the benchmark, the worker and these tests use it without settings), none
imports the package itself (siblings import each other directly, so there
is no cycle with `__init__`), and each stays under 400 lines."""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "contest" / "imaging"
MAX_LINES = 400


def forbidden_imports(source: str, *, forbidden: str = "django", package: str = "contest.imaging") -> list[str]:
    """Every import in `source` of `forbidden` (or a submodule of it), at
    any depth (functions too), including `importlib.import_module("...")`
    and `__import__("...")` with a literal name; and every import of
    `package` itself by absolute name. As 'line: module' strings."""

    def banned(name: str) -> bool:
        return name == forbidden or name.startswith(forbidden + ".") or name == package or name.startswith(package + ".")

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: {alias.name}" for alias in node.names if banned(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and banned(node.module or ""):
            found.append(f"{node.lineno}: {node.module}")
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if callee in ("import_module", "__import__") and isinstance(node.args[0].value, str) and banned(node.args[0].value):
                found.append(f"{node.lineno}: {node.args[0].value}")
    return found


def package_modules() -> list[Path]:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 1, "contest/imaging/ is expected to be a package of several modules"
    return modules


@pytest.mark.parametrize(
    "source",
    [
        "import django",
        "import django.conf as conf",
        "import os, django.utils.translation",
        "from django.utils.translation import gettext as _",
        "from django import forms",
        "def later():\n    from django.conf import settings\n    return settings",
        "import importlib\nimportlib.import_module('django.conf')",
        "__import__('django')",
        "from contest.imaging import Reason",
        "import contest.imaging.policy",
    ],
)
def test_the_checker_catches_a_forbidden_import(source):
    assert forbidden_imports(textwrap.dedent(source))


@pytest.mark.parametrize(
    "source",
    [
        "import djangoish",
        "from djangox import y",
        "from .policy import Reason",
        "from . import django",  # a sibling that happens to be named so, not Django
        "import PIL.Image\nfrom PIL import ImageCms",
        "text = 'import django'",
        "from contest.imagingtools import x",
    ],
)
def test_the_checker_lets_other_imports_through(source):
    assert forbidden_imports(source) == []


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: p.name)
def test_no_module_of_the_imaging_package_imports_django_or_the_package(path):
    assert forbidden_imports(path.read_text()) == []


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: p.name)
def test_each_module_of_the_imaging_package_is_at_most_400_lines(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES


def test_importing_the_package_loads_no_django():
    # What the source says, confirmed at run time in a fresh interpreter
    # (this test process has Django loaded already).
    code = (
        "import sys; import contest.imaging; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
