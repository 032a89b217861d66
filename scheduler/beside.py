"""Run a web server with the scheduler beside it, as one foreground command:

    python -m scheduler.beside <web server command...>

`make run` (runserver) and `make serve` (gunicorn) use it. Both processes stop together:
Ctrl-C (the terminal sends it to both), SIGTERM to this process (passed on to both), or the
web server exiting (the scheduler is then stopped). A scheduler that dies on its own is
started again after RESTART_DELAY seconds, as systemd's Restart=always does in production
(deploy/systemd/). The exit status is the web server's.

No Django here: this process only starts, watches and stops the other two.
"""

import signal
import subprocess
import sys
import time
from typing import Any

SCHEDULER = [sys.executable, "manage.py", "run_scheduler"]
RESTART_DELAY = 10.0
POLL = 0.2
# How long each process gets to finish after being asked to stop, before it is killed.
STOP_TIMEOUT = 15.0


class _Stop(Exception):
    pass


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Stop


def _stop(process: "subprocess.Popen[Any]", signum: int) -> None:
    if process.poll() is None:
        process.send_signal(signum)


def _wait(processes: "list[subprocess.Popen[Any]]") -> None:
    deadline = time.monotonic() + STOP_TIMEOUT
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def say(text: str) -> None:
    print(f"[scheduler.beside] {text}", file=sys.stderr, flush=True)


def main(web_command: list[str], scheduler_command: list[str] = SCHEDULER) -> int:
    if not web_command:
        say("usage: python -m scheduler.beside <web server command...>")
        return 2
    signal.signal(signal.SIGTERM, _on_sigterm)
    scheduler = subprocess.Popen(scheduler_command)
    web = subprocess.Popen(web_command)
    restart_at: float | None = None
    try:
        while web.poll() is None:
            if restart_at is None and scheduler.poll() is not None:
                say(
                    f"the scheduler stopped (exit status {scheduler.returncode}); "
                    f"starting it again in {RESTART_DELAY:.0f} s."
                )
                restart_at = time.monotonic() + RESTART_DELAY
            if restart_at is not None and time.monotonic() >= restart_at:
                scheduler = subprocess.Popen(scheduler_command)
                restart_at = None
            time.sleep(POLL)
    except KeyboardInterrupt:
        # Ctrl-C reached both children too (one process group): let them finish.
        _wait([web, scheduler])
    except _Stop:
        _stop(web, signal.SIGTERM)
        _stop(scheduler, signal.SIGTERM)
        _wait([web, scheduler])
    else:
        _stop(scheduler, signal.SIGTERM)
        _wait([scheduler])
    return web.returncode if web.returncode is not None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
