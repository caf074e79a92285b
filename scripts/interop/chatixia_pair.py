"""Two agents on chatixia-mesh's own Python client, on OUR sidecar and registry.

chatixia's `MeshClient` (PyPI chatixia, unmodified) spawns the sidecar named by
`sidecar_binary` (a wrapper that execs `datachannel-chat sidecar`) with IPC_SOCKET
set, waits for the socket, and speaks JSON lines to it. This driver starts two of
them with different API keys (TOKEN_URL, SIGNALING_URL and API_KEY come from the
environment, as chatixia's sidecar reads them), waits for the mesh, then exercises
send, request (answered by the other agent with the same request_id), broadcast and
list_peers, and stops both. It prints one JSON object: what happened and when
(seconds since start); the Swift test (Tests/MeshToolTests/ChatixiaClientTests.swift)
asserts on it. Run with .venv-chatixia/bin/python (scripts/setup-chatixia.sh).

    chatixia_pair.py --sidecar WRAPPER --token-url URL --signaling-url URL \
        --agent alice=KEY_A --agent bob=KEY_B --workdir DIR
"""

import argparse
import asyncio
import json
import os
import sys
import time
import traceback

from chatixia.core.mesh_client import MeshClient, MeshMessage

T0 = time.monotonic()


def now() -> float:
    return round(time.monotonic() - T0, 3)


async def wait_for(predicate, timeout: float, what: str) -> float:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.02)
    return now()


SPAWNED: list = []  # sidecar processes, killed if the run fails halfway


async def run(args, result: dict) -> None:
    os.environ["TOKEN_URL"] = args.token_url
    os.environ["SIGNALING_URL"] = args.signaling_url
    (name_a, key_a), (name_b, key_b) = [a.split("=", 1) for a in args.agent]
    clients: dict[str, MeshClient] = {}
    inbox: dict[str, list] = {name_a: [], name_b: []}
    events: dict[str, list] = {name_a: [], name_b: []}

    for name, key in ((name_a, key_a), (name_b, key_b)):
        # MeshClient copies os.environ when it spawns the sidecar: one API_KEY per agent.
        os.environ["API_KEY"] = key
        client = MeshClient(socket_path=os.path.join(args.workdir, f"{name}.sock"), sidecar_binary=args.sidecar)
        started = time.monotonic()
        try:
            await client.start()
        finally:
            SPAWNED.append(client._sidecar_proc)
        result["steps"][f"{name}_started"] = now()
        result["start_seconds"][name] = round(time.monotonic() - started, 3)
        clients[name] = client

        def on_message(data, name=name):
            inbox[name].append(data["payload"])

        def on_any(data, name=name):
            events[name].append(data.get("type"))

        client.on("message", on_message)
        client.on("*", on_any)

    a, b = clients[name_a], clients[name_b]

    async def answer_requests(data):
        message = data["payload"]["message"]
        if message.get("type") == "task_request":
            await b.send(data["payload"]["from_peer"], MeshMessage(
                msg_type="task_response", request_id=message["request_id"], source_agent=name_b,
                target_agent=message.get("source_agent", ""), payload={"answer": message["payload"]["x"] * 2}))

    b.on("message", answer_requests)

    result["steps"]["mesh_formed"] = await wait_for(
        lambda: name_b in a.peers and name_a in b.peers, 20, "peer_connected on both sides")

    # send: alice -> bob
    await a.send(name_b, MeshMessage(msg_type="chat", source_agent=name_a, target_agent=name_b,
                                     payload={"text": "hello bob"}))
    await wait_for(lambda: any(m["message"].get("type") == "chat" for m in inbox[name_b]), 10, "bob gets the chat")
    chat = next(m for m in inbox[name_b] if m["message"].get("type") == "chat")
    result["send"] = {"from_peer": chat["from_peer"], "message": chat["message"]}
    result["steps"]["send_delivered"] = now()

    # request: alice -> bob, bob answers with the same request_id
    response = await a.request(name_b, MeshMessage(msg_type="task_request", source_agent=name_a,
                                                   target_agent=name_b, payload={"x": 21}), timeout=15)
    result["request"] = response
    result["steps"]["request_answered"] = now()

    # broadcast: bob -> everyone (alice)
    await b.broadcast(MeshMessage(msg_type="announce", source_agent=name_b, payload={"note": "hi all"}))
    await wait_for(lambda: any(m["message"].get("type") == "announce" for m in inbox[name_a]), 10,
                   "alice gets the broadcast")
    announce = next(m for m in inbox[name_a] if m["message"].get("type") == "announce")
    result["broadcast"] = {"from_peer": announce["from_peer"], "message": announce["message"]}
    result["steps"]["broadcast_delivered"] = now()

    # list_peers through the sidecar (peer_list event)
    result["list_peers"] = {name_a: sorted(await a.list_peers()), name_b: sorted(await b.list_peers())}
    result["steps"]["listed"] = now()

    # alice leaves: bob's sidecar reports peer_disconnected
    await a.stop()
    result["alice_sidecar_exit"] = a._sidecar_proc.returncode if a._sidecar_proc else None
    result["steps"]["alice_stopped"] = now()
    await wait_for(lambda: name_a not in b.peers, 15, "bob sees alice disconnect")
    result["steps"]["bob_saw_disconnect"] = now()
    await b.stop()
    result["bob_sidecar_exit"] = b._sidecar_proc.returncode if b._sidecar_proc else None
    result["event_types"] = {name: sorted(set(kinds)) for name, kinds in events.items()}
    result["ok"] = True


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sidecar", required=True)
    parser.add_argument("--token-url", required=True)
    parser.add_argument("--signaling-url", required=True)
    parser.add_argument("--agent", action="append", required=True, help="NAME=API_KEY (twice)")
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    if len(args.agent) != 2:
        parser.error("give --agent twice")
    result = {"ok": False, "steps": {}, "start_seconds": {}}
    try:
        asyncio.run(asyncio.wait_for(run(args, result), 90))
    except BaseException as error:  # the Swift test reads the reason from the JSON
        result["error"] = f"{type(error).__name__}: {error}"
        result["traceback"] = traceback.format_exc()[-2000:]
    for process in SPAWNED:
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
    print(json.dumps(result, sort_keys=True))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
