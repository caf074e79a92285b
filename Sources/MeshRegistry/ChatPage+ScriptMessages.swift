extension ChatPage {
    /// The script's end: mesh messages in and out, the form and the test hook, and the closing tags.
    static let scriptMessages = #"""
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
