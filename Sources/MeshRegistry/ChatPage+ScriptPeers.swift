extension ChatPage {
    /// The script's peer connections: one RTCPeerConnection and "mesh" channel per peer, glare, early candidates.
    static let scriptPeers = #"""
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

    """#
}
