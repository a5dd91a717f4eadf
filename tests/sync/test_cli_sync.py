"""`python -m b24clients sync` against the simulated portal over HTTP, run as a person runs it."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from b24sim.generate import generate

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "py")}
TODAY = "2026-11-23"


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("portal") / "portal.json"
    path.write_text(json.dumps(generate(400, 22)), encoding="utf-8")
    return path


@pytest.fixture
def webhook(snapshot):
    server = subprocess.Popen([sys.executable, "-m", "b24sim", "serve", "--snapshot", str(snapshot),
                               "--time-scale", "20", "--quiet"], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True)
    try:
        yield server.stdout.readline().split()[1]
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def sync(webhook: str, state: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "b24clients", "sync", "--portal", webhook, "--state", str(state),
                           "--today", TODAY, *extra], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)


def command_counts(snapshot: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "b24clients", "classify", str(snapshot), "--today", TODAY],
                          cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)
    return json.loads(done.stdout)["counts"]


def test_sync_prints_the_same_counts_as_classify(webhook, snapshot, tmp_path):
    done = sync(webhook, tmp_path / "state", "--no-write")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["first_run"] is True and result["counts"] == command_counts(snapshot)
    again = json.loads(sync(webhook, tmp_path / "state", "--no-write").stdout)
    assert again["first_run"] is False and again["counts"] == result["counts"]


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_sync_loses_nothing_and_the_next_run_finishes_the_job(webhook, snapshot, tmp_path, how):
    state = tmp_path / "state"
    first = subprocess.Popen([sys.executable, "-m", "b24clients", "sync", "--portal", webhook, "--state", str(state),
                              "--today", TODAY], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    time.sleep(2.5)
    first.send_signal(how)
    _, err = first.communicate(timeout=60)
    if how == signal.SIGINT:
        assert first.returncode == 130 and "next run resumes" in err
    assert (state / "meta.json").exists(), "nothing was committed before the kill"
    done = sync(webhook, state)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["counts"] == command_counts(snapshot)
    assert result["write"]["fields_created"] == 0 or result["write"]["written"] > 0
    third = sync(webhook, state)
    assert third.returncode == 0, third.stderr[-3000:]
    last = json.loads(third.stdout)
    assert last["write"]["written"] == 0 and last["counts"] == result["counts"]


def test_a_url_that_is_no_webhook_is_one_line_and_status_2(tmp_path):
    done = sync("https://example.invalid/", tmp_path / "state")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "webhook" in done.stderr
