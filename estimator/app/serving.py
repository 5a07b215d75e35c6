"""Serving the dashboard to many visitors: N ``streamlit run`` processes behind HAProxy, one command.

    python -m estimator.app.serving [--processes N] [--port 8501] [--address 127.0.0.1]

Laying out a page is Python work under one interpreter lock, so one Streamlit process uses about one
core however many visitors wait. This starts ``--processes`` dashboard processes (default one per core)
on loopback ports, writes an HAProxy configuration into a private temporary folder and runs ``haproxy``
in the foreground on ``--address:--port``: a cookie keeps each visitor on one process (their websocket,
uploads and downloads live there), websockets are upgraded by HAProxy, new visitors go to the process
with the fewest open connections, and ``/_stcore/health`` is checked every 2 s. Every process gets the
same random cookie secret (through the environment, so ``ps`` does not show it) and a share of the
computing slots (``SLOTS_VARIABLE``, read by ``estimator.app.compute``). A process that stops is started
again; Ctrl-C or SIGTERM stops HAProxy and every process, and the children also get SIGTERM if this
launcher is killed outright. README, "Serving it to others", says why each choice.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from ..model.engine.chunks import usable_cores
from .haproxy import INSTALL_HINT, haproxy_config, haproxy_path

#: The environment variable that sets a dashboard process's computing slots (``compute.HEAVY_SLOTS``).
SLOTS_VARIABLE = "SHRUG_COMPUTING_SLOTS"
#: The checkout's dashboard (the launcher serves it from a checkout, as ``streamlit run`` does).
DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"
#: A dashboard process that stops is started again, at most once in this many seconds.
RESTART_AFTER_S = 30.0


class Stop(Exception):
    """Raised by the signal handlers: Ctrl-C, SIGTERM or SIGHUP asked the launcher to stop."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on now.

    Parameters
    ----------
    host : str
        The address it is free on.

    Returns
    -------
    int
        The port the system picked.
    """
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def slots_per_process(processes: int, cores: int) -> int:
    """Computing slots for each of ``processes`` dashboard processes on ``cores`` cores: the cores
    shared out, at least one each, so that all processes together compute about one page per core.

    Parameters
    ----------
    processes, cores : int
        Dashboard processes, and the cores they share.

    Returns
    -------
    int
        Slots for each process.

    Examples
    --------
    >>> slots_per_process(2, 2), slots_per_process(1, 4), slots_per_process(4, 2)
    (1, 4, 1)
    """
    return max(1, cores // max(1, processes))


def answers(url: str, timeout_s: float = 2.0) -> bool:
    """Whether a health check answers.

    Parameters
    ----------
    url : str
        Its address (``.../_stcore/health``).
    timeout_s : float
        The longest wait for the answer.

    Returns
    -------
    bool
        True if it answered ``ok``.
    """
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _die_with_parent() -> None:
    """In a child, before it runs: SIGTERM when the launcher dies, even by SIGKILL (Linux)."""
    os.setpgrp()  # its own process group: a Ctrl-C reaches the launcher only, which stops the children
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # blocked in the launcher while it forks
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_dashboard(port: int, env: dict[str, str], script: Path = DASHBOARD) -> subprocess.Popen:
    """One ``streamlit run`` of ``script`` on 127.0.0.1:``port`` with the project's configuration.

    Parameters
    ----------
    port : int
        Its loopback port.
    env : dict
        Its whole environment (the shared cookie secret and its computing slots included).
    script : Path
        The dashboard.

    Returns
    -------
    subprocess.Popen
        The process; its output is dropped, its errors go to this launcher's standard error.
    """
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    return _spawn(cmd, cwd=script.parent, env=env, stdout=subprocess.DEVNULL)


def _spawn(
    cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, stdout: int | None = None
) -> subprocess.Popen:
    """Start a child with the stop signals held back meanwhile, so that a Ctrl-C cannot fall between
    its start and its place in the list of children to stop."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        return subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, preexec_fn=_die_with_parent
        )
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def stop_all(processes: list[subprocess.Popen], grace_s: float = 10.0) -> None:
    """Stop processes: SIGTERM to every one still running, then SIGKILL to any still there after ``grace_s``.

    Parameters
    ----------
    processes : list of subprocess.Popen
        The processes (those that have ended already are only reaped).
    grace_s : float
        Seconds they have to stop by themselves.
    """
    for proc in processes:
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + grace_s
    for proc in processes:
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_for(
    backends: dict[int, subprocess.Popen],
    children: list[subprocess.Popen],
    env: dict[str, str],
    timeout_s: float,
    script: Path,
) -> None:
    """Wait until every dashboard process (by port) is healthy; one that exits at start (its port was
    taken meanwhile) is started again on another port (``backends`` and ``children`` say so)."""
    restarts = 0
    deadline = time.monotonic() + timeout_s
    pending = set(backends)
    while pending:
        for port in sorted(pending):
            if backends[port].poll() is not None:
                if restarts >= 2 * len(backends):
                    raise RuntimeError(f"a dashboard process exited at start (code {backends[port].returncode})")
                restarts += 1
                del backends[port]
                pending.discard(port)
                new = free_port()
                backends[new] = start_dashboard(new, env, script)
                children.append(backends[new])
                pending.add(new)
            elif answers(f"http://127.0.0.1:{port}/_stcore/health"):
                pending.discard(port)
        if pending and time.monotonic() > deadline:
            raise RuntimeError(f"the dashboard processes did not answer within {timeout_s:.0f} s")
        time.sleep(0.2)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line's options (``main``'s ``argv``); exits with code 2 on a bad one."""
    cores = usable_cores()
    parser = argparse.ArgumentParser(
        prog="python -m estimator.app.serving", description="Serve the dashboard from several processes behind HAProxy."
    )
    parser.add_argument(
        "--processes", type=int, default=cores, help=f"dashboard processes (default: one per core, here {cores})"
    )
    parser.add_argument("--port", type=int, default=8501, help="the port visitors connect to (default 8501)")
    parser.add_argument(
        "--address",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)",
    )
    parser.add_argument(
        "--slots",
        type=int,
        default=None,
        help="computing slots of each process (default: the cores shared out, at least 1)",
    )
    parser.add_argument(
        "--balance",
        choices=("leastconn", "roundrobin"),
        default="leastconn",
        help="how new visitors are placed (default leastconn: the fewest open connections)",
    )
    parser.add_argument(
        "--start-timeout",
        type=float,
        default=120.0,
        dest="start_timeout_s",
        help="longest wait for the processes to answer, s (default 120)",
    )
    args = parser.parse_args(argv)
    if args.processes < 1 or (args.slots is not None and args.slots < 1) or not 0 < args.port < 65536:
        parser.error("--processes and --slots must be at least 1, --port between 1 and 65535")
    return args


def _port_is_taken(address: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError:
            return True
    return False


def _raise_stop(signum: int, _frame: object) -> None:
    raise Stop(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    """Start the processes and HAProxy, serve until Ctrl-C or SIGTERM, stop everything.

    Parameters
    ----------
    argv : list of str, optional
        The options (default ``sys.argv[1:]``); see ``--help``.

    Returns
    -------
    int
        0 after a requested stop, 1 if HAProxy or the start failed, 2 if something needed is missing.
    """
    args = parse_args(argv)
    haproxy = haproxy_path()
    if haproxy is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    if not DASHBOARD.exists():
        print(f"dashboard.py not found at {DASHBOARD}: serve from a checkout of the project", file=sys.stderr)
        return 2
    if _port_is_taken(args.address, args.port):
        print(
            f"{args.address}:{args.port} is in use or not available: choose another --port or --address",
            file=sys.stderr,
        )
        return 2
    slots = args.slots or slots_per_process(args.processes, usable_cores())
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32), SLOTS_VARIABLE: str(slots)}
    previous = {s: signal.signal(s, _raise_stop) for s in STOP_SIGNALS}
    folder = Path(tempfile.mkdtemp(prefix="shrug-serve-"))  # mode 700: the config and the stats socket
    children: list[subprocess.Popen] = []
    try:
        backends: dict[int, subprocess.Popen] = {}
        for _ in range(args.processes):
            port = free_port()
            backends[port] = start_dashboard(port, env)
            children.append(backends[port])
        _wait_for(backends, children, env, args.start_timeout_s, DASHBOARD)
        config = folder / "haproxy.cfg"
        config.write_text(
            haproxy_config(args.address, args.port, list(backends), folder / "haproxy.sock", args.balance)
        )
        proxy = _spawn([haproxy, "-db", "-f", str(config)])
        children.insert(0, proxy)  # stopped first: no new requests reach a stopping process
        local = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(args.address, args.address)
        host = f"[{local}]" if ":" in local else local
        deadline = time.monotonic() + args.start_timeout_s
        while not answers(f"http://{host}:{args.port}/_stcore/health"):
            if proxy.poll() is not None or time.monotonic() > deadline:
                print(f"haproxy did not start (exit code {proxy.poll()}); see its messages above", file=sys.stderr)
                return 1
            time.sleep(0.1)
        shown = f"[{args.address}]" if ":" in args.address else args.address
        print(
            f"Serving the dashboard on http://{shown}:{args.port}/ : {args.processes} processes "
            f"({slots} computing slot{'s' if slots > 1 else ''} each) behind HAProxy; Ctrl-C stops. "
            f"Configuration in {folder}",
            flush=True,
        )
        started_at = dict.fromkeys(backends, time.monotonic())
        while proxy.poll() is None:
            for port, proc in list(backends.items()):  # HAProxy sends no one to it meanwhile
                if proc.poll() is not None and time.monotonic() - started_at[port] > RESTART_AFTER_S:
                    print(
                        f"the dashboard process on port {port} stopped (exit code {proc.returncode}); "
                        "starting it again",
                        file=sys.stderr,
                    )
                    backends[port] = start_dashboard(port, env)
                    children.append(backends[port])
                    started_at[port] = time.monotonic()
            time.sleep(0.5)
        print(f"haproxy stopped (exit code {proxy.returncode}); stopping the dashboard", file=sys.stderr)
        return 1
    except Stop:
        return 0
    except RuntimeError as exc:
        print(f"could not start: {exc}", file=sys.stderr)
        return 1
    finally:
        for s in previous:
            signal.signal(s, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean stop short
        stop_all(children)
        shutil.rmtree(folder, ignore_errors=True)
        for s, handler in previous.items():
            signal.signal(s, handler)


if __name__ == "__main__":
    sys.exit(main())
