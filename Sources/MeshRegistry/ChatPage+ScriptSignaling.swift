extension ChatPage {
    /// The script's signaling: token, WebSocket, register, presence, offers, answers and candidates.
    static let scriptSignaling = #"""
      // ---- signaling -----------------------------------------------------------------

      class NeedKey extends Error {}

      async function fetchToken() {
        const headers = state.apiKey ? {"x-api-key": state.apiKey} : {"x-peer-name": state.name};
        const response = await fetch("/api/token", {method: "POST", headers, cache: "no-store"});
        if (response.status === 401) {
          throw new NeedKey(state.apiKey ? "The registry refused this API key."
                                         : "This registry needs an API key: enter one below.");
        }
        if (!response.ok) throw new Error(`The token request failed (HTTP ${response.status}).`);
        const body = await response.json();
        if (typeof body.token !== "string" || typeof body.peer_id !== "string" || !body.peer_id) {
          throw new Error("The registry's token answer has no token or peer_id.");
        }
        return body;
      }

      function openSocket(token) {
        const scheme = location.protocol === "https:" ? "wss:" : "ws:";
        const ws = new WebSocket(`${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`);
        return new Promise((resolve, reject) => {
          ws.onopen = () => resolve(ws);
          ws.onerror = () => reject(new Error("The signaling WebSocket did not open."));
          ws.onclose = () => reject(new Error("The signaling WebSocket closed at once."));
        });
      }

      async function connect() {
        const {token, peer_id: id} = await fetchToken();
        if (state.me && state.me !== id) resetMesh();
        state.me = id;
        const ws = await openSocket(token);
        state.ws = ws;
        ws.onmessage = event => { if (typeof event.data === "string") onSignal(event.data); };
        ws.onerror = null;
        ws.onclose = event => onSocketClosed(ws, event);
        sendSignal("register", null, {});
      }

      function sendSignal(type, target, payload) {
        const ws = state.ws;
        if (!ws || ws.readyState !== WebSocket.OPEN) return false;
        const frame = {type, peer_id: state.me, payload};
        if (target !== null) frame.target_id = target;
        ws.send(JSON.stringify(frame));
        return true;
      }

      // 1001 (the registry stops), 1006 (the connection broke), 1011-1013 (server trouble):
      // come back with a fresh token. Other codes are final: 4000 means a newer session under
      // this name replaced this one (two tabs with one name must not take turns forever),
      // 1008 a flood or a reader too slow.
      function onSocketClosed(ws, event) {
        if (state.ws !== ws) return;
        state.ws = null;
        state.joined = false;
        const transient = [1001, 1006, 1011, 1012, 1013].includes(event.code);
        if (state.stopped || !transient) {
          const reason = event.reason ? `: ${event.reason}` : "";
          addLog("error", null, event.code === 4000
            ? `Another session joined as ${state.me}, so the registry let this one go. Reload to join again.`
            : `The registry closed the signaling connection (code ${event.code}${reason}). Open channels stay up; reload to join again.`);
          setStatus("off", "signaling closed");
          render();
          return;
        }
        addLog("error", null, "Lost the registry. Open channels stay up; reconnecting…");
        scheduleReconnect();
      }

      function scheduleReconnect() {
        const delay = Math.min(15000, 1000 * 2 ** Math.min(state.retries, 4));
        state.retries += 1;
        setStatus("connecting", `reconnecting in ${Math.round(delay / 1000)} s`);
        render();
        clearTimeout(state.retryTimer);
        state.retryTimer = setTimeout(async () => {
          try { await connect(); } catch (error) { scheduleReconnect(); }
        }, delay);
      }

      function onSignal(text) {
        let frame;
        try { frame = JSON.parse(text); } catch { addLog("error", null, "The registry sent a frame that is not JSON."); return; }
        if (!frame || typeof frame !== "object" || typeof frame.type !== "string") return;
        const payload = frame.payload && typeof frame.payload === "object" ? frame.payload : {};
        const from = typeof frame.peer_id === "string" ? frame.peer_id : "";
        const relayed = ["offer", "answer", "ice_candidate"].includes(frame.type);
        if (relayed && (!NAME_RE.test(from) || from === state.me)) return;
        switch (frame.type) {
          case "peer_list":
            if (Array.isArray(payload.peers)) onPeerList(payload.peers.filter(id => typeof id === "string" && NAME_RE.test(id)));
            break;
          case "peer_joined":
            if (typeof payload.peer_id === "string" && NAME_RE.test(payload.peer_id)) onJoined(payload.peer_id);
            break;
          case "peer_left":
            if (typeof payload.peer_id === "string") onLeft(payload.peer_id);
            break;
          case "offer":
            if (typeof payload.sdp === "string") onOffer(from, payload.sdp);
            break;
          case "answer":
            if (typeof payload.sdp === "string") onAnswer(from, payload.sdp);
            break;
          case "ice_candidate":
            onCandidate(from, payload);
            break;
          case "error": {
            const message = typeof payload.message === "string" ? payload.message : "an error";
            const code = typeof payload.code === "string" || typeof payload.code === "number" ? ` (${payload.code})` : "";
            addLog("error", null, `Registry: ${message}${code}`);
            break;
          }
          default:
            break;                      // newer frame types: nothing to do here
        }
      }

      function onPeerList(peers) {
        const others = new Set(peers.filter(id => id !== state.me));
        const first = !state.log.length;
        state.joined = true;
        state.retries = 0;
        for (const [id, peer] of state.peers) {
          if (!others.has(id) && !isOpen(peer)) dropPeer(id);
        }
        state.online = new Set([...state.online].filter(id => others.has(id) || isOpen(state.peers.get(id))));
        for (const id of others) state.online.add(id);
        showChat();
        const names = [...others].sort();
        if (first) {
          addLog("system", null, names.length ? `You joined as ${state.me}. Online: ${names.join(", ")}.`
                                              : `You joined as ${state.me}. Nobody else is here yet.`);
        } else {
          addLog("system", null, `Back with the registry as ${state.me}.`);
        }
        // The newcomer offers to everyone already here.
        for (const id of names) {
          const peer = peerFor(id);
          if (!isOpen(peer) && !peer.pc) startOffer(peer);
        }
        render();
      }

      function onJoined(id) {
        if (id === state.me) return;
        state.online.add(id);
        peerFor(id);                    // the newcomer offers to us
        addLog("system", null, `${id} joined`);
        render();
      }

      function onLeft(id) {
        if (!state.online.has(id) && !state.peers.has(id)) return;
        state.online.delete(id);
        dropPeer(id);
        addLog("system", null, `${id} left`);
        render();
      }

    """#
}
