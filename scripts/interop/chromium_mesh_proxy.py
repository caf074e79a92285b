"""The registry, as Chromium's namespace sees it (helper of chromium_mesh.py).

Chromium runs in a network namespace with nothing but `lo` (chromium_echo.py), so the
registry on the host's 127.0.0.1:PORT is out of its reach, and so are the host's UDP
ports. SignalingProxy listens on 127.0.0.1 inside the namespace and forwards every TCP
connection to the registry:

* plain HTTP (the page, `POST /api/token`) passes through byte for byte, one request
  per connection (`Connection: close` both ways, and the connection closed after the
  answer);
* the signaling WebSocket (`GET /ws?token=`) is relayed frame by frame, and each
  `offer`, `answer` and `ice_candidate` is rewritten so its candidates cross the UDP
  bridge: Chromium's 127.0.0.1:P becomes the bridge's host-side port for P, a host
  peer's 127.0.0.1:Q the bridge's namespace-side port for Q. Candidates that are not
  UDP on 127.0.0.1 are dropped (a candidate frame with none left is not forwarded).
  The request loses `Sec-WebSocket-Extensions`, so no compression hides the frames.

Every other frame, and every byte of HTTP, is passed on unchanged.
"""

import json
import os
import re
import socket
import struct
import threading
from collections import Counter

import echo_common as common

CANDIDATE_RE = re.compile(r"^(a=)?candidate:\S+ \d+ (\S+) \d+ (\S+) (\d+) typ (\S+)", re.IGNORECASE)
MAX_HEAD = 64 * 1024
MAX_FRAME = 1 << 22


def mask(data: bytes, key: bytes) -> bytes:
    """RFC 6455 masking (its own inverse)."""
    if not data:
        return data
    keys = (key * (len(data) // 4 + 1))[:len(data)]
    return (int.from_bytes(data, "big") ^ int.from_bytes(keys, "big")).to_bytes(len(data), "big")


def encode_frame(opcode: int, data: bytes, masked: bool) -> bytes:
    """One final frame; client-to-server frames must be masked, the others must not."""
    size = len(data)
    second = 0x80 if masked else 0
    if size < 126:
        head = bytes([0x80 | opcode, second | size])
    elif size < 1 << 16:
        head = bytes([0x80 | opcode, second | 126]) + struct.pack(">H", size)
    else:
        head = bytes([0x80 | opcode, second | 127]) + struct.pack(">Q", size)
    if masked:
        key = os.urandom(4)
        return head + key + mask(data, key)
    return head + data


class FrameReader:
    def __init__(self, sock: socket.socket, leftover: bytes):
        self.sock = sock
        self.buffer = bytearray(leftover)

    def exact(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buffer += chunk
        out = bytes(self.buffer[:count])
        del self.buffer[:count]
        return out

    def frame(self) -> tuple[bool, int, bytes]:
        first, second = self.exact(2)
        size = second & 0x7F
        if size == 126:
            size = struct.unpack(">H", self.exact(2))[0]
        elif size == 127:
            size = struct.unpack(">Q", self.exact(8))[0]
        if size > MAX_FRAME:
            raise ValueError(f"WebSocket frame of {size} bytes")
        key = self.exact(4) if second & 0x80 else None
        data = self.exact(size)
        return bool(first & 0x80), first & 0x0F, mask(data, key) if key else data


def read_head(sock: socket.socket) -> tuple[bytes, bytes]:
    """An HTTP head (through the blank line) and whatever came after it."""
    data = b""
    while b"\r\n\r\n" not in data:
        if len(data) > MAX_HEAD:
            raise ValueError("HTTP head too large")
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    return head + b"\r\n\r\n", rest


class SignalingProxy:
    """TCP 127.0.0.1:port inside the namespace -> upstream (host, port) outside."""

    def __init__(self, netns, bridge, upstream: tuple[str, int], prog: str, verbose: bool):
        self.bridge, self.upstream, self.prog, self.verbose = bridge, upstream, prog, verbose
        self.listener = netns.call(lambda: socket.create_server(("127.0.0.1", 0)))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.sockets = set()
        self.counts = {"to_registry": Counter(), "from_registry": Counter()}
        self.http_requests = 0
        self.websockets = 0
        self.dropped_candidates = 0
        self.running = True
        threading.Thread(target=self.accept_loop, name="signaling-proxy", daemon=True).start()

    @property
    def stats(self) -> dict:
        with self.lock:
            return {"http_requests": self.http_requests, "websockets": self.websockets,
                    "to_registry": dict(self.counts["to_registry"]),
                    "from_registry": dict(self.counts["from_registry"]),
                    "dropped_candidates": self.dropped_candidates}

    def log(self, text: str) -> None:
        if self.verbose:
            common.log(self.prog, f"proxy: {text}")

    def track(self, sock):
        with self.lock:
            self.sockets.add(sock)
        return sock

    def accept_loop(self):
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(self.track(client),), daemon=True).start()

    def serve(self, client: socket.socket):
        upstream = None
        try:
            head, rest = read_head(client)
            lines = head[:-4].split(b"\r\n")
            upgrade = any(line.lower().startswith(b"upgrade:") and b"websocket" in line.lower() for line in lines[1:])
            kept = [lines[0]]
            for line in lines[1:]:
                name = line.split(b":", 1)[0].strip().lower()
                if name == b"sec-websocket-extensions" or (not upgrade and name in (b"connection", b"keep-alive")):
                    continue
                kept.append(line)
            if not upgrade:
                kept.append(b"Connection: close")
            upstream = self.track(socket.create_connection(self.upstream, timeout=10))
            upstream.settimeout(None)
            upstream.sendall(b"\r\n".join(kept) + b"\r\n\r\n" + (b"" if upgrade else rest))
            self.log(lines[0].decode("latin-1"))
            if not upgrade:
                with self.lock:
                    self.http_requests += 1
                self.exchange(client, upstream)
                return
            answer, after = read_head(upstream)
            client.sendall(answer)
            if b" 101 " not in answer.split(b"\r\n", 1)[0] + b" ":
                self.pipe(client, upstream, rest=after)
                return
            with self.lock:
                self.websockets += 1
            up = threading.Thread(target=self.relay, args=(FrameReader(client, rest), upstream, True), daemon=True)
            up.start()
            self.relay(FrameReader(upstream, after), client, False)
            up.join()
        except (OSError, EOFError, ValueError) as error:
            self.log(f"connection: {type(error).__name__}: {error}")
        finally:
            for sock in (client, upstream):
                if sock:
                    self.forget(sock)

    def forget(self, sock):
        with self.lock:
            self.sockets.discard(sock)
        try:
            sock.close()
        except OSError:
            pass

    def exchange(self, client, upstream):
        """One plain HTTP request: the answer goes back marked `Connection: close`, and the
        client's socket is closed after it, so Chromium never sends a second request on a
        connection whose far end is gone (it would wait for an answer that never comes)."""
        sender = threading.Thread(target=self.copy, args=(client, upstream), daemon=True)
        sender.start()     # a request body, if any
        answer, after = read_head(upstream)
        lines = answer[:-4].split(b"\r\n")
        kept = [line for line in lines
                if line.split(b":", 1)[0].strip().lower() not in (b"connection", b"keep-alive")]
        client.sendall(b"\r\n".join(kept + [b"Connection: close"]) + b"\r\n\r\n" + after)
        while chunk := upstream.recv(65536):
            client.sendall(chunk)
        client.shutdown(socket.SHUT_RDWR)

    @staticmethod
    def copy(src, dst):
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            pass
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def pipe(self, client, upstream, rest=b""):
        """Bytes both ways until each side is done (plain HTTP); rest goes to the client first."""
        if rest:
            client.sendall(rest)
        other = threading.Thread(target=self.copy, args=(client, upstream), daemon=True)
        other.start()
        self.copy(upstream, client)
        other.join(10)

    def relay(self, reader: FrameReader, dst: socket.socket, to_registry: bool):
        message, opcode = None, 0
        try:
            while True:
                fin, op, data = reader.frame()
                if op >= 8:                       # ping, pong, close: as they are
                    dst.sendall(encode_frame(op, data, to_registry))
                    continue
                if op == 0:
                    if message is None:
                        raise ValueError("continuation frame without a first frame")
                    message += data
                else:
                    message, opcode = data, op
                if not fin:
                    continue
                out = self.rewrite(message, to_registry) if opcode == 1 else message
                message = None
                if out is not None:
                    dst.sendall(encode_frame(opcode, out, to_registry))
        except (OSError, EOFError, ValueError) as error:
            self.log(f"websocket {'to' if to_registry else 'from'} registry ended: {type(error).__name__} {error}")
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    # -- candidate rewriting --

    def move(self, line: str, to_registry: bool) -> str | None:
        """A candidate line moved across the bridge, or None when it is not UDP on 127.0.0.1."""
        m = CANDIDATE_RE.match(line.strip())
        if not m or m.group(2).lower() != "udp" or m.group(3) != "127.0.0.1":
            with self.lock:
                self.dropped_candidates += 1
            self.log(f"dropped candidate ({'Chromium' if to_registry else 'registry side'}): {line.strip()}")
            return None
        expose = self.bridge.expose_chromium if to_registry else self.bridge.expose_remote
        port = expose(int(m.group(4)))
        line = line.strip()
        return line[:m.start(4)] + str(port) + line[m.end(4):]

    def move_sdp(self, sdp: str, to_registry: bool) -> str:
        moved, out = {}, []
        for line in sdp.replace("\r\n", "\n").split("\n"):
            if line.startswith("a=candidate:"):
                m = CANDIDATE_RE.match(line)
                line = self.move(line, to_registry)
                if line is None:
                    continue
                moved[int(m.group(4))] = int(CANDIDATE_RE.match(line).group(4))
            out.append(line)
        while out and out[-1] == "":
            out.pop()
        sdp = "\r\n".join(out) + "\r\n"
        # Keep the m-line's default port in step with its candidate (9 with trickle: kept).
        return re.sub(r"(?m)^(m=application )(\d+)",
                      lambda m: m.group(1) + str(moved.get(int(m.group(2)), m.group(2))), sdp)

    def rewrite(self, data: bytes, to_registry: bool) -> bytes | None:
        try:
            frame = json.loads(data)
        except ValueError:
            return data
        if not isinstance(frame, dict):
            return data
        kind = frame.get("type")
        with self.lock:
            self.counts["to_registry" if to_registry else "from_registry"][str(kind)] += 1
        payload = frame.get("payload")
        if not isinstance(payload, dict):
            return data
        if kind in ("offer", "answer") and isinstance(payload.get("sdp"), str):
            payload["sdp"] = self.move_sdp(payload["sdp"], to_registry)
        elif kind == "ice_candidate" and isinstance(payload.get("candidate"), str) and payload["candidate"].strip():
            line = self.move(payload["candidate"], to_registry)
            if line is None:
                return None
            payload["candidate"] = line
        else:
            return data
        return json.dumps(frame, separators=(",", ":")).encode()

    def close(self):
        self.running = False
        try:
            self.listener.close()
        except OSError:
            pass
        with self.lock:
            sockets = list(self.sockets)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.forget(sock)
