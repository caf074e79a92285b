extension ChatPage {
    /// The script's start: constants, the page state, the log and how it is rendered.
    static let scriptView = #"""
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

    """#
}
