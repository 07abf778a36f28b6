#!/usr/bin/env python
"""After `make test-services`: prove from its JUnit report that the tests
against real services ran and passed, none skipped.

    python scripts/check_services_ran.py var/test-services.xml

Fails when the report is missing, when any test of the run was skipped or
failed, or when a test function of tests/services/ is absent from it.
"""

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def expected_tests() -> set[str]:
    names = set()
    for path in sorted((ROOT / "tests" / "services").glob("test_*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                names.add(f"{module}::{node.name}")
    return names


def main(report: str) -> int:
    path = Path(report)
    if not path.is_file():
        print(f"no report at {path}: the services run did not happen", file=sys.stderr)
        return 1
    ran, problems = {}, []
    for case in ET.parse(path).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        outcome = "passed"
        for tag in ("skipped", "failure", "error"):
            if case.find(tag) is not None:
                outcome = tag
        ran[name] = (outcome, float(case.get("time", 0)))
        if outcome != "passed":
            problems.append(f"{outcome}: {name}")
    # A parametrised test is reported once per case, as name[params].
    functions = {name.split("[", 1)[0] for name in ran}
    missing = sorted(expected_tests() - functions)
    problems += [f"not run: {name}" for name in missing]
    services = sorted(n for n in ran if n.startswith("tests.services."))
    print(f"Services run: {len(ran)} tests; against PostgreSQL, Redis and S3 with real workers:")
    for name in services:
        outcome, seconds = ran[name]
        print(f"  {outcome:7} {seconds:6.1f}s  {name}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "var/test-services.xml"))
