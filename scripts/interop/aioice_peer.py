#!/usr/bin/env python3
"""An aioice (PyPI) ICE peer driven over stdin/stdout with JSON lines.

Used by Tests/ICEInteropTests to run our ICEAgent against an independent
implementation. Loopback only: aioice skips 127.0.0.1 when it enumerates
interfaces, so this script replaces that enumeration with ["127.0.0.1"]
(or, with --relay-only, gathers no host candidate at all and only allocates on
the given TURN server, which must itself be on loopback). It never contacts a
STUN server and refuses remote candidates that are not loopback addresses.

Conversation (one JSON object per line):
  peer  -> {"type": "local", "ufrag", "pwd", "candidates": [CANDIDATE...]}
  test  -> {"type": "remote", "ufrag", "pwd", "candidates": [CANDIDATE...]}
  peer  -> {"type": "connected", "local": "ip:port", "local_type", "remote": "ip:port",
            "remote_type", "elapsed_ms"}
  peer sends "hello from aioice" over the connection, then answers every datagram
  it receives with "echo:" + datagram, printing {"type": "received", "data": TEXT}
  test  -> {"type": "close"} (or EOF): the peer closes and prints {"type": "closed"}
On failure: {"type": "error", "reason": TEXT} and exit status 1.
CANDIDATE = {"foundation", "component", "priority", "ip", "port", "type"}.
"""

import argparse
import asyncio
import ipaddress
import json
import sys
import time

import aioice
import aioice.ice


def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def loopback_only(use_ipv4, use_ipv6):
    # Replaces aioice's interface enumeration (which leaves out 127.0.0.1).
    return ["127.0.0.1"] if use_ipv4 else []


def address(pair_tuple):
    return f"{pair_tuple[0]}:{pair_tuple[1]}"


def parse_host_port(text):
    host, _, port = text.rpartition(":")
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"refusing non-loopback server {text}")
    return host, int(port)


async def read_line():
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    return json.loads(line) if line.strip() else None


async def serve(args):
    started = time.monotonic()
    options = dict(ice_controlling=args.role == "controlling", use_ipv4=True, use_ipv6=False)
    if args.turn:
        options.update(turn_server=parse_host_port(args.turn), turn_username=args.turn_user,
                       turn_password=args.turn_pass)
    if args.relay_only:
        options["transport_policy"] = aioice.TransportPolicy.RELAY
    connection = aioice.Connection(**options)
    await connection.gather_candidates()
    emit({
        "type": "local",
        "ufrag": connection.local_username,
        "pwd": connection.local_password,
        "candidates": [
            {"foundation": c.foundation, "component": c.component, "priority": c.priority,
             "ip": c.host, "port": c.port, "type": c.type}
            for c in connection.local_candidates
        ],
    })

    remote = await read_line()
    if remote is None or remote.get("type") != "remote":
        raise RuntimeError(f"expected the remote description, got {remote!r}")
    connection.remote_username = remote["ufrag"]
    connection.remote_password = remote["pwd"]
    for c in remote["candidates"]:
        if not ipaddress.ip_address(c["ip"]).is_loopback:
            raise RuntimeError(f"refusing non-loopback remote candidate {c}")
        await connection.add_remote_candidate(aioice.Candidate(
            foundation=c["foundation"], component=c["component"], transport="udp",
            priority=c["priority"], host=c["ip"], port=c["port"], type=c["type"]))
    await connection.add_remote_candidate(None)

    checks_started = time.monotonic()
    await connection.connect()
    pair = connection._nominated[1]  # aioice keeps the selected pair per component here
    emit({
        "type": "connected",
        "local": address((pair.local_candidate.host, pair.local_candidate.port)),
        "local_type": pair.local_candidate.type,
        "remote": address(pair.remote_addr),
        "remote_type": pair.remote_candidate.type,
        "elapsed_ms": round((time.monotonic() - checks_started) * 1000, 1),
        "since_start_ms": round((time.monotonic() - started) * 1000, 1),
    })
    await connection.send(b"hello from aioice")

    async def echo():
        while True:
            data = await connection.recv()
            emit({"type": "received", "data": data.decode("utf-8", "replace")})
            await connection.send(b"echo:" + data)

    echoing = asyncio.ensure_future(echo())
    try:
        while True:
            message = await read_line()
            if message is None or message.get("type") == "close":
                break
    finally:
        echoing.cancel()
        await connection.close()
    emit({"type": "closed"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", choices=["controlling", "controlled"], required=True)
    parser.add_argument("--turn", help="TURN server HOST:PORT (loopback only)")
    parser.add_argument("--turn-user")
    parser.add_argument("--turn-pass")
    parser.add_argument("--relay-only", action="store_true", help="gather only a relayed candidate")
    parser.add_argument("--timeout", type=float, default=20.0, help="give up after this many seconds")
    args = parser.parse_args()
    aioice.ice.get_host_addresses = loopback_only
    try:
        asyncio.run(asyncio.wait_for(serve(args), args.timeout))
    except BaseException as error:  # report every failure on the protocol channel
        if isinstance(error, SystemExit) and not error.code:
            raise
        emit({"type": "error", "reason": f"{type(error).__name__}: {error}"})
        sys.exit(1)


if __name__ == "__main__":
    main()
