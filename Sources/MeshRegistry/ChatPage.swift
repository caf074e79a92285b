/// The web page the registry serves at `/`: a person joins the mesh from a
/// browser with the browser's own RTCPeerConnection.
///
/// One document (HTML, CSS and JavaScript, no external resources, so it works
/// offline and the registry serves it without a file system). The page takes a
/// token (`POST /api/token`, lab mode by name, else by API key), opens
/// `/ws?token=`, registers, offers a "mesh" DataChannel to every peer in
/// `peer_list`, answers offers (glare: the lower peer id keeps its offer), keeps
/// candidates that come before their description, shows presence from
/// `peer_joined`/`peer_left`, and exchanges `chat` mesh messages
/// (`{"type","request_id","source_agent","target_agent","payload":{"text"}}`).
/// Peer data reaches the DOM only as text. `window.meshTest` is a read-only hook
/// for `scripts/interop/chromium_mesh.py`.
public enum ChatPage {
    /// The whole page, served as `text/html; charset=utf-8`. A raw string, so the
    /// JavaScript's backslashes and `\(` stay as written.
    public static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Mesh chat · datachannel-chat</title>
    <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 40 40'%3E%3Cg stroke='%237d95ff' stroke-width='3'%3E%3Cline x1='9' y1='11' x2='31' y2='11'/%3E%3Cline x1='9' y1='11' x2='20' y2='31'/%3E%3Cline x1='31' y1='11' x2='20' y2='31'/%3E%3C/g%3E%3Ccircle cx='9' cy='11' r='6' fill='%235b7cfa'/%3E%3Ccircle cx='31' cy='11' r='6' fill='%2348c774'/%3E%3Ccircle cx='20' cy='31' r='6' fill='%23f5b73b'/%3E%3C/svg%3E">
    <style>
    :root {
      --bg: #eef1f6; --panel: #ffffff; --ink: #1c2333; --muted: #687086; --line: #dfe4ee;
      --accent: #3558d8; --accent-soft: #e8edff; --ok: #2b9a48; --wait: #e8a317; --bad: #d93b3b; --idle: #a9b1c1;
      --radius: 14px;
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
      font-size: 15px; color: var(--ink); background: var(--bg);
    }
    * { box-sizing: border-box; }
    html, body { height: 100%; margin: 0; }
    body { display: flex; flex-direction: column; }
    [hidden] { display: none !important; }
    code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .92em; }

    .top { display: flex; align-items: center; justify-content: space-between; gap: 16px;
           padding: 14px 28px; background: #18203a; color: #f3f5fb; }
    .brand { display: flex; align-items: center; gap: 14px; }
    .logo { width: 44px; height: 44px; flex: none; padding: 5px; border-radius: 12px; background: rgba(255,255,255,.07); }
    .top h1 { margin: 0; font-size: 20px; font-weight: 700; letter-spacing: .2px; }
    .top p { margin: 2px 0 0; font-size: 13px; color: #aab3cc; }
    .pill { display: inline-flex; align-items: center; gap: 8px; padding: 7px 14px; border-radius: 999px;
            background: rgba(255,255,255,.09); font-size: 13px; white-space: nowrap; }
    .pill .dot { box-shadow: 0 0 0 3px rgba(255,255,255,.08); }

    .app { flex: 1; min-height: 0; display: grid; grid-template-columns: 290px 1fr; gap: 20px; padding: 20px 28px 24px; }
    .card { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius);
            box-shadow: 0 1px 2px rgba(20,30,60,.05), 0 6px 20px rgba(20,30,60,.05); }

    .side { display: flex; flex-direction: column; min-height: 0; padding: 18px 16px; }
    .side h2 { display: flex; align-items: center; justify-content: space-between; margin: 0 6px 12px;
               font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); }
    .count { min-width: 24px; padding: 2px 8px; border-radius: 999px; background: var(--accent-soft); color: var(--accent);
             font-size: 12px; text-align: center; letter-spacing: 0; }
    .peers { list-style: none; margin: 0; padding: 0; overflow-y: auto; flex: 1; }
    .peer { display: flex; align-items: center; gap: 11px; padding: 9px 8px; border-radius: 10px; }
    .peer + .peer { margin-top: 2px; }
    .peer.me { background: #f5f7fc; }
    .avatar { position: relative; width: 36px; height: 36px; flex: none; border-radius: 50%; display: grid; place-items: center;
              color: #fff; font-weight: 700; font-size: 15px; text-transform: uppercase; }
    .avatar .dot { position: absolute; right: -2px; bottom: -2px; border: 2.5px solid var(--panel); width: 13px; height: 13px; }
    .who { min-width: 0; display: flex; flex-direction: column; }
    .who b { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .who small { color: var(--muted); font-size: 12.5px; }
    .tag { margin-left: 6px; padding: 1px 7px; border-radius: 999px; background: var(--accent-soft); color: var(--accent);
           font-size: 11px; font-weight: 600; vertical-align: 1px; }
    .empty { margin: 6px; color: var(--muted); font-size: 13.5px; line-height: 1.45; }
    .how { margin: 12px 6px 0; padding: 12px 14px; border-radius: 10px; background: #f5f7fc; }
    .how h3 { margin: 0 0 4px; font-size: 12.5px; font-weight: 700; color: var(--ink); }
    .how p { margin: 0; font-size: 12.5px; line-height: 1.5; color: var(--muted); }
    .legend { margin: 12px 6px 0; padding-top: 14px; border-top: 1px solid var(--line); display: grid;
              grid-template-columns: 1fr 1fr; gap: 7px 10px; font-size: 12px; color: var(--muted); }
    .legend span { display: flex; align-items: center; gap: 7px; }

    .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; background: var(--idle); flex: none; }
    .dot.open { background: var(--ok); }
    .dot.connecting { background: var(--wait); }
    .dot.waiting { background: var(--idle); }
    .dot.failed, .dot.closed { background: var(--bad); }
    .dot.online { background: var(--ok); }
    .dot.off { background: var(--idle); }

    .chat { display: flex; flex-direction: column; min-height: 0; overflow: hidden; }
    .chat-head { display: flex; align-items: baseline; justify-content: space-between; gap: 12px;
                 padding: 16px 22px; border-bottom: 1px solid var(--line); }
    .chat-head h2 { margin: 0; font-size: 16px; }
    .chat-head span { color: var(--muted); font-size: 13px; }
    .log { list-style: none; margin: 0; padding: 18px 22px; flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: 10px; }
    .msg { display: flex; flex-direction: column; align-items: flex-start; max-width: 72%; }
    .msg.mine { align-self: flex-end; align-items: flex-end; }
    .msg .meta { display: flex; gap: 8px; align-items: baseline; margin: 0 4px 3px; font-size: 12.5px; color: var(--muted); }
    .msg .meta b { font-weight: 600; }
    .bubble { padding: 9px 14px; border-radius: 16px 16px 16px 5px; background: #f0f2f7; line-height: 1.45;
              white-space: pre-wrap; overflow-wrap: anywhere; }
    .msg.mine .bubble { border-radius: 16px 16px 5px 16px; background: var(--accent); color: #fff; }
    .sys { align-self: center; max-width: 90%; padding: 4px 12px; border-radius: 999px; background: #f5f6fa;
           color: var(--muted); font-size: 12.5px; text-align: center; overflow-wrap: anywhere; }
    .sys.error { background: #fdecec; color: #b02a2a; }
    .sys time { margin-left: 6px; opacity: .75; }

    .composer { display: flex; gap: 10px; padding: 14px 16px; border-top: 1px solid var(--line); background: #fafbfd; }
    input { font: inherit; font-weight: 400; color: inherit; }
    .composer input, .join input { flex: 1; min-width: 0; padding: 11px 14px; border: 1px solid #cfd6e4; border-radius: 10px; background: #fff; }
    input:focus { outline: none; border-color: var(--accent); box-shadow: 0 0 0 3px rgba(53,88,216,.16); }
    button { font: inherit; font-weight: 600; padding: 11px 20px; border: 0; border-radius: 10px; background: var(--accent);
             color: #fff; cursor: pointer; }
    button:hover { background: #2b4bc2; }
    button:disabled, input:disabled { opacity: .55; cursor: default; }

    .join { margin: auto; width: min(420px, 92%); padding: 28px 30px 26px; display: flex; flex-direction: column; gap: 14px;
            border: 1px solid var(--line); border-radius: var(--radius); background: #fff; }
    .join h2 { margin: 0; font-size: 20px; }
    .join p { margin: 0; color: var(--muted); line-height: 1.5; font-size: 14px; }
    .join label { display: flex; flex-direction: column; gap: 6px; font-size: 13px; font-weight: 600; }
    .join .error { color: var(--bad); font-size: 13.5px; min-height: 1em; }
    .join-wrap { flex: 1; display: flex; padding: 24px; background: linear-gradient(180deg, #fbfcfe, #f3f5fa); }
    </style>
    </head>
    <body>
    <header class="top">
      <div class="brand">
        <svg class="logo" viewBox="0 0 40 40" aria-hidden="true">
          <g stroke="#7d95ff" stroke-width="2.2" opacity=".9">
            <line x1="9" y1="11" x2="31" y2="11"/><line x1="9" y1="11" x2="20" y2="31"/><line x1="31" y1="11" x2="20" y2="31"/>
          </g>
          <circle cx="9" cy="11" r="5.5" fill="#5b7cfa"/><circle cx="31" cy="11" r="5.5" fill="#48c774"/><circle cx="20" cy="31" r="5.5" fill="#f5b73b"/>
        </svg>
        <div>
          <h1>Mesh chat</h1>
          <p>Browser and agents on one mesh of WebRTC DataChannels · signaling by <code>datachannel-chat serve</code></p>
        </div>
      </div>
      <div class="pill" id="status"><span class="dot off" id="status-dot"></span><span id="status-text">not joined</span></div>
    </header>

    <main class="app">
      <aside class="side card" aria-label="People in the mesh">
        <h2>People online <span class="count" id="count">0</span></h2>
        <ul class="peers" id="peers"></ul>
        <div class="how">
          <h3>How it works</h3>
          <p>The registry only introduces peers: offers, answers and ICE candidates over a WebSocket.
             Every message then travels on a DataChannel straight from peer to peer.</p>
        </div>
        <div class="legend" aria-label="What the dots mean">
          <span><i class="dot open"></i>channel open</span>
          <span><i class="dot connecting"></i>connecting</span>
          <span><i class="dot waiting"></i>waiting for offer</span>
          <span><i class="dot failed"></i>failed or closed</span>
        </div>
      </aside>

      <section class="chat card" aria-label="Chat">
        <div class="chat-head"><h2>Everyone</h2><span id="chat-info">a line you send goes to every open channel</span></div>
        <div class="join-wrap" id="join-wrap">
          <form class="join" id="join" autocomplete="off">
            <h2>Join the mesh</h2>
            <p>Pick a name. Your browser then opens a DataChannel of its own to every peer online, agents and people alike.</p>
            <label>Name <input id="name" name="name" maxlength="64" placeholder="e.g. ada" spellcheck="false" autofocus></label>
            <label id="key-row" hidden>API key <input id="key" name="key" type="password" placeholder="key from the registry's key file"></label>
            <button id="join-button" type="submit">Join</button>
            <div class="error" id="join-error" role="alert"></div>
          </form>
        </div>
        <ol class="log" id="log" aria-live="polite" hidden></ol>
        <form class="composer" id="composer" autocomplete="off" hidden>
          <input id="text" name="text" maxlength="4000" placeholder="Message everyone…" aria-label="Message">
          <button id="send" type="submit">Send</button>
        </form>
      </section>
    </main>

    <script>
    // The page half of the mesh: it joins as a peer with the browser's own
    // RTCPeerConnection, speaking the registry's signaling (token, WebSocket,
    // register, offer/answer/ice_candidate) and the mesh's five-field messages on a
    // "mesh" DataChannel per peer. Peer data only ever reaches the DOM as text.
    "use strict";
    (() => {
      const $ = id => document.getElementById(id);
      const NAME_RE = /^[A-Za-z0-9._-]{1,64}$/;
      const MAX_LOG = 500;              // entries kept (the oldest go first)
      const MAX_SHOWN = 4000;           // characters of one message shown
      const MAX_BUFFERED = 64;          // early candidates kept per peer
      const STATUS_TEXT = {open: "channel open", connecting: "connecting…", waiting: "waiting for offer",
                           failed: "connection failed", closed: "channel closed"};

      const state = {
        me: null, name: null, apiKey: null, needKey: false,
        ws: null, joined: false, stopped: false, retries: 0, retryTimer: null,
        online: new Set(),              // peer ids the registry says are here (not me)
        peers: new Map(),               // id -> connection state (see peerFor)
        log: [],
      };

      // ---- log and rendering -------------------------------------------------------

      function hue(id) {
        let h = 0;
        for (const ch of id) h = (h * 31 + ch.codePointAt(0)) >>> 0;
        return h % 360;
      }
      function clock(date) {
        return date.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit", hour12: false});
      }
      function el(tag, className, text) {
        const node = document.createElement(tag);
        if (className) node.className = className;
        if (text !== undefined) node.textContent = text;
        return node;
      }

      function addLog(kind, from, text) {
        const entry = {kind, from, text: String(text), time: new Date()};
        state.log.push(entry);
        const log = $("log");
        const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
        log.append(renderEntry(entry));
        while (state.log.length > MAX_LOG) { state.log.shift(); log.firstElementChild?.remove(); }
        if (atBottom || from === state.me) log.scrollTop = log.scrollHeight;
      }
      function renderEntry(entry) {
        const shown = entry.text.length > MAX_SHOWN ? entry.text.slice(0, MAX_SHOWN) + "…" : entry.text;
        if (entry.kind !== "chat") {
          const li = el("li", entry.kind === "error" ? "sys error" : "sys", shown);
          li.append(el("time", "", clock(entry.time)));
          return li;
        }
        const mine = entry.from === state.me;
        const li = el("li", mine ? "msg mine" : "msg");
        const meta = el("div", "meta");
        const who = el("b", "", mine ? "me" : entry.from);
        if (!mine) who.style.color = `hsl(${hue(entry.from)} 55% 40%)`;
        meta.append(who, el("time", "", clock(entry.time)));
        li.append(meta, el("div", "bubble", shown));
        return li;
      }
      function lineOf(entry) {
        if (entry.kind !== "chat") return entry.text;
        return `${entry.from === state.me ? "me" : entry.from}: ${entry.text}`;
      }

      function isOpen(peer) { return !!peer && !!peer.dc && peer.dc.readyState === "open"; }
      function statusOf(id) {
        const peer = state.peers.get(id);
        if (!peer || !peer.pc) return "waiting";
        if (isOpen(peer)) return "open";
        if (peer.failed) return "failed";
        if (peer.dc && (peer.dc.readyState === "closed" || peer.dc.readyState === "closing")) return "closed";
        return "connecting";
      }

      function setStatus(kind, text) {
        $("status-dot").className = `dot ${kind}`;
        $("status-text").textContent = text;
      }

      function render() {
        const list = $("peers");
        list.replaceChildren();
        if (state.me) list.append(peerItem(state.me, state.joined ? "online" : "connecting", true));
        const ids = [...state.online].sort();
        for (const id of ids) list.append(peerItem(id, statusOf(id), false));
        if (!state.me) list.append(el("li", "empty", "Join to see who is here."));
        else if (!ids.length && state.joined) list.append(el("li", "empty", "Nobody else yet. Start an agent with datachannel-chat join, or open this page in another tab."));
        $("count").textContent = String(ids.length + (state.me ? 1 : 0));
        if (state.me && state.joined) {
          const open = ids.filter(id => statusOf(id) === "open").length;
          setStatus("online", `${state.me} · ${open} of ${ids.length} channel${ids.length === 1 ? "" : "s"} open`);
        }
      }
      function peerItem(id, status, me) {
        const li = el("li", me ? "peer me" : "peer");
        const avatar = el("span", "avatar", [...id][0] || "?");
        avatar.style.background = `hsl(${hue(id)} 55% 52%)`;
        avatar.append(el("span", `dot ${status}`));
        const who = el("span", "who");
        const name = el("b", "", id);
        if (me) name.append(el("span", "tag", "you"));
        who.append(name, el("small", "", me ? (state.joined ? "in the mesh" : "joining…") : STATUS_TEXT[status]));
        li.title = me ? "this browser" : `${id}: ${STATUS_TEXT[status]}`;
        li.append(avatar, who);
        return li;
      }

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

      // ---- peer connections ------------------------------------------------------------

      function peerFor(id) {
        let peer = state.peers.get(id);
        if (!peer) {
          peer = {id, pc: null, dc: null, failed: false, makingOffer: false, sentDescription: false,
                  early: [],            // remote candidates that came before their description
                  outgoing: []};        // local candidates that came before our description went out
          state.peers.set(id, peer);
        }
        return peer;
      }

      function closeConnection(peer) {
        const {pc, dc} = peer;
        peer.pc = null; peer.dc = null; peer.failed = false; peer.makingOffer = false;
        peer.sentDescription = false; peer.outgoing = [];
        try { dc?.close(); } catch {}
        try { pc?.close(); } catch {}
      }

      function dropPeer(id) {
        const peer = state.peers.get(id);
        if (!peer) return;
        closeConnection(peer);
        state.peers.delete(id);
      }

      function resetMesh() {
        for (const id of [...state.peers.keys()]) dropPeer(id);
        state.online.clear();
      }

      function newConnection(peer) {
        closeConnection(peer);
        const pc = new RTCPeerConnection({iceServers: []});   // loopback and LAN: no STUN server
        peer.pc = pc;
        pc.onicecandidate = event => {
          if (peer.pc !== pc || !event.candidate || !event.candidate.candidate) return;
          const c = event.candidate;
          const payload = {candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex};
          if (peer.sentDescription) sendSignal("ice_candidate", peer.id, payload);
          else peer.outgoing.push(payload);
        };
        pc.ondatachannel = event => { if (peer.pc === pc) attachChannel(peer, event.channel); };
        pc.onconnectionstatechange = () => {
          if (peer.pc !== pc) return;
          if (pc.connectionState === "failed" && !peer.failed) {
            peer.failed = true;
            addLog("error", null, `The connection to ${peer.id} failed.`);
          }
          render();
        };
        render();
        return pc;
      }

      function sendDescription(peer, pc) {
        if (peer.pc !== pc) return;
        sendSignal(pc.localDescription.type, peer.id, {sdp: pc.localDescription.sdp});
        peer.sentDescription = true;
        for (const payload of peer.outgoing.splice(0)) sendSignal("ice_candidate", peer.id, payload);
      }

      async function applyEarlyCandidates(peer, pc) {
        for (const init of peer.early.splice(0)) {
          await pc.addIceCandidate(init).catch(() => {});   // one bad candidate must not stop the rest
        }
      }

      async function startOffer(peer) {
        const pc = newConnection(peer);
        attachChannel(peer, pc.createDataChannel("mesh", {ordered: true}));
        peer.makingOffer = true;
        try {
          await pc.setLocalDescription(await pc.createOffer());
          sendDescription(peer, pc);
        } catch (error) {
          if (peer.pc === pc) addLog("error", null, `Could not offer to ${peer.id}: ${error.message}`);
        } finally {
          if (peer.pc === pc) peer.makingOffer = false;
        }
      }

      async function onOffer(from, sdp) {
        state.online.add(from);
        const peer = peerFor(from);
        const glare = !!peer.pc && (peer.makingOffer || peer.pc.signalingState === "have-local-offer");
        // Glare: the lower id keeps its offer; the higher one drops its own and answers.
        if (glare && state.me < from) return;
        const pc = newConnection(peer);
        try {
          await pc.setRemoteDescription({type: "offer", sdp});
          await applyEarlyCandidates(peer, pc);
          await pc.setLocalDescription(await pc.createAnswer());
          sendDescription(peer, pc);
        } catch (error) {
          if (peer.pc === pc) {
            peer.failed = true;
            addLog("error", null, `Could not answer ${from}: ${error.message}`);
            render();
          }
        }
      }

      async function onAnswer(from, sdp) {
        const peer = state.peers.get(from);
        const pc = peer?.pc;
        if (!pc || pc.signalingState !== "have-local-offer") return;   // stale or unasked for
        try {
          await pc.setRemoteDescription({type: "answer", sdp});
          await applyEarlyCandidates(peer, pc);
        } catch (error) {
          if (peer.pc === pc) {
            peer.failed = true;
            addLog("error", null, `Bad answer from ${from}: ${error.message}`);
            render();
          }
        }
      }

      function onCandidate(from, payload) {
        let line = typeof payload.candidate === "string" ? payload.candidate.trim() : "";
        if (line.startsWith("a=")) line = line.slice(2);
        if (!line) return;              // end-of-candidates
        // An empty or null sdpMid means m-line 0 (the only one in a DataChannel session).
        const mid = typeof payload.sdpMid === "string" && payload.sdpMid !== "" ? payload.sdpMid : null;
        const index = Number.isInteger(payload.sdpMLineIndex) ? payload.sdpMLineIndex : (mid === null ? 0 : null);
        const init = {candidate: line, sdpMid: mid, sdpMLineIndex: index};
        const peer = peerFor(from);
        if (peer.pc && peer.pc.remoteDescription) {
          peer.pc.addIceCandidate(init).catch(() => {});
        } else if (peer.early.length < MAX_BUFFERED) {
          peer.early.push(init);
        }
      }

      function attachChannel(peer, dc) {
        peer.dc = dc;
        dc.onopen = () => {
          if (peer.dc !== dc) return;
          peer.failed = false;
          addLog("system", null, `DataChannel to ${peer.id} open`);
          render();
        };
        dc.onclose = () => {
          if (peer.dc !== dc) return;
          if (state.online.has(peer.id)) addLog("system", null, `DataChannel to ${peer.id} closed`);
          render();
        };
        dc.onmessage = event => { if (peer.dc === dc) onMeshMessage(peer, event.data); };
        render();
      }

      // ---- mesh messages -----------------------------------------------------------------

      function onMeshMessage(peer, data) {
        if (typeof data !== "string") {
          addLog("system", null, `${peer.id} sent binary data (not shown)`);
          return;
        }
        let message;
        try { message = JSON.parse(data); } catch {
          addLog("error", null, `${peer.id} sent a message that is not JSON.`);
          return;
        }
        if (!message || typeof message !== "object") return;
        const payload = message.payload && typeof message.payload === "object" ? message.payload : {};
        if (message.type === "chat" && typeof payload.text === "string") {
          addLog("chat", peer.id, payload.text);
        } else {
          const type = typeof message.type === "string" ? message.type.slice(0, 40) : "untyped";
          addLog("system", null, `${peer.id} sent a "${type}" message`);
        }
      }

      function requestID() {
        const bytes = crypto.getRandomValues(new Uint8Array(16));   // randomUUID needs a secure context
        return Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
      }

      function sendChat(text) {
        if (!state.me || !text) return 0;
        const message = JSON.stringify({type: "chat", request_id: requestID(), source_agent: state.me,
                                        target_agent: "", payload: {text}});
        let sent = 0;
        for (const peer of state.peers.values()) {
          if (!isOpen(peer)) continue;
          try { peer.dc.send(message); sent += 1; } catch (error) {
            addLog("error", null, `Could not send to ${peer.id}: ${error.message}`);
          }
        }
        addLog("chat", state.me, text);
        if (!sent) addLog("system", null, "Nobody received that: no DataChannel is open yet.");
        return sent;
      }

      // ---- the page ----------------------------------------------------------------------

      function showChat() {
        $("join-wrap").hidden = true;
        $("log").hidden = false;
        $("composer").hidden = false;
        $("text").focus();
      }

      $("join").addEventListener("submit", async event => {
        event.preventDefault();
        const name = $("name").value.trim();
        const key = $("key").value.trim();
        const error = $("join-error");
        error.textContent = "";
        if (state.needKey ? !key : !NAME_RE.test(name)) {
          error.textContent = state.needKey ? "Enter an API key." : "A name is 1 to 64 letters, digits, '.', '_' or '-'.";
          return;
        }
        state.name = name;
        state.apiKey = state.needKey ? key : null;
        $("join-button").disabled = true;
        setStatus("connecting", "joining…");
        try {
          await connect();
        } catch (failure) {
          if (failure instanceof NeedKey) {
            state.needKey = true;
            $("key-row").hidden = false;
            $("key").focus();
          }
          error.textContent = failure.message;
          state.me = null;
          setStatus("off", "not joined");
          render();
        } finally {
          $("join-button").disabled = false;
        }
      });

      $("composer").addEventListener("submit", event => {
        event.preventDefault();
        const input = $("text");
        const text = input.value.trim();
        if (!text) return;
        input.value = "";
        sendChat(text);
      });

      window.addEventListener("pagehide", () => {
        state.stopped = true;
        for (const peer of state.peers.values()) closeConnection(peer);
        state.ws?.close(1000, "page closed");
      });

      // For automated checks (scripts/interop/chromium_mesh.py): read-only views and send.
      window.meshTest = Object.freeze({
        get joined() { return state.joined; },
        me: () => state.me,
        peers: () => [...state.online].sort().map(id => ({id, status: statusOf(id)})),
        openChannels: () => [...state.peers.values()].filter(isOpen).map(peer => peer.id).sort(),
        log: () => state.log.map(entry => ({kind: entry.kind, from: entry.from, text: entry.text, line: lineOf(entry)})),
        send: text => sendChat(String(text)),
      });

      render();
    })();
    </script>
    </body>
    </html>
    """#
}
