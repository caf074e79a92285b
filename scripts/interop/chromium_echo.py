#!/usr/bin/env python3
"""Headless Chromium DataChannel echo peer, both roles of webrtc-echoes (controller + page).

  python3 scripts/interop/chromium_echo.py --serve --listen 127.0.0.1:0
  python3 scripts/interop/chromium_echo.py http://127.0.0.1:PORT/offer [--size N] [--json]

Standard library only (python3 >= 3.11), needs Debian's `chromium`, and root (or
CAP_SYS_ADMIN) for `unshare --net`. This controller serves chromium_echo.html to a
headless Chromium and talks to it over HTTP, since headless=new shows no console:

* client role: the page is the echo client. It creates the channels and the offer; the
  controller keeps only its 127.0.0.1 candidates, POSTs the offer to URL (so no CORS),
  does the same to the answer and hands it back; the page runs the checks, reports each
  step, and the controller prints the one JSON line.
* server role: POST /offer on --listen hands the offer to the page (which long-polls
  /poll); the page answers once gathering is complete; the controller checks the
  answer's candidates and returns it. The page echoes every message.

Loopback only, strictly. Chromium pairs every interface it knows with every remote
candidate: on a host with eth0 it sends from its eth0 address to 127.0.0.1 and the far
peer answers to that address, whatever candidates the SDP kept. So Chromium runs in a
network namespace of its own that has nothing but `lo` (unshare --net), where its only
address is 127.0.0.1 and nothing else (DNS, background services) can go anywhere. The
controller stands on both sides: it serves the page inside that namespace, and bridges
each 127.0.0.1 UDP candidate across, one relay socket per address and side (a 1:1 NAT,
like a peer-reflexive hop), so the far peer sees Chromium at 127.0.0.1:P of this
namespace and Chromium sees the far peer at 127.0.0.1:Q of its own. Every packet of
both sides goes from 127.0.0.1 to 127.0.0.1.

Chromium gathers host candidates only once the page holds a media permission (and
127.0.0.1 only with --allow-loopback-in-peer-connection), so the page calls
getUserMedia({audio: true}) first, with fake devices and fake consent.
"""

import ctypes
import glob
import json
import os
import queue
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import echo_common as common  # noqa: E402

PROG = "chromium-echo"
PEER = "chromium"
PAGE = os.path.join(HERE, "chromium_echo.html")
CLONE_NEWNET = 0x40000000
UDP_BUFFER = 4 << 20

# Every feature in one --disable-features (Chromium keeps only the last one given).
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--mute-audio",
    "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns,MediaRouter,DialMediaRouteProvider,"
    "OptimizationHints,OptimizationGuideOnDeviceModel,Translate,AutofillServerCommunication",
    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--disable-extensions", "--disable-domain-reliability", "--disable-breakpad",
    "--disable-client-side-phishing-detection", "--no-pings", "--metrics-recording-only",
    "--no-proxy-server",
]

_libc = ctypes.CDLL(None, use_errno=True)

# Runs inside the new namespace: loopback up, tell the controller, wait for the page URL,
# run Chromium. This shell leads Chromium's process group; when the controller dies,
# even by SIGKILL, the kernel sends it SIGTERM (PR_SET_PDEATHSIG) and it kills the whole
# group, helpers included (they do not all die with the browser).
NETNS_SCRIPT = ('ip link set lo up || exit 97; echo up >&{fd}; exec {fd}>&-; read url; '
                'trap "kill -KILL 0" TERM HUP INT; chromium "$@" "$url" & wait $!')


def chromium_version() -> str:
    """Debian's package version (dpkg-query never hangs, unlike a browser asked --version)."""
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "chromium"], capture_output=True,
                             text=True, timeout=10, stdin=subprocess.DEVNULL)
        if out.returncode == 0 and out.stdout.strip():
            return f"Chromium {out.stdout.strip()} (Debian)"
    except (OSError, subprocess.SubprocessError):
        pass
    return "Chromium (version unknown)"


def remove_stale_profiles() -> None:
    """Profiles left by a controller that was SIGKILLed (its Chromium died with it)."""
    for path in glob.glob(os.path.join(tempfile.gettempdir(), "chromium-echo-*-*")):
        m = re.match(r"chromium-echo-(\d+)-", os.path.basename(path))
        if m and not os.path.exists(f"/proc/{m.group(1)}"):
            shutil.rmtree(path, ignore_errors=True)


def child_setup() -> None:
    """In the forked child, before exec: a clean signal mask, and SIGTERM when the
    controller dies (even by SIGKILL): see NETNS_SCRIPT."""
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    _libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG, kept across exec (unshare, then sh)


# ---- Chromium's network namespace and the bridge into it -----------------------------

def _setns(fd: int) -> None:
    if hasattr(os, "setns"):
        os.setns(fd, CLONE_NEWNET)
    elif _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"setns: {os.strerror(err)}")


class Netns:
    """Makes sockets inside another network namespace (setns is per thread on Linux)."""

    def __init__(self, pid: int):
        self.fd = os.open(f"/proc/{pid}/ns/net", os.O_RDONLY)
        self.home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        self.lock = threading.Lock()

    def call(self, fn):
        with self.lock:
            _setns(self.fd)
            try:
                return fn()
            finally:
                _setns(self.home)

    def close(self):
        for fd in (self.fd, self.home):
            try:
                os.close(fd)
            except OSError:
                pass


def udp_socket() -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for opt, force in ((socket.SO_RCVBUF, 33), (socket.SO_SNDBUF, 32)):  # SO_*BUFFORCE as root
        try:
            s.setsockopt(socket.SOL_SOCKET, force, UDP_BUFFER)
        except OSError:
            s.setsockopt(socket.SOL_SOCKET, opt, UDP_BUFFER)
    s.bind(("127.0.0.1", 0))
    s.setblocking(False)
    return s


class Bridge:
    """1:1 UDP NAT between 127.0.0.1 of this namespace ("host") and of Chromium's.

    expose_chromium(P): a host socket H stands for Chromium's 127.0.0.1:P; what H gets
    goes to P from the netns socket that stands for the sender. expose_remote(Q): a netns
    socket N stands for the host's 127.0.0.1:Q; what N gets goes to Q from the host
    socket that stands for the sender. Senders not seen before (peer-reflexive) get
    their own socket on the fly.
    """

    IDLE = 120.0

    # Chromium reads UDP through a 128 KiB socket buffer (SO_RCVBUF 65536, doubled), and a
    # far peer may have the kernel's default 208 KiB: a burst that waited in a relay
    # socket could overflow them, which the peers would see as loss (partial-reliable
    # channels then lose messages). So the relay holds back while the receiving socket
    # already holds more than this (bytes of kernel memory, rx_queue of /proc/net/udp*).
    QUEUE_LIMIT = 48 * 1024
    CHECK_EVERY = 8

    def __init__(self, netns: Netns, pid: int, prog: str, verbose: bool):
        self.netns, self.prog, self.verbose = netns, prog, verbose
        self.tables = {  # where the receiving socket's queue shows, per side it is on
            "netns": [f"/proc/{pid}/net/udp", f"/proc/{pid}/net/udp6"],
            "host": ["/proc/self/net/udp", "/proc/self/net/udp6"],
        }
        self.unchecked = {}   # (side, port) -> packets sent since its queue was looked at
        self.sel = selectors.DefaultSelector()
        self.lock = threading.Lock()
        self.host_for = {}    # Chromium's port -> host socket
        self.netns_for = {}   # host-side port -> netns socket
        self.peer = {}        # socket -> ("host"|"netns", the 127.0.0.1 port it stands for)
        self.used = {}        # socket -> last packet time
        self.wake_r, self.wake_w = socket.socketpair()
        self.sel.register(self.wake_r, selectors.EVENT_READ, None)
        self.stats = {"forwarded": 0, "send_errors": 0, "foreign": 0, "held_back_ms": 0}
        self.running = True
        self.thread = threading.Thread(target=self.loop, name="udp-bridge", daemon=True)
        self.thread.start()

    def _add(self, sock, side, port):
        self.peer[sock] = (side, port)
        self.used[sock] = time.monotonic()
        self.sel.register(sock, selectors.EVENT_READ, None)
        self.wake_w.send(b"x")

    def expose_chromium(self, port: int) -> int:
        with self.lock:
            sock = self.host_for.get(port)
            if sock is None:
                sock = self.host_for[port] = udp_socket()
                self._add(sock, "host", port)
                if self.verbose:
                    common.log(self.prog, f"bridge: Chromium 127.0.0.1:{port} is 127.0.0.1:{sock.getsockname()[1]} here")
            return sock.getsockname()[1]

    def expose_remote(self, port: int) -> int:
        with self.lock:
            sock = self.netns_for.get(port)
            if sock is None:
                sock = self.netns_for[port] = self.netns.call(udp_socket)
                self._add(sock, "netns", port)
                if self.verbose:
                    common.log(self.prog, f"bridge: 127.0.0.1:{port} is 127.0.0.1:{sock.getsockname()[1]} for Chromium")
            return sock.getsockname()[1]

    def loop(self):
        last_sweep = time.monotonic()
        while self.running:
            for key, _ in self.sel.select(1.0):
                sock = key.fileobj
                if sock is self.wake_r:
                    try:
                        sock.recv(4096)
                    except BlockingIOError:
                        pass
                    continue
                self.forward(sock)
            now = time.monotonic()
            if now - last_sweep > 10:
                last_sweep = now
                self.sweep(now)

    def forward(self, sock):
        side, port = self.peer.get(sock, (None, None))
        if side is None:
            return
        for _ in range(256):
            try:
                data, (addr, src_port) = sock.recvfrom(65535)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # ICMP port unreachable from an earlier send, or closed
                return
            if addr != "127.0.0.1":
                self.stats["foreign"] += 1
                continue
            self.used[sock] = time.monotonic()
            try:
                if side == "host":   # from the far peer at src_port, to Chromium's port
                    out = self.netns_for.get(src_port)
                    if out is None:
                        self.expose_remote(src_port)
                        out = self.netns_for[src_port]
                    self.hold_back("netns", port)
                else:                # from Chromium's src_port, to the far peer's port
                    out = self.host_for.get(src_port)
                    if out is None:
                        self.expose_chromium(src_port)
                        out = self.host_for[src_port]
                    self.hold_back("host", port)
                out.sendto(data, ("127.0.0.1", port))
                self.stats["forwarded"] += 1
            except OSError as error:
                self.stats["send_errors"] += 1
                if self.verbose:
                    common.log(self.prog, f"bridge: {error}")

    def queued(self, side: str, port: int) -> int:
        """Bytes waiting in the UDP socket bound to port on that side (0 when not found)."""
        suffix = f":{port:04X}"
        for path in self.tables[side]:
            try:
                with open(path) as f:
                    for line in f:
                        fields = line.split()
                        if len(fields) > 4 and fields[1].endswith(suffix):
                            return int(fields[4].split(":")[1], 16)
            except OSError:
                pass
        return 0

    def hold_back(self, side: str, port: int) -> None:
        key = (side, port)
        count = self.unchecked.get(key, 0) + 1
        if count < self.CHECK_EVERY:
            self.unchecked[key] = count
            return
        self.unchecked[key] = 0
        started = time.monotonic()
        while self.queued(side, port) > self.QUEUE_LIMIT:
            if time.monotonic() - started > 0.5:  # the receiver stopped reading: let it drop
                break
            time.sleep(0.0005)
        self.stats["held_back_ms"] += round((time.monotonic() - started) * 1000)

    def sweep(self, now):
        with self.lock:
            for table in (self.host_for, self.netns_for):
                for port, sock in list(table.items()):
                    if now - self.used.get(sock, now) > self.IDLE:
                        del table[port]
                        self.sel.unregister(sock)
                        self.peer.pop(sock, None)
                        self.used.pop(sock, None)
                        sock.close()

    def close(self):
        self.running = False
        self.wake_w.send(b"x")
        self.thread.join(3)
        for sock in list(self.peer):
            sock.close()
        self.wake_r.close()
        self.wake_w.close()


def bridged_sdp(sdp: str, what: str, expose) -> str:
    """Keeps the 127.0.0.1 UDP candidates only and moves each to its bridge port."""
    sdp = common.loopback_sdp(sdp, what, PROG)
    moved = {}
    out = []
    for line in sdp.split("\r\n"):
        m = common.CANDIDATE_RE.match(line)
        if m:
            port = int(m.group(3))
            moved.setdefault(port, expose(port))
            line = line[:m.start(3)] + str(moved[port]) + line[m.end(3):]
        out.append(line)
    sdp = "\r\n".join(out)
    # Keep the m-line's default port in step with its candidate.
    return re.sub(r"(?m)^(m=application )(\d+)",
                  lambda m: m.group(1) + str(moved.get(int(m.group(2)), m.group(2))), sdp)


# ---- the controller -------------------------------------------------------------------

class Controller:
    """State shared by the HTTP handler threads, Chromium and main()."""

    def __init__(self, args, version):
        self.args = args
        self.version = version
        self.mode = "server" if args.serve else "client"
        self.done = threading.Event()        # client: result in; server: stop
        self.ready = threading.Event()       # page holds the media permission
        self.fatal = None
        self.result = None                   # client: the page's final report
        self.steps = []                      # client: steps reported so far
        self.large = {}                      # client: large_size / remote mms
        self.jobs = queue.Queue()            # server: offers waiting for the page
        self.pending = {}                    # server: id -> job
        self.lock = threading.Lock()
        self.proc = None
        self.profile = None
        self.netns = None
        self.bridge = None

    # -- client: the /signal proxy --
    def signal(self, body):
        try:
            offer = bridged_sdp(body["sdp"], "local (Chromium)", self.bridge.expose_chromium)
        except ValueError as error:
            return {"ok": False, "step": "offer", "error": str(error)}
        try:
            answer = common.post_offer(self.args.url, offer, self.args.step_timeout)
        except common.StepFailed as error:
            return {"ok": False, "step": "signal", "error": str(error)}
        mms = common.max_message_size(answer)
        cap = common.RFC8841_DEFAULT_MAX_MESSAGE_SIZE if mms is None else (mms or self.args.size)
        size = min(self.args.size, cap)
        self.large = {"large_size": size, "remote_max_message_size": mms}
        try:
            answer = bridged_sdp(answer, "remote", self.bridge.expose_remote)
        except ValueError as error:
            return {"ok": False, "step": "answer", "error": str(error)}
        return {"ok": True, "sdp": answer, "remote_max_message_size": mms, "large_size": size,
                "detail": f"POST {self.args.url} answered"}

    # -- server: POST /offer from outside --
    def offer(self, body):
        offer = json.loads(body)
        if not isinstance(offer, dict) or offer.get("type") != "offer" or not offer.get("sdp"):
            raise ValueError('expected {"type":"offer","sdp":...}')
        job = {"id": uuid.uuid4().hex, "sdp": bridged_sdp(offer["sdp"], "remote", self.bridge.expose_remote),
               "event": threading.Event(), "answer": None, "error": None}
        with self.lock:
            self.pending[job["id"]] = job
        self.jobs.put(job)
        try:
            if not job["event"].wait(self.args.step_timeout + 5):
                raise TimeoutError("the page gave no answer in time")
        finally:
            with self.lock:
                self.pending.pop(job["id"], None)
        if job["error"]:
            raise RuntimeError(f"page: {job['error']}")
        return bridged_sdp(job["answer"], "local (Chromium)", self.bridge.expose_chromium)

    def answered(self, body):
        with self.lock:
            job = self.pending.get(body.get("id"))
        if job:
            job["answer"], job["error"] = body.get("sdp"), body.get("error")
            job["event"].set()

    def poll(self):
        try:
            job = self.jobs.get(timeout=10)
        except queue.Empty:
            return None
        return {"id": job["id"], "sdp": job["sdp"]}

    def config(self):
        return {"mode": self.mode, "peer": PEER, "channels": common.CHANNELS,
                "step_timeout": self.args.step_timeout, "timeout": self.args.timeout}

    # -- Chromium, in its own network namespace --
    def launch(self, make_page_server):
        """Starts Chromium's namespace, the page server inside it, then Chromium."""
        for tool in ("chromium", "unshare", "ip"):
            if not shutil.which(tool):
                raise RuntimeError(f"'{tool}' is missing (scripts/setup.sh installs it)")
        remove_stale_profiles()
        self.profile = tempfile.mkdtemp(prefix=f"chromium-echo-{os.getpid()}-")
        flags = CHROMIUM_FLAGS + [f"--user-data-dir={self.profile}"]
        if self.args.verbose:
            flags += ["--enable-logging=stderr", "--v=0"]
        # stdout is for the JSON line only: Chromium's own output never goes there.
        out = sys.stderr if self.args.verbose else subprocess.DEVNULL
        ready_r, ready_w = os.pipe()
        try:
            self.proc = subprocess.Popen(
                ["unshare", "--net", "--", "sh", "-c", NETNS_SCRIPT.format(fd=ready_w), "sh", *flags],
                stdin=subprocess.PIPE, stdout=out, stderr=out, pass_fds=(ready_w,), start_new_session=True,
                preexec_fn=child_setup)
        finally:
            os.close(ready_w)
        with os.fdopen(ready_r) as ready:
            line = ready.readline().strip()  # EOF if unshare or ip failed
        if line != "up":
            self.proc.wait(5)
            raise RuntimeError(f"could not make a loopback-only network namespace for Chromium "
                               f"(unshare --net needs root; status {self.proc.returncode})")
        self.netns = Netns(self.proc.pid)
        self.bridge = Bridge(self.netns, self.proc.pid, PROG, self.args.verbose)
        page_server = self.netns.call(make_page_server)
        threading.Thread(target=page_server.serve_forever, daemon=True).start()
        self.proc.stdin.write(f"http://127.0.0.1:{page_server.server_address[1]}/page\n".encode())
        self.proc.stdin.flush()
        return page_server

    def udp_counters(self) -> str:
        """The kernel's UDP counters of Chromium's namespace (drops show as RcvbufErrors)."""
        try:
            with open(f"/proc/{self.proc.pid}/net/snmp") as f:
                rows = [line.split() for line in f if line.startswith("Udp:")]
            return " ".join(f"{k}={v}" for k, v in zip(rows[0][1:], rows[1][1:]) if v != "0")
        except (OSError, IndexError, AttributeError):
            return "unavailable"

    def stop_chromium(self):
        if self.args.verbose and self.bridge:
            common.log(PROG, f"bridge: {self.bridge.stats}; Chromium's namespace UDP: {self.udp_counters()}")
        if self.proc and self.proc.poll() is None:
            for sig, grace in ((signal.SIGTERM, 3), (signal.SIGKILL, 3)):
                try:
                    os.killpg(self.proc.pid, sig)  # Chromium and all its helpers
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(grace)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # helpers that outlived the browser
            except (ProcessLookupError, PermissionError):
                pass
        if self.bridge:
            self.bridge.close()
        if self.netns:
            self.netns.close()
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    started = False

    def serve_forever(self, poll_interval=0.5):
        self.started = True
        super().serve_forever(poll_interval)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            common.log(PROG, f"http: {type(error).__name__}: {error}")


def make_handler(ctl: Controller, side: str):
    """side "page": the namespace-side server the page talks to; "public": POST /offer."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet; --verbose shows requests
            if ctl.args.verbose:
                common.log(PROG, f"http ({side}): " + fmt % args)

        def reply(self, status, body=None, content_type="application/json"):
            data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def do_OPTIONS(self):
            self.reply(204)

        def do_GET(self):
            path = self.path.split("?")[0]
            if path == "/page" and side == "page":
                with open(PAGE, "rb") as f:
                    self.reply(200, f.read(), "text/html; charset=utf-8")
            elif path == "/config" and side == "page":
                self.reply(200, ctl.config())
            elif path == "/":
                self.reply(200, {"peer": PEER, "version": ctl.version, "offer": "POST /offer"})
            elif path == "/favicon.ico":
                self.reply(204)
            else:
                self.reply(404, {"error": "not found"})

        def do_POST(self):
            path = self.path.split("?")[0]
            length = int(self.headers.get("Content-Length") or 0)
            if length > 1 << 20:
                self.reply(413, {"error": "body too large"})
                return
            raw = self.rfile.read(length) if length else b"{}"
            if side == "public":
                if path != "/offer":
                    self.reply(404, {"error": "POST /offer"})
                    return
                try:
                    answer = ctl.offer(raw)
                except Exception as error:  # noqa: BLE001 - the client gets the reason
                    common.log(PROG, f"offer: {type(error).__name__}: {error}")
                    self.reply(400, {"error": f"{type(error).__name__}: {error}"})
                    return
                self.reply(200, {"type": "answer", "sdp": answer})
                return
            try:
                body = json.loads(raw)
                if path == "/log":
                    common.log(PROG, f"page: {body.get('text')}")
                    self.reply(204)
                elif path == "/fatal":
                    ctl.fatal = body.get("error")
                    common.log(PROG, f"page failed: {ctl.fatal}")
                    ctl.done.set()
                    self.reply(204)
                elif path == "/ready":
                    ctl.ready.set()
                    self.reply(204)
                elif path == "/poll" and ctl.mode == "server":
                    job = ctl.poll()
                    self.reply(200, job) if job else self.reply(204)
                elif path == "/answer" and ctl.mode == "server":
                    ctl.answered(body)
                    self.reply(204)
                elif path == "/step" and ctl.mode == "client":
                    ctl.steps.append(body)
                    self.reply(204)
                elif path == "/signal" and ctl.mode == "client":
                    self.reply(200, ctl.signal(body))
                elif path == "/result" and ctl.mode == "client":
                    ctl.result = body
                    ctl.done.set()
                    self.reply(204)
                else:
                    self.reply(404, {"error": "not found"})
            except (ValueError, KeyError) as error:
                self.reply(400, {"error": f"{type(error).__name__}: {error}"})

    return Handler


def wait_for(ctl: Controller, event: threading.Event, seconds: float) -> str:
    """Waits for event; returns '' or why it stopped waiting."""
    end = time.monotonic() + seconds
    while not event.is_set():
        if ctl.done.is_set() and event is not ctl.done:
            return ctl.fatal or "stopped"
        if ctl.proc and ctl.proc.poll() is not None:
            return f"chromium exited with status {ctl.proc.returncode}"
        if time.monotonic() >= end:
            return "timeout"
        event.wait(0.1)
    return ""


def main():
    args = common.parse_args(PROG, __doc__.splitlines()[0])
    version = chromium_version()
    ctl = Controller(args, version)
    stop = {"signal": None}

    def on_signal(signum, _frame):
        stop["signal"] = signal.Signals(signum).name
        ctl.done.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    common.unblock_signals()

    servers = []
    code = 1
    result = None if args.serve else common.Result(PEER, version, args.url)
    if result:
        try:
            common.require_loopback_url(args.url)
        except ValueError as error:
            result.failed("url", None, str(error))
            return result.finish(args.json)
    try:
        if args.serve:
            public = QuietServer((args.listen_host, args.listen_port), make_handler(ctl, "public"))
            servers.append(public)
        try:
            servers.append(ctl.launch(lambda: QuietServer(("127.0.0.1", 0), make_handler(ctl, "page"))))
        except (RuntimeError, OSError) as error:
            if args.serve:
                common.log(PROG, str(error))
                return 1
            result.failed("launch", None, str(error))
            return result.finish(args.json)
        if args.serve:
            why = wait_for(ctl, ctl.ready, 30)
            if why:
                common.log(PROG, f"the page did not get ready: {why}")
                return 0 if stop["signal"] else 1
            threading.Thread(target=public.serve_forever, daemon=True).start()
            bound = public.server_address
            address = f"{bound[0]}:{bound[1]}"
            sys.stdout.write(json.dumps({"listening": address}) + "\n")
            sys.stdout.flush()
            common.log(PROG, f"{version} echo server on http://{address}/offer")
            why = wait_for(ctl, ctl.done, float("inf"))
            if stop["signal"]:
                common.log(PROG, f"{stop['signal']}: shutting down")
                code = 0
            else:
                common.log(PROG, f"stopped: {why or ctl.fatal}")
        else:
            # Chromium's start-up counts against the whole run; 10 s more for the page to report.
            why = wait_for(ctl, ctl.done, args.timeout + 10)
            if ctl.result and not stop["signal"]:
                page = ctl.result
                result.data["steps"] = page["steps"]
                result.data.update({k: page.get(k) for k in ("large_size", "remote_max_message_size")})
                if page.get("step"):
                    result.data.update(step=page["step"], channel=page.get("channel"), error=page.get("error"))
            else:
                result.data["steps"] = list(ctl.steps)
                result.data.update(ctl.large)
                last = ctl.steps[-1]["step"] if ctl.steps else None
                if stop["signal"]:
                    result.failed("signal", None, f"stopped by {stop['signal']}")
                else:
                    reason = ctl.fatal or why or "no result"
                    result.failed("page" if ctl.fatal else "timeout", None,
                                  f"{reason} (last step passed: {last})")
            code = result.finish(args.json)
    finally:
        ctl.stop_chromium()
        for server in servers:
            if server.started:
                server.shutdown()
            server.server_close()
    return code


if __name__ == "__main__":
    sys.exit(main())
