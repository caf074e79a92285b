// The WebRTC module: the peer connection, where every layer below meets.
//
// Theory of operation
// -------------------
// Three pieces, from the inside out (docs/ARCHITECTURE.md, "PeerConnection"):
//
// 1. `PeerConnectionCore`, sans-IO like every layer (in the manner of str0m's
//    `Rtc`): fed datagrams and time, drained of datagrams and events, commanded
//    (`createOffer`, `setRemoteDescription`, `addRemoteCandidate`, `openChannel`,
//    `send`, `close`). Inside it:
//
//        UDP ⇄ ICEAgent ⇄ (.dataReceived / send) ⇄ SCTPTransport (DTLS ⇄ SCTP) ⇄ DataChannelRegistry
//
//    - JSEP lives here (RFC 9429): SDP in and out, mapped onto the layers'
//      settings, so SDP never imports DTLS and DTLS never sees SDP text.
//    - The offerer is ICE-controlling (RFC 8445 §6.1.1), the answerer controlled;
//      the DTLS role follows `a=setup` (RFC 8842), the answerer choosing active.
//    - SCTP-over-DTLS starts once ICE has a valid pair and the DTLS role is
//      known: it does not wait for nomination (RFC 8445 §12.1 allows data on a
//      valid pair). DTLS output leaves as payloads through the ICE agent's `send`,
//      so ICE chooses the path and may change it; DTLS holds no reference to ICE.
//    - DTLS records that arrive before the role is known (the answer still in
//      flight while the answerer's ClientHello already arrived) are held, a few.
//    - The DataChannel layer (DCEP, RFC 8832) turns SCTP events into channel
//      events and channel commands into SCTP sends and stream resets.
//
// 2. `PeerConnectionHost`: one thread that owns the UDP sockets and drives any
//    number of cores with one `EventLoop` (poll(2), per-core timers, a command
//    queue woken through a pipe). Every call into a core happens on it.
//
// 3. `RTCPeerConnection` / `RTCDataChannel`: a `Sendable` facade shaped like
//    the W3C API (webrtc-pc §4, §6.2) with Swift concurrency: async commands
//    submitted to the host, events and messages as async sequences.
//
// Network rule: by default a peer connection binds 127.0.0.1 only, so it
// gathers loopback host candidates only and never contacts a server; real
// interfaces are an explicit `PeerConnectionConfiguration.interfaces` choice.
