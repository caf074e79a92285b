// The SCTP module: SCTP over DTLS for WebRTC data channels, over usrsctp.
//
// Theory of operation
// -------------------
// WebRTC carries SCTP (RFC 9260, which obsoletes RFC 4960) inside DTLS application
// data (RFC 8261); RFC 8831 §6 says how: one association per DTLS connection, ports
// from `a=sctp-port` (5000 by default), both sides send INIT (no client/server),
// messages on streams with a PPID, ordered or unordered, fully or partially reliable
// (PR-SCTP, RFC 3758: abandoned after N retransmissions or a lifetime, then skipped
// with FORWARD-TSN), and channels closed by resetting their streams (RFC 6525).
//
// usrsctp does the protocol. It is one process-wide stack, so `SCTPRuntime` owns it:
// initialised once in no-threads mode with AF_CONN addresses only (an association's
// id doubles as its local and remote address, so packets never touch a real socket),
// every usrsctp call made in one serial section, its timers fed real elapsed time on
// a ~10 ms tick, packet output routed through an id -> association registry of weak
// references. Received data and notifications are read (`usrsctp_recvv`), not
// pushed by a receive callback, so that reading can stop (receive back-pressure below).
// `SCTPAssociation` keeps the sans-IO shape towards the DTLS layer:
// `handle(packet:)` in, `poll()` out (packets and `SCTPEvent`s), nothing else.
//
// - Message size: usrsctp refuses a message larger than its send buffer, so the
//   buffer is at least `maxMessageSize` (256 KiB by default, advertised as
//   `a=max-message-size`, RFC 8841 §6) and larger messages throw before anything is
//   queued. Received messages arrive whole or, past the partial delivery point, in
//   pieces that are reassembled here (up to `maxMessageSize`).
// - Back-pressure: `send` queues in a bounded FIFO (`maxBufferedAmount`) that feeds
//   usrsctp as its send buffer frees; `bufferedAmount` counts bytes not yet
//   transmitted once (DATA chunks with new TSNs leaving, abandoned unsent data), per
//   stream and per association, with low-water events (W3C bufferedamountlow).
// - Receive back-pressure: `pauseReceiving()` stops reading; unread data stays in
//   usrsctp's receive buffer (`receiveBufferSize`), the a_rwnd we advertise falls to
//   0 and the peer's SCTP stops, its `bufferedAmount` growing instead of our memory;
//   `resumeReceiving()` reads again and usrsctp sends the window update. usrsctp's
//   callback could not do this: it frees the data from the buffer before calling.
//   While the peer's window is 0 its unanswered probes must not kill the association
//   (RFC 9260 §6.1 A), which usrsctp 0.9.5.0 does not implement: `ZeroWindowWatch`.
// - Abandoned messages: `send` returns an id, sent as `snd_context`; a `.sendFailed`
//   report names it (`messageID`), its pieces summed to one report per message.
// - Path MTU: fixed below the DTLS record limit, discovery off (SPP_PMTUD_DISABLE):
//   the DTLS layer knows the path, and one SCTP packet must fit one DTLS record.
// - Stream reset (RFC 6525 §5.1.2): outgoing only, queued behind data on the
//   stream; the id is refused until the reset completes, so a new channel never
//   shares sequence numbers with the old one.
// - PR-SCTP on ordered streams: usrsctp resends a lost FORWARD-TSN only on a SACK
//   or a backed-off T3-rtx, so after the last message received messages could wait
//   in the peer's reorder queue for seconds; `ForwardTSNWatch` repeats an
//   unacknowledged FORWARD-TSN every RTO.Min (then backing off) instead.
// - Notifications (RFC 6458 §6.1 as usrsctp implements them): association change,
//   peer address change, remote error, send failed, shutdown, partial delivery,
//   sender dry and stream reset become `SCTPEvent`s.
//
// The honest exception to sans-IO (ARCHITECTURE.md): usrsctp reads the wall clock
// and cannot be given simulated time, so tests under loss run in real time with
// short RTOs, and output may appear between calls (announced by `onOutputReady`).
