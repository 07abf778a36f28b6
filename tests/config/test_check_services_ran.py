"""scripts/check_services_ran.py, the last step of CI: it reads the services
run's JUnit report and fails unless every test function of tests/services/
ran and passed. Checked here on small synthetic reports."""

import importlib.util
from pathlib import Path

import pytest

pytestmark = [pytest.mark.unit]

ROOT = Path(__file__).resolve().parents[2]


def _checker():
    spec = importlib.util.spec_from_file_location("check_services_ran", ROOT / "scripts" / "check_services_ran.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


checker = _checker()


def _report(tmp_path, cases):
    rows = []
    for name, body in cases:
        module, function = name.split("::")
        rows.append(f'<testcase classname="{module}" name="{function}" time="1.5">{body}</testcase>')
    path = tmp_path / "report.xml"
    path.write_text(f'<testsuites><testsuite name="pytest">{"".join(rows)}</testsuite></testsuites>')
    return str(path)


def _all_expected(body=""):
    names = sorted(checker.expected_tests())
    assert names, "tests/services/ holds test functions"
    return [(name, body) for name in names]


def test_every_services_test_passed_is_accepted(tmp_path, capsys):
    assert checker.main(_report(tmp_path, _all_expected())) == 0
    assert "Services run:" in capsys.readouterr().out


def test_a_parametrised_test_counts_as_run_when_its_cases_ran(tmp_path, capsys):
    cases = _all_expected()
    name = cases[0][0]
    cases = cases[1:] + [(f"{name}[a]", ""), (f"{name}[b]", "")]
    assert checker.main(_report(tmp_path, cases)) == 0
    assert "not run" not in capsys.readouterr().err


def test_a_missing_services_test_fails_the_check(tmp_path, capsys):
    cases = _all_expected()
    missing = cases.pop()[0]
    assert checker.main(_report(tmp_path, cases)) == 1
    assert f"not run: {missing}" in capsys.readouterr().err


def test_a_skipped_test_fails_the_check(tmp_path, capsys):
    cases = _all_expected()
    cases[0] = (cases[0][0], '<skipped message="no broker"/>')
    assert checker.main(_report(tmp_path, cases)) == 1
    assert f"skipped: {cases[0][0]}" in capsys.readouterr().err


def test_no_report_fails_the_check(tmp_path):
    assert checker.main(str(tmp_path / "absent.xml")) == 1
