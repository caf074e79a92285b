// The DataTransport module: SCTP over DTLS (RFC 8261), the transport under
// WebRTC DataChannels (RFC 8831 §5), as one sans-IO endpoint.
//
// Theory of operation
// -------------------
// `SCTPTransport` pairs one `DTLSEndpoint` with one `SCTPAssociation`
// (W3C WebRTC's RTCSctpTransport over its RTCDtlsTransport):
//
//     datagrams <-> DTLSEndpoint <-> application data records <-> SCTPAssociation <-> messages, events
//
// - RFC 8261 §3: every SCTP packet travels as the payload of exactly one DTLS
//   application-data record, and a record never spans datagrams, so the SCTP
//   path MTU (1128 by default) must stay below what one DTLS record can carry
//   in a 1200-byte datagram (RFC 8831 §5; checked when DTLS connects).
// - RFC 8261 §4.1 / RFC 8831 §6.2: the association starts only once the DTLS
//   handshake has finished; both sides then send INIT (SCTP allows the
//   simultaneous open, RFC 9260 §5.2.1), so neither waits for the other's role.
// - No SCTP port multiplexing: the DTLS connection is the "address", both SCTP
//   ports are 5000 unless configured (RFC 8841 §5 a=sctp-port).
// - Closing: `close()` shuts SCTP down gracefully (RFC 9260 §9.2) and sends
//   DTLS close_notify once the SHUTDOWN handshake completed; a DTLS failure or
//   close ends the association at once (nothing can reach the peer any more).
//
// The honest exception to sans-IO
// -------------------------------
// usrsctp runs its timers on the process-wide SCTPRuntime's own thread, fed
// real time (ARCHITECTURE.md, "Facts learned"): a retransmission or a PR-SCTP
// abandonment can therefore produce output between two calls of the driver.
// The transport picks such output up on every `poll()` and asks to be polled
// again every `sctpPollInterval` (`nextTimeout`) while the association lives; a
// driver that wants it sooner sets `onOutputReady` and wakes its loop from it.
import DTLS
import SCTP
import Wire
