"""A private X server (Xvfb) for tests and benchmarks that need a real window.

Offscreen Qt covers most GUI tests; a screenshot of what a person would see, or a
start-up time that includes talking to a display server, needs a real one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path


class XvfbUnavailable(RuntimeError):
    """Xvfb is not installed (Debian package xvfb) or would not start."""


def _free_display() -> int:
    for number in range(90, 200):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    raise XvfbUnavailable("no free X display number between :90 and :199")


@contextmanager
def virtual_display(size: str = "1280x800x24") -> Iterator[str]:
    """Start Xvfb on a free display; yields its DISPLAY value (":93") and stops it after."""
    binary = shutil.which("Xvfb")
    if binary is None:
        raise XvfbUnavailable("Xvfb is not installed (Debian package xvfb)")
    for _attempt in range(5):
        number = _free_display()
        server = subprocess.Popen(
            [binary, f":{number}", "-screen", "0", size, "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        socket = Path(f"/tmp/.X11-unix/X{number}")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and server.poll() is None and not socket.exists():
            time.sleep(0.05)
        if server.poll() is None and socket.exists():
            break
        server.kill()
        server.wait(timeout=10)  # another server took that number first: try the next
    else:
        raise XvfbUnavailable("Xvfb did not start")
    try:
        yield f":{number}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


REPO_ROOT = Path(__file__).resolve().parents[2]


def run_on_display(
    display: str, argv: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    """Run `python argv...` as a real X client of display, with the repository importable.

    Screenshots are taken in a process of their own: the test process's QApplication
    uses the offscreen platform, and Qt picks a platform once per process.
    """
    child_env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])
        ),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, *argv],
        env=child_env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
