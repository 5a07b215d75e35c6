"""A dashboard session without a browser: Streamlit's own websocket protocol, spoken directly.

The load bench uses it to stand in for most of its users, so that the server's work is measured
without a browser per user drawing pages on the same cores. What a session sends and reads is
what the page in a browser sends and reads (Streamlit 1.67, ``streamlit/web/server/starlette``):

- It first loads the page (``GET /``) as a browser does and keeps the cookies it is given: behind
  a proxy with sticky sessions (``python -m estimator.app.serving``) that cookie names the
  process, and the websocket and every download carry it there.
- It connects to ``ws://HOST:PORT/_stcore/stream`` with the subprotocol ``streamlit`` (the
  browser's second and third entries, an XSRF token and a session id to resume, only matter
  for signed-in users and reconnection; this app has neither).
- Each run of the page is a ``BackMsg`` ``rerun_script`` (a ``ClientState``): the address bar's
  query string (without ``?``), the widget states (every slider's value and the open tab, as the
  page keeps them; a slider move changes one of them) and the hashes of the large messages it
  has kept, as the browser's message cache does.
- The server answers with ``ForwardMsg``\\ s: ``new_session`` (the run has started; its
  ``initialize`` carries the session id), one ``delta`` per element or block (or a ``ref_hash``
  to an element kept from an earlier run), ``page_info_changed`` when the page rewrites its
  link, and ``script_finished`` with the run's status. A run is over at a ``script_finished``
  other than "finished early for a rerun" (then the server starts the next run by itself).
- A download whose file is made on click (``deferred_file_id``) is a ``backend_operation_request``
  answered by a ``backend_operation_response`` with the file's address; files made with the
  page have their address in the button itself. Either is then fetched over HTTP.

Nothing here depends on the dashboard; ``ScriptRun`` says what one run put on the page.
"""

from __future__ import annotations

import asyncio
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Markdown_pb2 import Markdown
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED_EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN
#: Runs after which the page drops a kept message it has not used (``global.maxCachedMessageAge``).
MAX_MESSAGE_AGE = 2
STATUS_NAMES = {ForwardMsg.FINISHED_SUCCESSFULLY: "finished", ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
                FINISHED_EARLY_FOR_RERUN: "finished early for a rerun",
                ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "fragment finished"}


class ProtocolError(RuntimeError):
    """The server closed the connection, or answered something a browser would not accept."""


@dataclass
class Slider:
    """A slider as the server described it in its delta."""

    id: str
    label: str
    low: float
    high: float
    step: float
    value: tuple[float, ...]

    @property
    def key(self) -> str:
        """The widget's key in the app (the end of its id, ``$$ID-<hash>-<key>``)."""
        return self.id.split("-", 2)[-1]


@dataclass
class Download:
    """A download button: its file's address, or the id of a file made on click."""

    label: str
    url: str
    deferred_file_id: str


@dataclass
class ScriptRun:
    """What one run of the page sent: how long it took, its status, and what it put on the page."""

    seconds: float = 0.0
    status: int | None = None
    messages: int = 0
    bytes: int = 0
    exceptions: list[str] = field(default_factory=list)
    alerts: list[tuple[int, str]] = field(default_factory=list)  # (Alert.Format, body)
    captions: list[str] = field(default_factory=list)
    sliders: dict[str, Slider] = field(default_factory=dict)
    tabs: list[str] = field(default_factory=list)
    downloads: dict[str, Download] = field(default_factory=dict)

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, f"status {self.status}") if self.status is not None else "no status"

    @property
    def error_boxes(self) -> list[str]:
        return [body for fmt, body in self.alerts if fmt == Alert.ERROR]


class StreamlitSession:
    """One visitor's page, driven over the websocket.

    ``async with StreamlitSession(base_url) as page: run = await page.open("preset=x&seed=1")``,
    then ``await page.move_slider(key, value)``, ``await page.open_tab(label)``,
    ``await page.download(label)``.
    """

    def __init__(self, base_url: str, timeout_s: float = 300.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.query_string = ""
        self.session_id = ""
        self.sliders: dict[str, Slider] = {}  # by key, from the last run
        self.tabs: list[str] = []
        self.tab_container_id = ""
        self.tab_query_key = ""
        self.default_tab = ""
        self.open_tab_label = ""
        self.downloads: dict[str, Download] = {}
        self._states: dict[str, WidgetState] = {}  # what the page would send: widget id -> state
        # Large elements kept, by hash, with the run that last used them (the browser's message cache:
        # an entry not used for MAX_MESSAGE_AGE finished runs is dropped).
        self._cache: dict[str, tuple[ForwardMsg, int]] = {}
        self._runs = 0
        self._ws = None
        self._request_id = 0
        self.cookie = ""  # the cookies the page was given, as a Cookie header

    async def __aenter__(self) -> StreamlitSession:
        self.cookie = await asyncio.to_thread(self._load_page)
        url = self.base_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + "/_stcore/stream"
        self._ws = await websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60,
                                            ping_interval=None,
                                            additional_headers={"Cookie": self.cookie} if self.cookie else None)
        return self

    def _load_page(self) -> str:
        """``GET /`` as a browser first does; the cookies set (a proxy's sticky-session cookie) as one header."""
        with urllib.request.urlopen(f"{self.base_url}/", timeout=self.timeout_s) as response:
            response.read()
            return "; ".join(c.split(";", 1)[0].strip() for c in response.headers.get_all("Set-Cookie") or [])

    async def __aexit__(self, *exc: object) -> None:
        if self._ws is not None:
            await self._ws.close()

    # -- what a visitor does -------------------------------------------------------------------

    async def open(self, query_string: str) -> ScriptRun:
        """The first run, as a page opened on ``/?<query_string>``."""
        self.query_string = query_string.lstrip("?")
        return await self.rerun()

    async def move_slider(self, key: str, value: float) -> ScriptRun:
        """Move the slider with the app key ``key`` to ``value`` (one run)."""
        slider = self.sliders[key]
        state = self._states.setdefault(slider.id, WidgetState(id=slider.id))
        state.double_array_value.data[:] = [value]
        return await self.rerun()

    async def open_tab(self, label: str) -> ScriptRun:
        """Click a tab (the tabs are a widget whose state is the open tab's label; one run)."""
        if not self.tab_container_id:
            raise ProtocolError("the page has no tabs that report their state")
        self._states[self.tab_container_id] = WidgetState(id=self.tab_container_id, string_value=label)
        self.open_tab_label = label
        if self.tab_query_key:  # tabs bound to the link: the page writes the open tab into its address
            kept = [p for p in self.query_string.split("&") if p and not p.startswith(f"{self.tab_query_key}=")]
            if label != (self.default_tab or (self.tabs or [""])[0]):
                kept.append(f"{self.tab_query_key}={urllib.parse.quote_plus(label)}")
            self.query_string = "&".join(kept)
        return await self.rerun()

    async def download(self, label_start: str) -> bytes:
        """Click the download button whose label starts with ``label_start``; the file's bytes."""
        button = next((d for label, d in self.downloads.items() if label.startswith(label_start)), None)
        if button is None:
            raise ProtocolError(f"no download button '{label_start}' on the page")
        url = button.url
        if button.deferred_file_id:
            url = await self._deferred_file_url(button.deferred_file_id)
        full = url if url.startswith("http") else f"{self.base_url}/{url.lstrip('/')}"

        def fetch() -> bytes:
            request = urllib.request.Request(full, headers={"Cookie": self.cookie} if self.cookie else {})
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                return response.read()

        return await asyncio.to_thread(fetch)

    # -- the protocol -----------------------------------------------------------------------------

    async def rerun(self) -> ScriptRun:
        """Send a ``rerun_script`` with the page's state; read until its run has finished."""
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = self.query_string
        client.widget_states.widgets.extend(self._states.values())
        client.cached_message_hashes.extend(self._cache)
        client.context_info.timezone = "UTC"
        client.context_info.locale = "en-US"
        client.context_info.url = f"{self.base_url}/?{self.query_string}"
        run = ScriptRun()
        started = time.perf_counter()
        await self._send(msg)
        seen_ids: set[str] = set()
        try:
            async with asyncio.timeout(self.timeout_s):
                started_run = False
                while True:
                    fwd = await self._receive(run)
                    kind = fwd.WhichOneof("type")
                    if kind == "new_session":
                        started_run = True  # anything before it belongs to an earlier run
                        if fwd.new_session.initialize.session_id:
                            self.session_id = fwd.new_session.initialize.session_id
                        run = ScriptRun(messages=run.messages, bytes=run.bytes)
                        seen_ids.clear()
                        self.downloads = {}
                    elif kind == "delta" and started_run:
                        self._read_delta(fwd, run, seen_ids)
                    elif kind == "page_info_changed":
                        self.query_string = fwd.page_info_changed.query_string
                    elif kind == "script_finished" and started_run:
                        run.status = fwd.script_finished
                        if run.status != FINISHED_EARLY_FOR_RERUN:
                            break
                        started_run = False  # the server goes on with the next run by itself
        except TimeoutError:
            raise TimeoutError(f"no end of the run within {self.timeout_s:.0f} s") from None
        run.seconds = time.perf_counter() - started
        self._runs += 1
        self._cache = {h: (m, used) for h, (m, used) in self._cache.items() if self._runs - used <= MAX_MESSAGE_AGE}
        # The page forgets widgets that are no longer shown (the server keeps their values).
        self._states = {wid: s for wid, s in self._states.items() if wid in seen_ids}
        self.sliders = {s.key: s for s in run.sliders.values()}
        if run.tabs:
            self.tabs = run.tabs
        return run

    def _read_delta(self, fwd: ForwardMsg, run: ScriptRun, seen_ids: set[str]) -> None:
        delta = fwd.delta
        which = delta.WhichOneof("type")
        if which == "add_block":
            block = delta.add_block
            if block.WhichOneof("type") == "tab_container":
                container = block.tab_container
                self.tab_container_id = container.id
                self.tab_query_key = container.query_param_key
                self.default_tab = container.default_tab_label
                seen_ids.add(container.id)
                run.tabs = []
                if container.id not in self._states and container.default_tab_label:
                    self.open_tab_label = container.default_tab_label
            elif block.WhichOneof("type") == "tab":
                run.tabs.append(block.tab.label)
            return
        if which != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "slider":
            s = element.slider
            seen_ids.add(s.id)
            state = self._states.get(s.id)
            if state is None or s.set_value:  # a new slider starts at its value; the server may set it
                state = WidgetState(id=s.id)
                state.double_array_value.data[:] = list(s.value) if s.set_value or s.value else list(s.default)
                self._states[s.id] = state
            run.sliders[s.id] = Slider(s.id, s.label, s.min, s.max, s.step, tuple(state.double_array_value.data))
        elif kind == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
        elif kind == "alert":
            run.alerts.append((element.alert.format, element.alert.body))
        elif kind == "markdown" and element.markdown.element_type == Markdown.CAPTION:
            run.captions.append(element.markdown.body)
        elif kind == "download_button":
            d = element.download_button
            run.downloads[d.label] = self.downloads[d.label] = Download(d.label, d.url, d.deferred_file_id)

    async def _deferred_file_url(self, file_id: str) -> str:
        self._request_id += 1
        request_id = f"bench-{self._request_id}"
        msg = BackMsg()
        msg.backend_operation_request.request_id = request_id
        msg.backend_operation_request.session_id = self.session_id
        msg.backend_operation_request.deferred_file.file_id = file_id
        await self._send(msg)
        async with asyncio.timeout(self.timeout_s):
            while True:
                fwd = await self._receive(ScriptRun())
                if fwd.WhichOneof("type") == "backend_operation_response":
                    response = fwd.backend_operation_response
                    if response.request_id != request_id:
                        continue
                    if response.error_msg:
                        raise ProtocolError(f"download refused: {response.error_msg}")
                    return response.deferred_file.url

    async def _send(self, msg: BackMsg) -> None:
        try:
            await self._ws.send(msg.SerializeToString())
        except websockets.ConnectionClosed as exc:
            raise ProtocolError(f"disconnected ({exc})") from None

    async def _receive(self, run: ScriptRun) -> ForwardMsg:
        try:
            data = await self._ws.recv()
        except websockets.ConnectionClosed as exc:
            raise ProtocolError(f"disconnected ({exc})") from None
        fwd = ForwardMsg()
        fwd.ParseFromString(data)
        run.messages += 1
        run.bytes += len(data)
        if fwd.WhichOneof("type") == "ref_hash":  # an element kept from an earlier run
            kept = self._cache.get(fwd.ref_hash)
            if kept is None:
                raise ProtocolError(f"the server referred to a message never received ({fwd.ref_hash})")
            self._cache[fwd.ref_hash] = (kept[0], self._runs)
            metadata = fwd.metadata
            fwd = ForwardMsg()
            fwd.CopyFrom(kept[0])
            fwd.metadata.CopyFrom(metadata)
        elif fwd.metadata.cacheable and fwd.hash:
            self._cache[fwd.hash] = (fwd, self._runs)
        return fwd
