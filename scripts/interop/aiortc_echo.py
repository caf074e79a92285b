#!/usr/bin/env python3
"""aiortc (PyPI) DataChannel echo peer, both roles of the webrtc-echoes convention.

Run with the repository's .venv (scripts/setup-python.sh installs the pinned aiortc):
  .venv/bin/python scripts/interop/aiortc_echo.py --serve --listen 127.0.0.1:0
  .venv/bin/python scripts/interop/aiortc_echo.py http://127.0.0.1:PORT/offer [--size N] [--json]

Loopback only: aioice (under aiortc) enumerates interfaces and leaves 127.0.0.1 out;
like aioice_peer.py, this script replaces that enumeration with ["127.0.0.1"]. No
ICE server is configured (aiortc would otherwise default to a public STUN server),
and candidates that are not 127.0.0.1 are cut from every SDP in or out.
"""

import asyncio
import logging
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import aioice.ice  # noqa: E402
import aiortc  # noqa: E402
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription  # noqa: E402

import echo_common as common  # noqa: E402

PROG = "aiortc-echo"
PEER = "aiortc"
VERSION = f"aiortc {aiortc.__version__} (aioice {aioice.__version__})"


def loopback_only(use_ipv4, use_ipv6):
    # Replaces aioice's interface enumeration (which leaves out 127.0.0.1).
    return ["127.0.0.1"] if use_ipv4 else []


_connection_made = aioice.ice.StunProtocol.connection_made


def connection_made_big_buffers(self, transport):
    # SCTP bursts hundreds of datagrams at once; a Python peer that falls behind would
    # lose them in the kernel's default 208 KiB buffer, which partial-reliable channels
    # do not repair. Ask for 4 MiB (SO_RCVBUFFORCE as root, else up to rmem_max).
    sock = transport.get_extra_info("socket")
    if sock is not None:
        for force, plain in ((33, socket.SO_RCVBUF), (32, socket.SO_SNDBUF)):
            try:
                sock.setsockopt(socket.SOL_SOCKET, force, 4 << 20)
            except OSError:
                try:
                    sock.setsockopt(socket.SOL_SOCKET, plain, 4 << 20)
                except OSError:
                    pass
    return _connection_made(self, transport)


def new_peer_connection() -> RTCPeerConnection:
    return RTCPeerConnection(RTCConfiguration(iceServers=[]))


class Client(common.ClientAdapter):
    def __init__(self):
        self.pc = new_peer_connection()
        self.channels = {}
        self.inbox = {}
        self.opened = {}
        self.failed = asyncio.get_running_loop().create_future()

        @self.pc.on("connectionstatechange")
        def on_state():
            if self.pc.connectionState == "failed" and not self.failed.done():
                self.failed.set_exception(common.StepFailed("peer connection failed"))

        for spec in common.CHANNELS:
            label = spec["label"]
            channel = self.pc.createDataChannel(label, ordered=spec["ordered"],
                                                maxRetransmits=spec["max_retransmits"],
                                                maxPacketLifeTime=spec["max_packet_life_time"])
            inbox = self.inbox[label] = asyncio.Queue()
            opened = self.opened[label] = asyncio.Event()
            channel.on("open", opened.set)
            channel.on("message", inbox.put_nowait)
            channel.on("close", lambda inbox=inbox: inbox.put_nowait(None))
            self.channels[label] = channel

    async def create_offer(self):
        await self.pc.setLocalDescription(await self.pc.createOffer())  # gathers fully
        return self.pc.localDescription.sdp

    async def apply_answer(self, sdp):
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))

    async def wait_open(self):
        waits = [asyncio.ensure_future(e.wait()) for e in self.opened.values()]
        try:
            await asyncio.wait([asyncio.gather(*waits), self.failed], return_when=asyncio.FIRST_COMPLETED)
            if self.failed.done():
                self.failed.result()
        finally:
            for w in waits:
                w.cancel()

    async def send(self, label, data):
        self.channels[label].send(data)

    async def recv(self, label):
        message = await self.inbox[label].get()
        if message is None:
            raise common.StepFailed(f"channel {label} closed")
        return message

    async def close(self):
        await self.pc.close()


class Server:
    def __init__(self, args):
        self.args = args
        self.pcs = set()

    async def answer(self, offer_sdp):
        pc = new_peer_connection()
        self.pcs.add(pc)
        common.log(PROG, f"new peer connection ({len(self.pcs)} open)")

        async def drop(why):
            if pc in self.pcs:
                self.pcs.discard(pc)
                await pc.close()
                common.log(PROG, f"peer connection {why}, closed ({len(self.pcs)} open)")

        @pc.on("datachannel")
        def on_datachannel(channel):
            common.log(PROG, f"channel {channel.label!r} open: ordered={channel.ordered} "
                             f"maxRetransmits={channel.maxRetransmits} maxPacketLifeTime={channel.maxPacketLifeTime}")

            @channel.on("message")
            def on_message(message):
                try:
                    channel.send(message)
                except Exception as error:  # noqa: BLE001 - keep echoing the others
                    common.log(PROG, f"channel {channel.label!r}: echo of {common.describe(message)}: {error}")

        @pc.on("connectionstatechange")
        async def on_state():
            if pc.connectionState in ("failed", "closed"):
                await drop(pc.connectionState)

        async def watchdog():
            await asyncio.sleep(self.args.step_timeout + 10)
            if pc.connectionState != "connected":
                await drop("not connected in time")

        pc._echo_watchdog = asyncio.ensure_future(watchdog())
        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
            await pc.setLocalDescription(await pc.createAnswer())  # gathers fully
        except BaseException:
            await drop("failed negotiation")
            raise
        return pc.localDescription.sdp

    async def shutdown(self):
        for pc in list(self.pcs):
            await pc.close()
        self.pcs.clear()


def main():
    args = common.parse_args(PROG, __doc__.splitlines()[0])
    aioice.ice.get_host_addresses = loopback_only
    aioice.ice.StunProtocol.connection_made = connection_made_big_buffers
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.ERROR, stream=sys.stderr)
    if args.serve:
        server = Server(args)
        info = {"peer": PEER, "version": VERSION}
        code = asyncio.run(common.serve(args, PROG, info, server.answer, server.shutdown))
    else:
        async def make():
            return Client()
        code = asyncio.run(common.run_client(args, PEER, VERSION, PROG, make))
    sys.exit(code)


if __name__ == "__main__":
    main()
