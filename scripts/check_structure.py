"""The code's structure, read from its own source with `ast`.

Prints `name=value` lines and exits 1 when a rule is broken:
- `largest_module_lines`: no module of the apps or `config/` over 400 lines
  (migrations excepted);
- `import_cycles`: no cycle between project modules;
- `function_level_imports`: no import of a project module inside a function
  (an `AppConfig.ready` is the one exception);
- `long_public_views`: no public view function over 40 lines;
- `flat_test_modules`: tests live under `tests/<app>/`, not flat in `tests/`;
- `cross_app_view_imports`: no module of one app (`contest`, `judging`)
  imports another app's views (`<app>.views...`); what both need lives in a
  plain module, and a URL conf includes the other app's routes by name.

Usage: python scripts/check_structure.py [ROOT]
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

PACKAGES = ("config", "contest", "judging")
APPS = ("contest", "judging")
TEST_FOLDERS = {"contest", "judging", "config", "browser", "services", "factories"}
MAX_MODULE_LINES = 400
MAX_VIEW_LINES = 40


def project_modules(root: Path) -> dict[str, Path]:
    """Dotted module name → file, for every module of the project's packages."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.relative_to(root).parts:
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _resolver(modules):
    def resolve(name: str) -> str | None:
        parts = name.split(".")
        while parts:
            candidate = ".".join(parts)
            if candidate in modules:
                return candidate
            parts.pop()
        return None

    return resolve


def _imported(node, module: str, is_package: bool, resolve) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = module.split(".")
        if not is_package:
            parts = parts[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join(parts + ([base] if base else []))
    names = []
    for alias in node.names:
        full = f"{base}.{alias.name}"
        names.append(full if resolve(full) == full else base)
    return names


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, components, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    return components


def _cross_app_view_import(module: str, target: str) -> bool:
    """Whether `module` importing `target` reaches into another app's views."""
    source_app, target_parts = module.split(".")[0], target.split(".")
    return (
        source_app in APPS and target_parts[0] in APPS and target_parts[0] != source_app
        and len(target_parts) > 1 and target_parts[1] == "views"
    )


def structure_report(root: Path) -> dict:
    """Everything the rules above measure, as plain data."""
    modules = project_modules(root)
    resolve = _resolver(modules)
    graph: dict[str, set[str]] = defaultdict(set)
    sizes, function_imports, long_views, cross_views = {}, [], [], []
    for module, path in modules.items():
        source = path.read_text()
        sizes[module] = len(source.splitlines())
        tree = ast.parse(source)
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for name in _imported(node, module, is_package, resolve):
                    target = resolve(name)
                    if target and target != module:
                        graph[module].add(target)
                    if target and _cross_app_view_import(module, target):
                        cross_views.append(f"{module} imports {target}")
        for function in ast.walk(tree):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) and function.name != "ready":
                for node in ast.walk(function):
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        for name in _imported(node, module, is_package, resolve):
                            if resolve(name):
                                function_imports.append(f"{module}.{function.name} imports {name}")
        if "views" in module.split("."):
            for node in tree.body:
                if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                    length = node.end_lineno - node.lineno + 1
                    if length > MAX_VIEW_LINES:
                        long_views.append(f"{module}.{node.name} ({length} lines)")
        graph.setdefault(module, set())
    flat_tests = sorted(p.name for p in (root / "tests").glob("test_*.py"))
    return {
        "sizes": sizes,
        "cycles": _cycles(graph),
        "function_imports": function_imports,
        "long_views": long_views,
        "flat_tests": flat_tests,
        "cross_app_view_imports": sorted(set(cross_views)),
    }


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parent.parent)
    report = structure_report(root)
    largest = max(report["sizes"].items(), key=lambda item: item[1])
    print(f"largest_module_lines={largest[1]}  # {largest[0]}")
    for module, lines in sorted(report["sizes"].items(), key=lambda item: -item[1]):
        if lines > MAX_MODULE_LINES:
            print(f"  over {MAX_MODULE_LINES}: {module} {lines}")
    print(f"import_cycles={len(report['cycles'])}")
    for cycle in report["cycles"]:
        print("  cycle:", " <-> ".join(cycle))
    print(f"function_level_imports={len(report['function_imports'])}")
    for line in report["function_imports"]:
        print("  ", line)
    print(f"long_public_views={len(report['long_views'])}")
    for line in report["long_views"]:
        print("  ", line)
    print(f"flat_test_modules={len(report['flat_tests'])}")
    print(f"cross_app_view_imports={len(report['cross_app_view_imports'])}")
    for line in report["cross_app_view_imports"]:
        print("  ", line)
    broken = (
        largest[1] > MAX_MODULE_LINES
        or report["cycles"]
        or report["function_imports"]
        or report["long_views"]
        or report["flat_tests"]
        or report["cross_app_view_imports"]
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
