"""Capture real SDPs from headless Chromium and aiortc for Tests/SDPTests/Fixtures.

Run through capture.sh, which puts this process in a private network namespace
(loopback + a veth pair, both ends inside, with documentation addresses 192.0.2.10 and
2001:db8::10), so ICE gathering and mDNS never send a packet off this machine.
Usage: capture.sh OUTPUT_DIR
"""
import asyncio, json, os, signal, subprocess, sys, tempfile

from aiortc import RTCPeerConnection, RTCSessionDescription
import aiortc

HERE = os.path.dirname(os.path.abspath(__file__))
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
    "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-sync", "--disable-default-apps", "--disable-extensions",
]


def chromium(offer, mdns):
    """Runs the page once; returns the SDP Chromium printed (an offer, or an answer to `offer`)."""
    with open(os.path.join(HERE, "page.template.html")) as f:
        page = f.read().replace("__OFFER__", json.dumps(offer))
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        path = os.path.join(tmp, "page.html")
        with open(path, "w") as f:
            f.write(page)
        flags = CHROMIUM_FLAGS + ["--user-data-dir=" + os.path.join(tmp, "profile")]
        if not mdns:
            flags.append("--disable-features=WebRtcHideLocalIpsWithMdns")
        proc = subprocess.Popen(["chromium"] + flags + ["file://" + path],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)
        try:
            for line in proc.stdout:
                marker = line.find("SDP-CAPTURE ")
                if marker < 0:
                    continue
                payload = line[marker + len("SDP-CAPTURE "):]
                # Chromium's console log line ends with '", source: ... (N)'.
                payload = payload[: payload.rfind('", source:')]
                record = json.loads(payload)
                if record["kind"] == "error":
                    raise SystemExit("chromium: " + record["sdp"])
                return record["sdp"]
        finally:
            # Chromium's helpers share its session: end them all so the profile is free.
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    raise SystemExit("chromium printed no SDP")


async def aiortc_offer():
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    await pc.setLocalDescription(await pc.createOffer())  # aiortc gathers fully here
    sdp = pc.localDescription.sdp
    await pc.close()
    return sdp


async def aiortc_answer(offer):
    pc = RTCPeerConnection()
    await pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
    await pc.setLocalDescription(await pc.createAnswer())
    sdp = pc.localDescription.sdp
    await pc.close()
    return sdp


def write(out, name, sdp):
    with open(os.path.join(out, name), "w", newline="") as f:
        f.write(sdp)
    print("wrote", name, len(sdp), "bytes")


def main():
    out = sys.argv[1]
    version = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    print("chromium:", version, "| aiortc:", aiortc.__version__)
    chrome_offer = chromium(None, mdns=False)
    write(out, "chromium-offer.sdp", chrome_offer)
    write(out, "chromium-offer-mdns.sdp", chromium(None, mdns=True))
    offer = asyncio.run(aiortc_offer())
    write(out, "aiortc-offer.sdp", offer)
    write(out, "chromium-answer-to-aiortc.sdp", chromium(offer, mdns=False))
    write(out, "aiortc-answer-to-chromium.sdp", asyncio.run(aiortc_answer(chrome_offer)))


if __name__ == "__main__":
    main()
