"""`make run` and `make serve` start the scheduler beside the web server and stop it with it
(scheduler/beside.py); production runs it as a systemd service that is always restarted
(deploy/systemd/)."""

import configparser
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "systemd" / "wbportal-scheduler.service"


def recipe(target):
    """The lines of a Makefile target's recipe, continuation lines joined."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    match = re.search(rf"^{target}:[^\n]*\n((?:\t[^\n]*\n)+)", text, re.MULTILINE)
    assert match, target
    return [line.strip() for line in match.group(1).splitlines()]


@pytest.mark.parametrize(
    ("target", "web_server"),
    [("run", "manage.py runserver"), ("serve", "gunicorn -c wbportal/gunicorn.conf.py")],
)
def test_make_starts_the_web_server_beside_the_scheduler(target, web_server):
    (serving,) = [line for line in recipe(target) if web_server in line]
    runner = r"\$\(PY\) -m scheduler\.beside (\$\(PY\) |\$\(BIN\)/)"
    assert re.search(runner + re.escape(web_server), serving), serving


# --- the runner, with stand-ins for the two processes -------------------------------------------

STAND_IN = textwrap.dedent(
    """
    import os, signal, sys, time
    name, seconds = sys.argv[1], float(sys.argv[2])
    with open(os.path.join(os.environ["RUN_DIR"], name + ".pids"), "a") as pids:
        pids.write(f"{os.getpid()}\\n")
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    try:
        time.sleep(seconds)
    except KeyboardInterrupt:
        sys.exit(0)
    sys.exit(3 if name == "scheduler" else 0)
    """
)
RUNNER = textwrap.dedent(
    """
    import sys
    from scheduler import beside
    beside.RESTART_DELAY = 0.3
    stand_in = [sys.executable, sys.argv[1]]
    sys.exit(beside.main(stand_in + ["web", sys.argv[2]], stand_in + ["scheduler", sys.argv[3]]))
    """
)


def pids(run_dir, name):
    path = run_dir / f"{name}.pids"
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that ended but was not reaped yet counts as gone.
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().split()[2] != "Z"


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def start_runner(tmp_path):
    stand_in = tmp_path / "stand_in.py"
    stand_in.write_text(STAND_IN)
    started = []

    def start(web_seconds, scheduler_seconds):
        process = subprocess.Popen(
            [sys.executable, "-c", RUNNER, str(stand_in), str(web_seconds), str(scheduler_seconds)],
            cwd=ROOT,
            env={**os.environ, "RUN_DIR": str(tmp_path)},
            start_new_session=True,  # its own process group, as a terminal gives `make run`
        )
        started.append(process)
        assert wait_for(lambda: pids(tmp_path, "web") and pids(tmp_path, "scheduler"))
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_ctrl_c_stops_the_web_server_and_the_scheduler(start_runner, tmp_path):
    runner = start_runner(60, 60)
    os.killpg(runner.pid, signal.SIGINT)  # what the terminal sends to the whole group
    assert runner.wait(timeout=10) == 0
    assert not any(alive(pid) for pid in pids(tmp_path, "web") + pids(tmp_path, "scheduler"))


def test_sigterm_to_the_runner_stops_both(start_runner, tmp_path):
    runner = start_runner(60, 60)
    runner.send_signal(signal.SIGTERM)
    assert runner.wait(timeout=10) == 0
    assert not any(alive(pid) for pid in pids(tmp_path, "web") + pids(tmp_path, "scheduler"))


def test_the_scheduler_stops_when_the_web_server_exits(start_runner, tmp_path):
    runner = start_runner(0.5, 60)
    assert runner.wait(timeout=10) == 0
    assert not any(alive(pid) for pid in pids(tmp_path, "scheduler"))


def test_a_scheduler_that_dies_is_started_again(start_runner, tmp_path):
    runner = start_runner(60, 0.2)
    assert wait_for(lambda: len(pids(tmp_path, "scheduler")) >= 2)
    assert runner.poll() is None  # the web server goes on meanwhile
    runner.send_signal(signal.SIGTERM)
    runner.wait(timeout=10)


# --- production ------------------------------------------------------------------------------


def unit():
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string(UNIT.read_text())
    return parser


def test_the_systemd_unit_runs_the_scheduler_and_always_restarts_it():
    service = unit()["Service"]
    command = service["ExecStart"].split()
    assert command[-2:] == ["manage.py", "run_scheduler"] and "run_scheduler" in get_commands()
    assert command[0] == f"{service['WorkingDirectory']}/.venv/bin/python"
    assert service["Restart"] == "always" and int(service["RestartSec"]) <= 10
    assert unit()["Unit"]["StartLimitIntervalSec"] == "0"  # never gives up
    assert service["KillSignal"] == "SIGTERM"  # a run in progress finishes first
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_accepts_the_unit(tmp_path):
    """systemd's own check, on a copy whose paths exist on this machine."""
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(sys.executable)
    copy = tmp_path / UNIT.name
    copy.write_text(UNIT.read_text().replace("/srv/wbportal", str(tmp_path)))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
