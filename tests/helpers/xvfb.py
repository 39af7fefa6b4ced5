"""A private X server (Xvfb) for tests and benchmarks that need a real window.

Offscreen Qt covers most GUI tests; a screenshot of what a person would see, or a
start-up time that includes talking to a display server, needs a real one.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
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
