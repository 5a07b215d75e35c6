"""HAProxy in front of the dashboard processes: where it is, its configuration, its counters.

``estimator.app.serving`` starts it; README, "Serving it to others", says why each setting.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

#: The cookie HAProxy inserts to keep a visitor on one process.
COOKIE_NAME = "SHRUG_PROCESS"
INSTALL_HINT = "haproxy is not installed: apt-get install haproxy"


def haproxy_path(search_path: str | None = None) -> str | None:
    """Where ``haproxy`` is: on ``PATH``, or in the ``sbin`` folder beside a ``bin`` folder on it.

    Debian installs it as ``/usr/sbin/haproxy``, which an ordinary user's ``PATH`` lacks.

    Parameters
    ----------
    search_path : str, optional
        Folders separated by ``os.pathsep``; default ``$PATH``.

    Returns
    -------
    str or None
        The executable's path, or None if there is none.

    Examples
    --------
    >>> haproxy_path("/nowhere/bin") is None
    True
    """
    folders = (os.environ.get("PATH", "") if search_path is None else search_path).split(os.pathsep)
    siblings = [str(Path(f).parent / "sbin") for f in folders if f and Path(f).name == "bin"]
    return shutil.which("haproxy", path=os.pathsep.join([f for f in folders if f] + siblings))


def haproxy_config(
    address: str, port: int, backend_ports: list[int], stats_socket: Path | None = None, balance: str = "leastconn"
) -> str:
    """HAProxy's configuration: ``address:port`` in front of one dashboard process per backend port.

    Parameters
    ----------
    address, port : str, int
        Where visitors connect.
    backend_ports : list of int
        The dashboard processes' ports on 127.0.0.1; process *k* is named ``p<k>`` (also its cookie value).
    stats_socket : Path, optional
        A Unix socket for HAProxy's ``show stat`` (per-process counters), readable by this user only.
    balance : str
        How a visitor without the cookie is placed: ``leastconn`` (default) or ``roundrobin``.

    Returns
    -------
    str
        The configuration file's text.

    Examples
    --------
    >>> text = haproxy_config("127.0.0.1", 8501, [9001, 9002])
    >>> "bind 127.0.0.1:8501" in text, "server p2 127.0.0.1:9002 check cookie p2" in text
    (True, True)
    """
    bind = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    lines = ["global", "    maxconn 4096"]
    if stats_socket is not None:
        lines.append(f"    stats socket {stats_socket} mode 600 level user")
    lines += [
        "defaults",
        "    mode http",
        "    timeout connect 5s",
        "    timeout client 60s",
        "    timeout server 300s         # a deck or workbook is made while its download waits",
        "    timeout http-request 15s    # slow or half-sent requests are dropped",
        "    timeout http-keep-alive 15s",
        "    timeout tunnel 1h           # an open websocket may idle this long (Streamlit pings every 30 s)",
        "    timeout client-fin 30s",
        "    option redispatch           # a visitor whose process is down goes to another",
        "    retries 2",
        "frontend dashboard",
        f"    bind {bind}",
        "    default_backend dashboards",
        "backend dashboards",
        f"    balance {balance}",
        f"    cookie {COOKIE_NAME} insert indirect nocache httponly attr SameSite=Lax",
        "    option httpchk GET /_stcore/health",
        "    http-check expect string ok",
        "    timeout check 10s           # a busy process may be slow to answer, but it is not down",
        "    default-server inter 2s fastinter 1s fall 3 rise 2",
    ]
    lines += [f"    server p{k} 127.0.0.1:{p} check cookie p{k}" for k, p in enumerate(backend_ports, start=1)]
    return "\n".join(lines) + "\n"


def server_stats(stats_socket: Path) -> dict[str, dict[str, str]]:
    """HAProxy's counters for each dashboard process (``show stat`` on its socket).

    Parameters
    ----------
    stats_socket : Path
        The socket ``haproxy_config`` named (``haproxy.sock`` in the folder the launcher prints).

    Returns
    -------
    dict
        Server name (``p1`` ...) -> its row, e.g. ``stot`` (requests and connections served so
        far), ``scur`` (open now), ``status`` (``UP``/``DOWN``).
    """
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(5)
        s.connect(str(stats_socket))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    header, *rows = data.decode().strip().splitlines()
    names = header.lstrip("# ").split(",")
    table = [dict(zip(names, row.split(","))) for row in rows]
    return {r["svname"]: r for r in table if r.get("pxname") == "dashboards" and r["svname"] not in ("BACKEND",)}
