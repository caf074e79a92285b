#!/usr/bin/env python3
"""An agent for the mesh in 60 lines of standard-library Python.

It talks to its sidecar (`datachannel-chat sidecar`, or chatixia-mesh's) over the
sidecar's Unix socket in JSON lines, {"type", "payload"} per line, and answers every
mesh message of type "ping" with a "pong" carrying the same request_id, so that the
sender's MeshClient.request() (matched by request_id) gets its answer. Everything
else it prints. It stops when the sidecar closes the socket, or after --count pings.

    datachannel-chat sidecar --name echo        # prints {"ipc_socket": PATH, ...}
    python3 examples/echo_agent.py PATH
"""

import argparse
import json
import os
import socket
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description="Answer every mesh 'ping' with a 'pong'.")
    parser.add_argument("socket", nargs="?", default=os.environ.get("IPC_SOCKET"),
                        help="the sidecar's Unix socket (default: $IPC_SOCKET)")
    parser.add_argument("--count", type=int, default=0, help="stop after this many pings (0: never)")
    args = parser.parse_args()
    if not args.socket:
        parser.error("give the sidecar's socket path (or set IPC_SOCKET)")

    sidecar = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sidecar.connect(args.socket)
    lines = sidecar.makefile("r", encoding="utf-8", newline="\n")

    def command(kind: str, payload: dict) -> None:
        sidecar.sendall((json.dumps({"type": kind, "payload": payload}) + "\n").encode())

    print(json.dumps({"echo_agent": "ready", "socket": args.socket}), flush=True)
    answered = 0
    for line in lines:  # one event per line; the loop ends when the sidecar closes the socket
        event = json.loads(line)
        kind, payload = event.get("type"), event.get("payload", {})
        if kind == "message" and payload.get("message", {}).get("type") == "ping":
            ping = payload["message"]
            command("send", {"target_peer": payload["from_peer"], "message": {
                "type": "pong", "request_id": ping.get("request_id", ""),
                "source_agent": ping.get("target_agent", ""), "target_agent": ping.get("source_agent", ""),
                "payload": {"echo": ping.get("payload")},
            }})
            answered += 1
            print(json.dumps({"answered": ping.get("request_id", ""), "to": payload["from_peer"]}), flush=True)
            if args.count and answered >= args.count:
                break
        else:
            print(json.dumps(event), flush=True)
    sidecar.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
