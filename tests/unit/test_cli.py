"""The `classify` command, run the way a person runs it: from the repository root, no packages installed."""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "snapshots" / "tiny.json"


def run(*args: str) -> subprocess.CompletedProcess:
    """`PYTHONPATH=py python -S -m b24clients ...`: -S keeps site-packages out, proving no install is needed."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "py")}
    return subprocess.run([sys.executable, "-S", "-m", "b24clients", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_classify_prints_one_json_object_with_rows_and_counts():
    done = run("classify", str(TINY), "--today", "2026-11-23")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["today"] == "2026-11-23"
    assert result["clients"][0] == {
        "entity": "company", "id": 5, "client_type": "b2b", "parent_company_id": None, "lifecycle": "active",
        "frequency": "first_purchase", "last_payment": "2026-09-01", "payments": 1, "has_dialogs": False,
        "has_contact_data": True}
    assert [(r["entity"], r["id"], r["client_type"], r["lifecycle"]) for r in result["clients"][1:]] == [
        ("contact", 1, "company_contact", "active"), ("contact", 2, "b2c", "with_requests"),
        ("contact", 3, "b2c", "without_contacts")]
    assert result["counts"] == {
        "clients": 3, "b2b": 1, "b2c": 2,
        "lifecycle": {"active": 1, "sleeping": 0, "lost": 0, "with_requests": 1, "with_dialogs": 0,
                      "with_contacts": 0, "without_contacts": 1},
        "frequency": {"regular": 0, "first_purchase": 1, "no_payments": 2}}


def test_thresholds_are_passed_through():
    later = json.loads(run("classify", str(TINY), "--today", "2027-06-01").stdout)
    configured = json.loads(run("classify", str(TINY), "--today", "2027-06-01",
                                "--active-months", "12", "--lost-months", "24").stdout)
    assert later["clients"][0]["lifecycle"] == "sleeping"
    assert configured["clients"][0]["lifecycle"] == "active"


def test_today_defaults_to_the_portals_calendar_date():
    before = datetime.now(timezone(timedelta(hours=3))).date().isoformat()
    today = json.loads(run("classify", str(TINY)).stdout)["today"]
    after = datetime.now(timezone(timedelta(hours=3))).date().isoformat()
    assert today in (before, after)


def _broken(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("name, content, reason", [
    ("bad.json", b"{not json", "not valid JSON"),
    ("wrong.json", b'{"format": "other"}', "format must be"),
    ("latin1.json", '{"format": "b24-snapshot/1", "x": "é"}'.encode("latin-1"), "not UTF-8 text"),
    ("dupes.json", b'{"format": "b24-snapshot/1", "deals": [{"ID": "1"}, {"ID": "1"}]}', "repeats ID 1"),
])
def test_a_malformed_snapshot_gives_one_line_naming_file_and_problem_and_status_2(tmp_path, name, content, reason):
    path = _broken(tmp_path, name, content)
    done = run("classify", str(path))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and str(path) in done.stderr and reason in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("target", ["missing.json", "."])
def test_an_unreadable_path_gives_one_line_and_status_2(target):
    done = run("classify", target)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"b24clients: {target}: cannot read the file")


@pytest.mark.parametrize("args", [("--today", "23.11.2026"), ("--active-months", "18", "--lost-months", "6")])
def test_bad_options_exit_with_status_2_and_no_traceback(args):
    done = run("classify", str(TINY), *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.strip()


@pytest.mark.parametrize("name, content, reason", [
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("huge.json", b'{"format": "b24-snapshot/1", "deals": [{"ID": ' + b"9" * 5000 + b"}]}", "not readable JSON"),
    ("arabic.json", '{"format": "b24-snapshot/1", "contacts": [{"ID": "١٢٣"}]}'.encode(), "no valid ID: '١٢٣'"),
    ("long.json", b'{"format": "b24-snapshot/1", "contacts": [{"ID": "' + b"7" * 4000 + b'"}]}', "no valid ID"),
    ("edge.json", b'{"format": "b24-snapshot/1", "deals": [{"ID": "1", "CLOSEDATE": "9999-12-31T23:59:59+14:00"}]}',
     "deals[0]: CLOSEDATE '9999-12-31T23:59:59+14:00' is not a date on the calendar"),
    ("zero.json", b'{"format": "b24-snapshot/1", "deals": [{"ID": "1", "CLOSEDATE": "0000-00-00"}]}',
     "is not a date on the calendar"),
    ("typed.json", b'{"format": "b24-snapshot/1", "contacts": [{"ID": "1", "COMPANY_ID": {"id": 5}}]}',
     "contacts[0]: COMPANY_ID <an object of 1 keys> is not a link"),
])
def test_no_file_gives_a_traceback_only_one_line_and_status_2(tmp_path, name, content, reason):
    done = run("classify", str(_broken(tmp_path, name, content)))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and reason in done.stderr, done.stderr


@pytest.mark.parametrize("args, reason", [
    (("--today", "0001-01-01"), "off the calendar"),
    (("--today", "0001-06-30", "--active-months", "1", "--lost-months", "7"), "off the calendar"),
    (("--active-months", "0"), "need 1 ≤ active months"),
    (("--active-months", "-6"), "need 1 ≤ active months"),
    (("--lost-months", "99999999999999999999"), "off the calendar"),
    (("--lost-months", "9" * 5000), "invalid int value"),
    (("--today", "10000-01-01"), "not a date"),
    (("--frobnicate",), "unrecognized arguments"),
])
def test_no_option_gives_a_traceback_only_one_line_and_status_2(args, reason):
    done = run("classify", str(TINY), *args)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and reason in done.stderr, done.stderr


def test_the_calendars_last_day_is_a_day_like_any_other():
    done = run("classify", str(TINY), "--today", "9999-12-31")
    assert done.returncode == 0 and json.loads(done.stdout)["clients"][0]["lifecycle"] == "lost"
