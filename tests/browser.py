"""Running the real app for browser tests, the UI bench and the screenshots.

``streamlit_server()`` starts ``streamlit run dashboard.py`` on a free loopback port and
waits until it is healthy; ``chromium_path()`` finds Debian's Chromium (Playwright's own
browser download is not available offline).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--disable-dev-shm-usage"]


def require(available: bool, what: str, install: str) -> None:
    """Skip a test whose tool is missing here; in CI (``CI`` set) fail it instead, because CI
    installs every tool and a silent skip there would hide a broken install."""
    import pytest  # only the tests need it; the benches import this module too

    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI ({install})")
    pytest.skip(f"{what} is not installed ({install})")


def chromium_path() -> str | None:
    """Path of a system Chromium: ``$CHROMIUM_PATH``, else ``chromium`` on PATH."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit and Path(explicit).exists():
        return explicit
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(timeout_s: float = 60.0, script: Path = ROOT / "dashboard.py",
                     env: dict[str, str] | None = None, port: int | None = None) -> Iterator[str]:
    """``streamlit run dashboard.py`` (or another ``script``, with extra ``env``) on 127.0.0.1,
    with the project's configuration (on ``port``, else a free one); yields its base URL, stops
    it afterwards."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(script),
           "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    log = open(ROOT / ".streamlit_test.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.read() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; see {ROOT / '.streamlit_test.log'}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def server_pid(port_url: str) -> int | None:
    """Process id of the streamlit process serving ``port_url`` (Linux), if found."""
    port = port_url.rsplit(":", 1)[1].encode()
    for proc_dir in Path("/proc").iterdir():
        if not proc_dir.name.isdigit():
            continue
        try:
            cmdline = (proc_dir / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(cmdline) and port in cmdline:
            return int(proc_dir.name)
    return None


def server_rss_mb(port_url: str) -> float | None:
    """Resident memory of the streamlit process serving ``port_url`` (Linux), if found."""
    pid = server_pid(port_url)
    try:
        status = Path(f"/proc/{pid}/status").read_text() if pid else ""
    except OSError:
        return None
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS")), None)


def server_cpu_seconds(port_url: str) -> float | None:
    """User + system CPU seconds used so far by the streamlit process serving ``port_url``."""
    pid = server_pid(port_url)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split() if pid else []
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if fields else None
