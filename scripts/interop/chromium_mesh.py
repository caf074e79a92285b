#!/usr/bin/env python3
"""Headless Chromium joins the mesh through the registry's own page (`datachannel-chat serve`, `/`).

  python3 scripts/interop/chromium_mesh.py --server http://127.0.0.1:PORT --name browser
      [--name browser2] [--expect alice --expect bob] [--message TEXT] [--api-key KEY]
      [--screenshot docs/images/mesh-chat.png] [--wait-leave bob] [--step-timeout S] [--verbose]

Standard library only (python3 >= 3.11), needs Debian's `chromium`, and root (or
CAP_SYS_ADMIN) for `unshare --net`, as chromium_echo.py, whose namespace and UDP bridge
it reuses (README.md, "Loopback only"): Chromium runs in a network namespace with
nothing but `lo`, so every packet stays on 127.0.0.1.

One Chromium, one tab per --name. Each tab loads the registry's page through a proxy
inside the namespace (chromium_mesh_proxy.py: HTTP passed through, the signaling
WebSocket rewritten so every 127.0.0.1 candidate crosses the UDP bridge), types its
name and joins (with --api-key: expects the page to ask for a key, then joins with
it), and each tab already in must show the newcomer's join. Then: every page request
went to the registry (no external resources); each tab's DataChannels to every
--expect peer and to the other tabs open; each tab types and sends its message and
gets a chat message from each of them. The driver talks to Chromium over the DevTools
protocol on a pipe (--remote-debugging-pipe): it fills in the forms as a person would
and reads the page's `window.meshTest` hook.

Then, with --screenshot, the first tab is captured at 1280x800 (PNG); with
--wait-leave PEER, the driver prints {"event": "waiting_leave"} and waits until every
tab shows PEER gone. Progress goes to stdout as {"event": ...} lines; the last line is
the result, {"ok", "tabs": [{"name", "me", "peers", "open_channels", "log"}], "steps",
"requests", "screenshot", "signaling", "step", "error", "elapsed_ms"}; the exit status
is 0 when every step passed. Each step waits at most --step-timeout (default 30 s).
"""

import argparse
import base64
import fcntl
import glob
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import chromium_echo as echo  # noqa: E402  (namespace, bridge, Chromium flags)
import echo_common as common  # noqa: E402
from chromium_mesh_proxy import SignalingProxy  # noqa: E402

PROG = "chromium-mesh"
WIDTH, HEIGHT = 1280, 800

# Runs inside the new namespace: loopback up, tell the controller, run Chromium with the
# DevTools pipe on fds 3 and 4. bash, not sh: dash takes single-digit fds only.
NETNS_SCRIPT = ('ip link set lo up || exit 97; echo up >&{ready}; exec {ready}>&-; '
                'trap "kill -KILL 0" TERM HUP INT; '
                'chromium "$@" 3<&{cin} 4>&{cout} {cin}<&- {cout}>&- & wait $!')

EXTRA_FLAGS = [
    "--remote-debugging-pipe", f"--window-size={WIDTH},{HEIGHT}", "--force-device-scale-factor=1",
    "--hide-scrollbars", "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows", "--lang=en-US",
]


def log(text: str) -> None:
    common.log(PROG, text)


def emit(event: dict) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


class StepFailed(Exception):
    pass


# ---- DevTools protocol over the pipe --------------------------------------------------

class DevTools:
    """JSON messages separated by NUL bytes; flat sessions (one per tab)."""

    def __init__(self, to_chromium: int, from_chromium: int, verbose: bool):
        self.out = os.fdopen(to_chromium, "wb", buffering=0)
        self.inp = os.fdopen(from_chromium, "rb", buffering=0)
        self.verbose = verbose
        self.next_id = 0
        self.lock = threading.Lock()
        self.waiting = {}      # id -> [event, reply]
        self.requests = {}     # session -> URLs the page requested (Network domain)
        self.closed = None
        threading.Thread(target=self.read_loop, name="devtools", daemon=True).start()

    def read_loop(self):
        buffer = b""
        try:
            while True:
                chunk = self.inp.read(65536)
                if not chunk:
                    break
                buffer += chunk
                while b"\0" in buffer:
                    raw, buffer = buffer.split(b"\0", 1)
                    self.dispatch(json.loads(raw))
        except (OSError, ValueError) as error:
            self.closed = f"DevTools pipe: {error}"
        self.closed = self.closed or "Chromium closed the DevTools pipe"
        with self.lock:
            for slot in self.waiting.values():
                slot[0].set()

    def dispatch(self, message):
        if "id" in message:
            with self.lock:
                slot = self.waiting.get(message["id"])
            if slot:
                slot[1] = message
                slot[0].set()
            return
        method = message.get("method", "")
        params = message.get("params", {})
        if method == "Network.requestWillBeSent":
            with self.lock:
                self.requests.setdefault(message.get("sessionId"), []).append(params.get("request", {}).get("url", ""))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text")
            log(f"page exception: {text}")
        elif method == "Runtime.consoleAPICalled" and self.verbose:
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            log(f"page console.{params.get('type')}: {args}")

    def call(self, method, params=None, session=None, timeout=30.0):
        with self.lock:
            self.next_id += 1
            ident = self.next_id
            slot = self.waiting[ident] = [threading.Event(), None]
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            if self.closed:
                raise StepFailed(self.closed)
            self.out.write(json.dumps(message).encode() + b"\0")
            if not slot[0].wait(timeout):
                raise StepFailed(f"DevTools {method}: no reply in {timeout:.0f} s")
        finally:
            with self.lock:
                self.waiting.pop(ident, None)
        reply = slot[1]
        if reply is None:
            raise StepFailed(self.closed or f"DevTools {method}: no reply")
        if "error" in reply:
            raise StepFailed(f"DevTools {method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def close(self):
        for f in (self.out, self.inp):
            try:
                f.close()
            except OSError:
                pass


class Tab:
    """One page, joined under one name."""

    def __init__(self, tools: DevTools, name: str):
        self.tools, self.name = tools, name
        self.peer_id = None    # what the registry calls it, once joined
        target = tools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.target = target
        self.session = tools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Runtime.enable")
        self.call("Page.enable")
        self.call("Network.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})

    def call(self, method, params=None, timeout=30.0):
        return self.tools.call(method, params, self.session, timeout)

    def evaluate(self, expression: str, timeout=30.0):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise StepFailed(f"{self.name}: page script failed: {text}")
        return result.get("result", {}).get("value")

    def state(self):
        return self.evaluate("window.meshTest ? {joined: meshTest.joined, me: meshTest.me(), "
                             "peers: meshTest.peers(), open: meshTest.openChannels(), log: meshTest.log()} : null")


def wait_until(what: str, seconds: float, probe, interval=0.2):
    """Calls probe() until it returns something truthy; StepFailed after `seconds`."""
    end = time.monotonic() + seconds
    last = None
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() >= end:
            raise StepFailed(f"{what}: not within {seconds:.0f} s")
        time.sleep(interval)


def png_size(path: str) -> tuple[int, int]:
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise StepFailed(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


# ---- Chromium in its namespace --------------------------------------------------------

def high_fd(fd: int) -> int:
    """A copy of fd at 10 or above (clear of the 3 and 4 Chromium reads and writes)."""
    copy = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return copy


def remove_stale_profiles() -> None:
    for path in glob.glob(os.path.join(tempfile.gettempdir(), "chromium-mesh-*-*")):
        m = re.match(r"chromium-mesh-(\d+)-", os.path.basename(path))
        if m and not os.path.exists(f"/proc/{m.group(1)}"):
            shutil.rmtree(path, ignore_errors=True)


class Browser:
    def __init__(self, verbose: bool):
        self.verbose = verbose
        self.proc = self.netns = self.bridge = self.tools = self.profile = None

    def launch(self):
        for tool in ("chromium", "unshare", "ip", "bash"):
            if not shutil.which(tool):
                raise StepFailed(f"'{tool}' is missing (scripts/setup.sh installs it)")
        remove_stale_profiles()
        self.profile = tempfile.mkdtemp(prefix=f"chromium-mesh-{os.getpid()}-")
        flags = echo.CHROMIUM_FLAGS + EXTRA_FLAGS + [f"--user-data-dir={self.profile}", "about:blank"]
        if self.verbose:
            flags += ["--enable-logging=stderr", "--v=0"]
        out = sys.stderr if self.verbose else subprocess.DEVNULL
        ready_r, ready_w = os.pipe()
        cin_r, cin_w = os.pipe()      # driver -> Chromium (its fd 3)
        cout_r, cout_w = os.pipe()    # Chromium (its fd 4) -> driver
        ready_w, cin_r, cout_w = high_fd(ready_w), high_fd(cin_r), high_fd(cout_w)
        script = NETNS_SCRIPT.format(ready=ready_w, cin=cin_r, cout=cout_w)
        try:
            self.proc = subprocess.Popen(
                ["unshare", "--net", "--", "bash", "-c", script, "bash", *flags],
                stdin=subprocess.DEVNULL, stdout=out, stderr=out, pass_fds=(ready_w, cin_r, cout_w),
                start_new_session=True, preexec_fn=echo.child_setup)
        finally:
            for fd in (ready_w, cin_r, cout_w):
                os.close(fd)
        with os.fdopen(ready_r) as ready:
            line = ready.readline().strip()
        if line != "up":
            self.proc.wait(5)
            raise StepFailed(f"could not make a loopback-only network namespace for Chromium "
                             f"(unshare --net needs root; status {self.proc.returncode})")
        self.netns = echo.Netns(self.proc.pid)
        self.bridge = echo.Bridge(self.netns, self.proc.pid, PROG, self.verbose)
        self.tools = DevTools(cin_w, cout_r, self.verbose)
        version = self.tools.call("Browser.getVersion", timeout=60)
        return version.get("product", "Chromium")

    def stop(self):
        if self.tools:
            try:
                self.tools.call("Browser.close", timeout=3)
            except StepFailed:
                pass
        if self.proc and self.proc.poll() is None:
            for sig, grace in ((signal.SIGTERM, 3), (signal.SIGKILL, 3)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(grace)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self.tools:
            self.tools.close()
        if self.bridge:
            self.bridge.close()
        if self.netns:
            self.netns.close()
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)


# ---- the run ----------------------------------------------------------------------------

def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="chromium_mesh.py", description=__doc__.splitlines()[0])
    p.add_argument("--server", required=True, help="the registry, http://127.0.0.1:PORT")
    p.add_argument("--name", action="append", required=True, help="join as NAME (one tab each)")
    p.add_argument("--expect", action="append", default=[], metavar="PEER",
                   help="a peer already in the mesh whose channel and chat message every tab waits for")
    p.add_argument("--message", default="hello from {name} in Chromium",
                   help="what each tab sends ({name} = its name)")
    p.add_argument("--api-key", metavar="KEY",
                   help="a registry with a key file: join by name first, expect the page to ask for a key, "
                        "then join with KEY (one tab only)")
    p.add_argument("--screenshot", metavar="PATH", help="PNG of the first tab at the end (1280x800)")
    p.add_argument("--wait-leave", metavar="PEER", help="then wait until every tab shows PEER gone")
    p.add_argument("--step-timeout", type=float, default=30.0, help="seconds per step (default 30)")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)
    url = urllib.parse.urlsplit(args.server)
    if url.scheme != "http" or url.hostname not in ("127.0.0.1", "localhost") or not url.port:
        p.error("--server must be http://127.0.0.1:PORT (loopback only)")
    args.host, args.port = "127.0.0.1", url.port
    for name in args.name + args.expect + ([args.wait_leave] if args.wait_leave else []):
        if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", name):
            p.error(f"not a peer name: {name!r}")
    if len(set(args.name)) != len(args.name):
        p.error("every --name must differ")
    if args.api_key is not None and len(args.name) != 1:
        p.error("--api-key takes one --name (one key, one peer id)")
    return args


def chats_from(state, peer):
    return [e for e in state["log"] if e["kind"] == "chat" and e["from"] == peer]


def run(args, result) -> None:
    started = time.monotonic()

    def step(name, detail):
        result["steps"].append({"step": name, "ok": True, "detail": detail,
                                "at_ms": round((time.monotonic() - started) * 1000)})
        emit({"event": name, "detail": detail})

    browser = Browser(args.verbose)
    result["_browser"] = browser
    result["step"] = "launch"
    result["version"] = browser.launch()
    proxy = SignalingProxy(browser.netns, browser.bridge, (args.host, args.port), PROG, args.verbose)
    result["_proxy"] = proxy
    page_url = f"http://127.0.0.1:{proxy.port}/"
    step("launch", f"{result['version']} in a loopback-only namespace; page at {page_url} there")

    tabs = result["_tabs"] = []
    for index, name in enumerate(args.name):
        result["step"] = "join"
        tab = Tab(browser.tools, name)
        tabs.append(tab)
        tab.call("Page.navigate", {"url": page_url})
        wait_until(f"{name}: the page loads", args.step_timeout,
                   lambda: tab.evaluate("document.readyState === 'complete' && !!window.meshTest"))
        # Chromium gathers 127.0.0.1 host candidates only for a page that holds a media
        # permission (fake device, fake consent); the registry's page never asks for one.
        tab.evaluate("navigator.mediaDevices.getUserMedia({audio: true})"
                     ".then(s => { s.getTracks().forEach(t => t.stop()); return true; })")
        tab.evaluate(f"(() => {{ document.getElementById('name').value = {json.dumps(name)};"
                     "document.getElementById('join').requestSubmit(); return true; })()")
        if args.api_key is not None:
            # A registry with a key file refuses the name (401): the page must ask for a key.
            asked = wait_until(f"{name}: the page asks for an API key", args.step_timeout,
                               lambda: tab.evaluate("!document.getElementById('key-row').hidden && "
                                                    "document.getElementById('join-error').textContent"))
            step("key", f"{name}: the page says {asked!r}")
            tab.evaluate(f"(() => {{ document.getElementById('key').value = {json.dumps(args.api_key)};"
                         "document.getElementById('join').requestSubmit(); return true; })()")
        state = wait_until(f"{name}: joined (peer_list)", args.step_timeout,
                           lambda: (lambda s: s if s and s["joined"] else None)(tab.state()))
        tab.peer_id = me = state["me"]
        for earlier in tabs[:index]:   # presence: the tabs already in saw this one join
            wait_until(f"{earlier.name} shows '{me} joined'", args.step_timeout,
                       lambda: f"{me} joined" in [e["line"] for e in earlier.state()["log"]])
        step("join", f"{name} joined as {state['me']}; online: {[p['id'] for p in state['peers']]}")

    # The page is one self-contained document: everything it loaded came from the registry.
    result["step"] = "offline"
    origin = page_url.rstrip("/")
    with browser.tools.lock:
        urls = sorted({u for t in tabs for u in browser.tools.requests.get(t.session, []) if not u.startswith("data:")})
    result["requests"] = [u.replace(origin, "") or "/" for u in urls]
    foreign = [u for u in urls if not (u == origin or u.startswith(origin + "/"))]
    if foreign:
        raise StepFailed(f"the page loaded resources from elsewhere: {foreign}")
    step("offline", f"every request went to the registry: {result['requests']}")

    result["step"] = "open"
    for tab in tabs:
        wanted = sorted(set(args.expect) | {t.peer_id for t in tabs if t is not tab})
        wait_until(f"{tab.name}: DataChannels open to {wanted}", args.step_timeout,
                   lambda: set(wanted) <= set(tab.state()["open"]))
        step("open", f"{tab.name}: channels open to {wanted}")

    result["step"] = "send"
    for tab in tabs:
        text = args.message.format(name=tab.name)
        tab.evaluate(f"(() => {{ document.getElementById('text').value = {json.dumps(text)};"
                     "document.getElementById('composer').requestSubmit(); return true; })()")
        wait_until(f"{tab.name}: 'me: {text}' in the log", args.step_timeout,
                   lambda: f"me: {text}" in [e["line"] for e in tab.state()["log"]])
        step("send", f"{tab.name} sent {text!r}")

    result["step"] = "receive"
    for tab in tabs:
        senders = sorted(set(args.expect) | {t.peer_id for t in tabs if t is not tab})
        wait_until(f"{tab.name}: a chat message from each of {senders}", args.step_timeout,
                   lambda: (lambda s: all(chats_from(s, p) for p in senders))(tab.state()))
        got = tab.state()
        step("receive", f"{tab.name} got " + "; ".join(f"{p}: {chats_from(got, p)[0]['text']!r}" for p in senders))

    if args.screenshot:
        result["step"] = "screenshot"
        first = tabs[0]
        first.call("Page.bringToFront")
        first.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")
        shot = first.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})
        path = os.path.abspath(args.screenshot)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        width, height = png_size(path)
        result["screenshot"] = {"path": path, "width": width, "height": height}
        if (width, height) != (WIDTH, HEIGHT):
            raise StepFailed(f"screenshot is {width}x{height}, not {WIDTH}x{HEIGHT}")
        step("screenshot", f"{path} ({width}x{height})")

    if args.wait_leave:
        result["step"] = "leave"
        emit({"event": "waiting_leave", "peer": args.wait_leave})
        for tab in tabs:
            gone = args.wait_leave
            wait_until(f"{tab.name}: '{gone} left' shown and {gone} off the list", args.step_timeout,
                       lambda: (lambda s: f"{gone} left" in [e["line"] for e in s["log"]]
                                and gone not in [p["id"] for p in s["peers"]])(tab.state()))
            step("leave", f"{tab.name} shows {gone} left")
    result["step"] = None


def main(argv=None) -> int:
    args = parse_args(argv)
    common.unblock_signals()
    stop = threading.Event()

    def on_signal(signum, _frame):
        stop.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    started = time.monotonic()
    result = {"ok": False, "server": args.server, "names": args.name, "expect": args.expect,
              "version": None, "steps": [], "tabs": [], "requests": [], "screenshot": None, "signaling": None,
              "step": None, "error": None}
    try:
        run(args, result)
    except StepFailed as error:
        result["error"] = str(error)
    except KeyboardInterrupt:
        result["error"] = "stopped by a signal"
    except Exception as error:  # noqa: BLE001 - the result line names it
        result["error"] = f"{type(error).__name__}: {error}"
    finally:
        browser, proxy = result.pop("_browser", None), result.pop("_proxy", None)
        tabs = result.pop("_tabs", None)
        result["ok"] = result["error"] is None
        if browser and browser.tools and not browser.tools.closed:
            # The final state of every tab, for the test's own checks and for a failure's story.
            for target in tabs or []:
                try:
                    s = target.state()
                    result["tabs"].append({"name": target.name, "me": s["me"], "peers": s["peers"],
                                           "open_channels": s["open"], "log": [e["line"] for e in s["log"]]})
                except StepFailed:
                    pass
        if proxy:
            result["signaling"] = proxy.stats
            proxy.close()
        if browser:
            browser.stop()
    if result["error"]:
        result["ok"] = False
        result["steps"].append({"step": result["step"], "ok": False, "detail": result["error"],
                                "at_ms": round((time.monotonic() - started) * 1000)})
        log(f"failed at {result['step']}: {result['error']}")
    result["elapsed_ms"] = round((time.monotonic() - started) * 1000)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
