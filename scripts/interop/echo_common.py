"""Shared plumbing for the Python echo peers (aiortc_echo.py, ldc_echo.py, chromium_echo.py).

Standard library only (Python >= 3.11), so each peer can import it from its own venv.
It holds what must be identical across the peers of scripts/interop/README.md:
the command line, the loopback-only SDP filter, the six channel types, the payloads,
the client's checks and the JSON result line, and the asyncio echo server's HTTP side
(POST /offer). Pion's echo.go and chromium_echo.html repeat the same checks in their
own language; keep them in step with this file.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import re
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Awaitable, Callable

DEFAULT_SIZE = 262144
RFC8841_DEFAULT_MAX_MESSAGE_SIZE = 65536  # RFC 8841 section 6: no a=max-message-size
BURST = 100

# label, ordered, maxRetransmits, maxPacketLifeTime (ms)
CHANNELS = [
    {"label": "reliable-ordered", "ordered": True, "max_retransmits": None, "max_packet_life_time": None},
    {"label": "reliable-unordered", "ordered": False, "max_retransmits": None, "max_packet_life_time": None},
    {"label": "rexmit0-ordered", "ordered": True, "max_retransmits": 0, "max_packet_life_time": None},
    {"label": "rexmit0-unordered", "ordered": False, "max_retransmits": 0, "max_packet_life_time": None},
    {"label": "lifetime1000-ordered", "ordered": True, "max_retransmits": None, "max_packet_life_time": 1000},
    {"label": "lifetime1000-unordered", "ordered": False, "max_retransmits": None, "max_packet_life_time": 1000},
]

USAGE_TAIL = """
Server:  %(prog)s --serve --listen 127.0.0.1:PORT   (PORT 0: prints {"listening":"127.0.0.1:N"})
Client:  %(prog)s URL [--size N] [--json]           (URL: http://127.0.0.1:PORT/offer)

The client prints exactly one JSON line on stdout and exits 0 when every check
passed, 1 otherwise (the JSON names the failing step). See scripts/interop/README.md.
"""


def log(prog: str, text: str) -> None:
    sys.stderr.write(f"{prog}: {text}\n")
    sys.stderr.flush()


def unblock_signals() -> None:
    """A parent may hand us SIGTERM/SIGINT blocked (Foundation's Process passes on the
    test runner's blocked-signal mask): unblock them, or SIGTERM would never stop us."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})


def parse_args(prog: str, description: str, argv=None, extra: Callable | None = None) -> argparse.Namespace:
    unblock_signals()
    parser = argparse.ArgumentParser(prog=prog, description=description, epilog=USAGE_TAIL,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", help="client: the echo server's POST /offer URL (loopback)")
    parser.add_argument("--serve", action="store_true", help="run the echo server (POST /offer)")
    parser.add_argument("--listen", default="127.0.0.1:0", metavar="HOST:PORT",
                        help="server address, loopback only (default 127.0.0.1:0)")
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE,
                        help="client: large message size, capped at the remote a=max-message-size "
                             "(65536 when the answer has none, RFC 8841 section 6) (default 262144)")
    parser.add_argument("--json", action="store_true",
                        help="client: print only the JSON line (no per-step summary on stderr)")
    parser.add_argument("--step-timeout", type=float, default=20.0, metavar="S",
                        help="seconds per step (default 20)")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="S",
                        help="seconds for the whole client run (default 60)")
    parser.add_argument("--verbose", action="store_true", help="the stack's own logs on stderr")
    if extra:
        extra(parser)
    args = parser.parse_args(argv)
    if args.serve == bool(args.url):
        parser.error("give either a URL (client) or --serve (server)")
    if args.size < 0:
        parser.error("--size must be >= 0")
    if args.serve:  # a client's URL is checked by the client: its JSON line names step "url"
        try:
            args.listen_host, args.listen_port = split_loopback_hostport(args.listen)
        except ValueError as error:
            parser.error(str(error))
    return args


# ---- loopback only ----------------------------------------------------------------

def is_loopback_host(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def split_loopback_hostport(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"--listen wants HOST:PORT, got {text!r}")
    if not is_loopback_host(host):
        raise ValueError(f"refusing non-loopback listen address {text!r}")
    return host.strip("[]"), int(port)


def require_loopback_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"bad URL {url!r} (want http://127.0.0.1:PORT/offer)")
    if not is_loopback_host(parts.hostname):
        raise ValueError(f"refusing non-loopback URL {url!r}")


CANDIDATE_RE = re.compile(r"^a=candidate:\S+ \d+ (\S+) \d+ (\S+) (\d+) typ (\S+)", re.IGNORECASE)


def candidates(sdp: str) -> list[tuple[str, str, int, str]]:
    """(transport, address, port, type) of every a=candidate line."""
    out = []
    for line in sdp.splitlines():
        m = CANDIDATE_RE.match(line.strip())
        if m:
            out.append((m.group(1).lower(), m.group(2), int(m.group(3)), m.group(4)))
    return out


def loopback_sdp(sdp: str, what: str, prog: str, rewrite: Callable[[str], str | None] | None = None) -> str:
    """Keeps only UDP candidates on 127.0.0.1 (`rewrite` may turn a line into one first).

    Raises ValueError when no loopback candidate is left. Dropped lines go to stderr.
    """
    out, kept = [], 0
    for line in sdp.replace("\r\n", "\n").split("\n"):
        if line.startswith("a=candidate:"):
            if rewrite:
                line = rewrite(line) or line
            m = CANDIDATE_RE.match(line)
            if not m or m.group(1).lower() != "udp" or m.group(2) != "127.0.0.1":
                log(prog, f"dropped non-loopback {what} candidate: {line}")
                continue
            kept += 1
        out.append(line)
    if kept == 0:
        raise ValueError(f"{what} SDP has no 127.0.0.1 UDP candidate")
    while out and out[-1] == "":
        out.pop()
    return "\r\n".join(out) + "\r\n"


def max_message_size(sdp: str) -> int | None:
    m = re.search(r"^a=max-message-size:(\d+)", sdp, re.MULTILINE)
    return int(m.group(1)) if m else None


# ---- payloads -----------------------------------------------------------------------

def text_payload(peer: str, label: str) -> str:
    return f"hello from {peer} on {label} \u2713 \u00fcn\u00efc\u00f6d\u00e9 \u4e2d\u6587"


def binary_payload() -> bytes:
    return bytes(range(256)) + bytes(reversed(range(256)))


def burst_message(label: str, i: int) -> str | bytes:
    text = f"burst {label} {i:03d}"
    return text if i % 2 == 0 else text.encode()


def large_payload(n: int) -> bytes:
    pattern = bytes(i % 251 for i in range(251))
    return (pattern * (n // 251 + 1))[:n]


def describe(data: str | bytes) -> str:
    kind = "text" if isinstance(data, str) else "binary"
    size = len(data.encode()) if isinstance(data, str) else len(data)
    if size == 0:
        return f"empty {kind}"
    if size <= 40:
        return f"{kind} {data!r}" if isinstance(data, str) else f"{kind} {data.hex()}"
    return f"{kind} of {size} bytes"


def same_message(a: str | bytes, b: str | bytes) -> bool:
    return type(a) is type(b) and a == b


# ---- the client ---------------------------------------------------------------------

class StepFailed(Exception):
    pass


class Result:
    def __init__(self, peer: str, version: str, url: str):
        self.started = time.monotonic()
        self.data = {
            "ok": False, "peer": peer, "version": version, "role": "client", "url": url,
            "channels": CHANNELS, "steps": [], "large_size": None, "remote_max_message_size": None,
            "elapsed_ms": 0, "step": None, "channel": None, "error": None,
        }

    def passed(self, step: str, channel: str | None, detail: str) -> None:
        self.data["steps"].append({"step": step, "channel": channel, "ok": True, "detail": detail})

    def failed(self, step: str, channel: str | None, error: str) -> None:
        if self.data["step"] is None:
            self.data["steps"].append({"step": step, "channel": channel, "ok": False, "detail": error})
            self.data.update(step=step, channel=channel, error=error)

    def finish(self, quiet: bool) -> int:
        self.data["ok"] = self.data["step"] is None
        self.data["elapsed_ms"] = round((time.monotonic() - self.started) * 1000)
        if not quiet:
            for s in self.data["steps"]:
                mark = "ok  " if s["ok"] else "FAIL"
                sys.stderr.write(f"{mark} {s['step']:<13} {s['channel'] or '-':<23} {s['detail']}\n")
            sys.stderr.flush()
        sys.stdout.write(json.dumps(self.data, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return 0 if self.data["ok"] else 1


class ClientAdapter:
    """What a stack provides to run_client(). Messages are str (text) or bytes (binary)."""

    async def create_offer(self) -> str:  # all channels created, gathering complete
        raise NotImplementedError

    def filter_local(self, sdp: str) -> str:  # may rewrite candidates before loopback_sdp
        return sdp

    async def apply_answer(self, sdp: str) -> None:
        raise NotImplementedError

    async def wait_open(self) -> None:  # every channel of CHANNELS open
        raise NotImplementedError

    async def send(self, label: str, data: str | bytes) -> None:
        raise NotImplementedError

    async def recv(self, label: str) -> str | bytes:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError


def post_offer(url: str, sdp: str, timeout: float) -> str:
    body = json.dumps({"type": "offer", "sdp": sdp}).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
    try:
        with opener.open(request, timeout=timeout) as response:
            raw = response.read(1 << 20)
    except urllib.error.HTTPError as error:
        raise StepFailed(f"HTTP {error.code}: {error.read(4096).decode(errors='replace').strip()}") from None
    except (urllib.error.URLError, OSError) as error:
        raise StepFailed(f"POST {url}: {getattr(error, 'reason', error)}") from None
    try:
        answer = json.loads(raw)
    except ValueError:
        raise StepFailed(f"answer is not JSON: {raw[:200]!r}") from None
    if not isinstance(answer, dict) or answer.get("type") != "answer" or not answer.get("sdp"):
        raise StepFailed(f'expected {{"type":"answer","sdp":...}}, got {str(answer)[:200]}')
    return answer["sdp"]


def in_daemon_thread(fn, *args) -> asyncio.Future:
    """Runs a blocking call in a daemon thread: unlike run_in_executor, a call still
    blocked at exit (a timed-out POST) does not hold up the process."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def settle(value, error):
        if not future.done():
            future.set_exception(error) if error else future.set_result(value)

    def run():
        try:
            value, error = fn(*args), None
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
            value, error = None, exc
        try:
            loop.call_soon_threadsafe(settle, value, error)
        except RuntimeError:  # the loop is gone
            pass

    threading.Thread(target=run, daemon=True).start()
    return future


async def run_client(args, peer: str, version: str, prog: str,
                     make_adapter: Callable[[], Awaitable[ClientAdapter]]) -> int:
    result = Result(peer, version, args.url)
    deadline = time.monotonic() + args.timeout
    adapter: ClientAdapter | None = None
    current = {"step": "offer", "channel": None}

    def budget() -> float:
        return max(0.0, min(args.step_timeout, deadline - time.monotonic()))

    async def step(name: str, channel: str | None, coro_fn: Callable[[], Awaitable[str]]) -> None:
        current.update(step=name, channel=channel)
        limit = budget()
        try:
            detail = await asyncio.wait_for(coro_fn(), limit)
        except asyncio.TimeoutError:
            what = "whole run" if deadline - time.monotonic() <= 0.01 else "step"
            raise StepFailed(f"{what} timeout after {limit:.1f} s") from None
        except StepFailed:
            raise
        except Exception as error:  # the stack's own error, named
            raise StepFailed(f"{type(error).__name__}: {error}") from None
        result.passed(name, channel, detail)

    async def echo_one(label: str, data: str | bytes) -> str:
        await adapter.send(label, data)
        got = await adapter.recv(label)
        if not same_message(got, data):
            raise StepFailed(f"sent {describe(data)}, echo was {describe(got)}")
        return f"{describe(data)} echoed"

    async def burst(spec: dict) -> str:
        label = spec["label"]
        sent = [burst_message(label, i) for i in range(BURST)]
        for data in sent:
            await adapter.send(label, data)
        got = []
        for i in range(BURST):
            got.append(await adapter.recv(label))
        if spec["ordered"]:
            for i, (a, b) in enumerate(zip(sent, got)):
                if not same_message(a, b):
                    raise StepFailed(f"echo {i} out of order or altered: sent {describe(a)}, got {describe(b)}")
            return f"{BURST} messages echoed in order"
        key = lambda m: (isinstance(m, str), m.encode() if isinstance(m, str) else m)  # noqa: E731
        if sorted(map(key, sent)) != sorted(map(key, got)):
            raise StepFailed("echoed set differs from the sent set")
        return f"{BURST} messages echoed (same set, unordered)"

    async def large(label: str, size: int) -> str:
        data = large_payload(size)
        await adapter.send(label, data)
        got = await adapter.recv(label)
        if not same_message(got, data):
            if isinstance(got, bytes) and len(got) == len(data):
                first = next(i for i in range(len(data)) if got[i] != data[i])
                raise StepFailed(f"{size}-byte echo differs from byte {first} on")
            raise StepFailed(f"sent binary of {size} bytes, echo was {describe(got)}")
        return f"{size} bytes echoed byte for byte"

    async def checks() -> None:
        async def offer() -> str:
            nonlocal adapter
            adapter = await make_adapter()
            local = await adapter.create_offer()
            current["offer"] = loopback_sdp(adapter.filter_local(local), "local", prog)
            return "offer with 127.0.0.1 candidates, gathering complete"
        await step("offer", None, offer)

        async def signal_() -> str:
            current["answer"] = await in_daemon_thread(post_offer, args.url, current["offer"], budget())
            return f"POST {args.url} answered"
        await step("signal", None, signal_)

        answer = current["answer"]
        mms = max_message_size(answer)
        result.data["remote_max_message_size"] = mms
        cap = RFC8841_DEFAULT_MAX_MESSAGE_SIZE if mms is None else (mms or args.size)
        size = min(args.size, cap)
        result.data["large_size"] = size

        async def apply() -> str:
            await adapter.apply_answer(loopback_sdp(answer, "remote", prog))
            return "answer applied"
        await step("answer", None, apply)

        async def opened() -> str:
            await adapter.wait_open()
            return f"{len(CHANNELS)} channels open"
        await step("connect", None, opened)

        for spec in CHANNELS:
            label = spec["label"]
            await step("text", label, lambda: echo_one(label, text_payload(peer, label)))
            await step("binary", label, lambda: echo_one(label, binary_payload()))
            await step("empty-text", label, lambda: echo_one(label, ""))
            await step("empty-binary", label, lambda: echo_one(label, b""))
            await step("burst", label, lambda: burst(spec))
        for spec in CHANNELS:
            label = spec["label"]
            await step("large", label, lambda: large(label, size))

    try:
        require_loopback_url(args.url)
    except ValueError as error:
        result.failed("url", None, str(error))
        return result.finish(args.json)

    main = asyncio.ensure_future(checks())
    loop = asyncio.get_running_loop()
    stopped = []

    def on_signal(signame: str) -> None:
        stopped.append(signame)
        main.cancel()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, on_signal, sig.name)
    try:
        await main
    except StepFailed as error:
        result.failed(current["step"], current["channel"], str(error))
    except asyncio.CancelledError:
        result.failed("signal", None, f"stopped by {stopped[0] if stopped else 'cancel'}")
    except Exception as error:  # noqa: BLE001 - report every failure in the JSON line
        result.failed(current["step"], current["channel"], f"{type(error).__name__}: {error}")
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        if adapter is not None:
            try:
                await asyncio.wait_for(adapter.close(), 5)
            except BaseException as error:  # noqa: BLE001
                log(prog, f"close: {type(error).__name__}: {error}")
    return result.finish(args.json)


# ---- the server's HTTP side ---------------------------------------------------------

def _http_response(status: int, reason: str, body: dict) -> bytes:
    payload = json.dumps(body).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\nAccess-Control-Allow-Origin: *\r\n"
            "Access-Control-Allow-Methods: POST, OPTIONS\r\nAccess-Control-Allow-Headers: Content-Type\r\n"
            "Connection: close\r\n\r\n")
    return head.encode() + payload


async def serve(args, prog: str, info: dict, answer_offer: Callable[[str], Awaitable[str]],
                shutdown: Callable[[], Awaitable[None]]) -> int:
    """Runs POST /offer until SIGTERM/SIGINT; answer_offer(filtered offer SDP) -> answer SDP."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = (lines[0].split(" ") + ["", ""])[:3]
            headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:] if l)}
            length = int(headers.get("content-length", "0") or 0)
            if length > 1 << 20:
                raise ValueError("body too large")
            body = await asyncio.wait_for(reader.readexactly(length), 10) if length else b""
            path = path.split("?")[0]
            if method == "OPTIONS":
                response = _http_response(204, "No Content", {})
            elif method == "GET" and path == "/":
                response = _http_response(200, "OK", {**info, "offer": "POST /offer"})
            elif path != "/offer":
                response = _http_response(404, "Not Found", {"error": "POST /offer"})
            elif method != "POST":
                response = _http_response(405, "Method Not Allowed", {"error": "POST an offer"})
            else:
                try:
                    offer = json.loads(body)
                    if not isinstance(offer, dict) or offer.get("type") != "offer" or not offer.get("sdp"):
                        raise ValueError('expected {"type":"offer","sdp":...}')
                    sdp = loopback_sdp(offer["sdp"], "remote", prog)
                    answer = await asyncio.wait_for(answer_offer(sdp), args.step_timeout)
                    answer = loopback_sdp(answer, "local", prog)
                    response = _http_response(200, "OK", {"type": "answer", "sdp": answer})
                except asyncio.TimeoutError:
                    log(prog, "offer: no answer in time")
                    response = _http_response(500, "Internal Server Error", {"error": "no answer in time"})
                except Exception as error:  # noqa: BLE001 - the client gets the reason
                    log(prog, f"offer: {type(error).__name__}: {error}")
                    response = _http_response(400, "Bad Request", {"error": f"{type(error).__name__}: {error}"})
            writer.write(response)
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError,
                ConnectionError, ValueError) as error:
            log(prog, f"bad HTTP request: {type(error).__name__}: {error}")
        finally:
            writer.close()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):  # before the listening line: a SIGTERM right
        loop.add_signal_handler(sig, stop.set)     # after it must still shut down cleanly
    server = await asyncio.start_server(handle, args.listen_host, args.listen_port)
    host, port = server.sockets[0].getsockname()[:2]
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    sys.stdout.write(json.dumps({"listening": address}) + "\n")
    sys.stdout.flush()
    log(prog, f"{info.get('version', '')} echo server on http://{address}/offer")
    await stop.wait()
    log(prog, "signal: shutting down")
    server.close()
    try:
        await asyncio.wait_for(shutdown(), 5)
    except BaseException as error:  # noqa: BLE001
        log(prog, f"shutdown: {type(error).__name__}: {error}")
    return 0
