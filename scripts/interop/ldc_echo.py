#!/usr/bin/env python3
"""libdatachannel (PyPI aiolibdatachannel) DataChannel echo peer, both roles of webrtc-echoes.

Needs CPython >= 3.12: run with .venv-ldc (scripts/setup-ldc.sh makes it):
  .venv-ldc/bin/python scripts/interop/ldc_echo.py --serve --listen 127.0.0.1:0
  .venv-ldc/bin/python scripts/interop/ldc_echo.py http://127.0.0.1:PORT/offer [--size N] [--json]

Loopback only. libdatachannel's ICE (libjuice) binds ONE wildcard UDP socket per peer
connection and lists it under each non-loopback interface address, never 127.0.0.1 (and
nothing at all in a loopback-only namespace); the wrapper exposes no bind address. So
each description is made under a lock, the socket is found among this process's own
wildcard UDP sockets (/proc/self/fd + /proc/self/net/udp{,6}), and the SDP that goes out
carries one candidate, 127.0.0.1 on that socket's port; every other candidate is cut.
Remote candidates that are not 127.0.0.1 are cut too, so connectivity checks only ever
go to 127.0.0.1. No ICE server is configured.
"""

import asyncio
import logging
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import aiolibdatachannel as ldc  # noqa: E402
from aiolibdatachannel import (  # noqa: E402
    DataChannelOptions, PeerConnection, RTCConfiguration, RTCState, StateChangeEvent)

import echo_common as common  # noqa: E402

PROG = "ldc-echo"
PEER = "libdatachannel"
VERSION = f"libdatachannel via aiolibdatachannel {ldc.__version__} (CPython {sys.version.split()[0]})"


def own_wildcard_udp_ports() -> set[int]:
    """UDP ports of this process's sockets bound to 0.0.0.0 or :: (libjuice's)."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for path, wildcard in (("/proc/self/net/udp", "00000000"), ("/proc/self/net/udp6", "0" * 32)):
        try:
            with open(path) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    address, port = fields[1].split(":")
                    if address == wildcard and fields[9] in inodes:
                        ports.add(int(port, 16))
        except (OSError, IndexError, StopIteration):
            pass
    return ports


class Ports:
    """Which of this process's libjuice sockets belongs to which peer connection.

    libjuice lists its one wildcard socket under every non-loopback address, and lists
    nothing at all where there is none (a loopback-only namespace). Either way the
    socket is ours and listens on 127.0.0.1 too: a description is made under a lock,
    so the one wildcard socket not yet claimed is the new peer connection's.
    """

    def __init__(self):
        self.lock = asyncio.Lock()
        self.claimed: dict[int, object] = {}

    def release(self, owner) -> None:
        for port in [p for p, o in self.claimed.items() if o is owner]:
            del self.claimed[port]

    def loopback_sdp(self, sdp: str, owner) -> str:
        """Claims owner's socket; returns sdp with one 127.0.0.1 host candidate on it."""
        ours = own_wildcard_udp_ports()
        listed = {int(port) for _, _, port, _ in common.candidates(sdp)}
        fresh = ours - set(self.claimed)
        mine = (fresh & listed) or fresh
        if len(mine) != 1:
            raise ValueError(f"cannot tell libjuice's socket for this peer connection "
                             f"(unclaimed wildcard UDP ports {sorted(fresh)}, listed {sorted(listed)})")
        port = mine.pop()
        self.claimed[port] = owner
        lines = [line for line in sdp.replace("\r\n", "\n").split("\n") if line]
        candidate = f"a=candidate:1 1 UDP 2130706431 127.0.0.1 {port} typ host"
        at = next((i for i, line in enumerate(lines) if line.startswith("a=candidate:")
                   or line == "a=end-of-candidates"), len(lines))
        lines.insert(at, candidate)
        return common.loopback_sdp("\r\n".join(lines), "local", PROG)


PORTS = Ports()


def config() -> RTCConfiguration:
    return RTCConfiguration(ice_servers=[])


class Client(common.ClientAdapter):
    async def setup(self):
        self.pc = PeerConnection(config())
        self.channels = {}
        for spec in common.CHANNELS:
            options = DataChannelOptions(ordered=spec["ordered"], max_retransmits=spec["max_retransmits"],
                                         max_packet_lifetime_ms=spec["max_packet_life_time"])
            self.channels[spec["label"]] = await self.pc.create_data_channel(spec["label"], options)
        return self

    async def create_offer(self):
        async with PORTS.lock:
            offer = await self.pc.create_offer()  # waits for gathering complete
            return PORTS.loopback_sdp(offer.sdp, self)

    async def apply_answer(self, sdp):
        await self.pc.set_remote_description(sdp, "answer")

    async def wait_open(self):
        await asyncio.gather(*(c.wait_open() for c in self.channels.values()))

    async def send(self, label, data):
        await self.channels[label].send(data)

    async def recv(self, label):
        try:
            return await self.channels[label].recv()
        except ldc.ConnectionClosedError as error:
            raise common.StepFailed(f"channel {label} closed: {error}") from None

    async def close(self):
        await self.pc.aclose()


class Server:
    def __init__(self, args):
        self.args = args
        self.pcs = set()

    async def drop(self, pc, why):
        if pc in self.pcs:
            self.pcs.discard(pc)
            await pc.aclose()
            PORTS.release(pc)
            common.log(PROG, f"peer connection {why}, closed ({len(self.pcs)} open)")

    async def echo(self, channel):
        common.log(PROG, f"channel {channel.label!r} open")
        async for message in channel:
            try:
                await channel.send(message)
            except Exception as error:  # noqa: BLE001 - keep echoing
                common.log(PROG, f"channel {channel.label!r}: echo of {common.describe(message)}: {error}")

    async def watch(self, pc):
        connected = asyncio.Event()

        async def events():
            async for event in pc.events():
                if isinstance(event, StateChangeEvent):
                    if event.state == RTCState.CONNECTED:
                        connected.set()
                    elif event.state in (RTCState.DISCONNECTED, RTCState.FAILED, RTCState.CLOSED):
                        asyncio.ensure_future(self.drop(pc, event.state.name.lower()))
                        return

        async def accept():
            async for channel in pc.incoming_data_channels():
                pc.spawn_task(self.echo(channel))

        pc.spawn_task(events())
        pc.spawn_task(accept())
        try:
            await asyncio.wait_for(connected.wait(), self.args.step_timeout + 10)
        except asyncio.TimeoutError:
            await self.drop(pc, "not connected in time")

    async def answer(self, offer_sdp):
        pc = PeerConnection(config())
        self.pcs.add(pc)
        common.log(PROG, f"new peer connection ({len(self.pcs)} open)")
        asyncio.ensure_future(self.watch(pc))
        try:
            await pc.set_remote_description(offer_sdp, "offer")
            async with PORTS.lock:
                answer = await pc.create_answer()  # waits for gathering complete
                return PORTS.loopback_sdp(answer.sdp, pc)
        except BaseException:
            await self.drop(pc, "failed negotiation")
            raise

    async def shutdown(self):
        for pc in list(self.pcs):
            await pc.aclose()
        self.pcs.clear()


def main():
    args = common.parse_args(PROG, __doc__.splitlines()[0])
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(name)s %(levelname)s: %(message)s")
    if args.verbose:
        ldc.install_python_logger(level=ldc.LogLevel.DEBUG)
    else:
        ldc.install_python_logger(level=ldc.LogLevel.WARNING)
    if args.serve:
        server = Server(args)
        info = {"peer": PEER, "version": VERSION}
        code = asyncio.run(common.serve(args, PROG, info, server.answer, server.shutdown))
    else:
        async def make():
            return await Client().setup()
        code = asyncio.run(common.run_client(args, PEER, VERSION, PROG, make))
    sys.exit(code)


if __name__ == "__main__":
    main()
