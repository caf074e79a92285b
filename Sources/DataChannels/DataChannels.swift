// The DataChannels module: WebRTC data channels over SCTP (RFC 8831) and the Data
// Channel Establishment Protocol, DCEP (RFC 8832). Sans-IO, depends on Wire only.
//
// Theory of operation
// -------------------
// A WebRTC data channel is one SCTP stream id used in both directions (RFC 8831
// §6.5). This module decides everything about channels that is not SCTP itself, and
// leaves SCTP to the layer that owns the association: it never imports SCTP. The
// PeerConnection feeds a `DataChannelRegistry` the association's news (up, closed,
// messages, finished stream resets) and drains it of `DataChannelAction`s to carry
// out (send this message, reset these streams) and events for the application.
//
//     app  --open/outbound/close-->  DataChannelRegistry  --poll()-->  .send / .resetStreams / .event
//     SCTP --receive/streamsReset/transportUp/transportClosed-->  (same registry)
//
// - DCEP (RFC 8832 §5): a channel is announced by DATA_CHANNEL_OPEN (0x03) on the
//   stream it will use and answered by DATA_CHANNEL_ACK (0x02), both sent ordered
//   and reliable with PPID 50. `DataChannelOpen` and `DataChannelAck` are the two
//   wire types; `DCEPMessage` picks one by the first byte. Unknown channel types
//   survive a round trip (`DataChannelType` is an open struct) but open no channel.
//   Some stacks send a 4-byte ACK (the type and 3 zero bytes); both forms parse, we
//   send the 1-byte form.
// - Stream ids (RFC 8832 §6): the DTLS client opens even ids, the DTLS server odd
//   ones, so two peers never pick the same id at once. Channels may be created
//   before the DTLS role and the association are known (W3C createDataChannel before
//   connecting), so the application holds a local `DataChannelID`; the stream id is
//   chosen at `transportUp` (after `setRole`), where the OPENs of waiting channels
//   go out. Negotiated channels (RFC 8831 §6.5, W3C `negotiated: true`) skip DCEP:
//   both sides agree the id out of band, so it is fixed from the start.
// - Early data (RFC 8832 §6): the opener's channel is open once its OPEN is sent
//   and may carry messages before the ACK arrives. Those go ordered even on an
//   unordered channel, so none can overtake the OPEN; and on the other side any
//   data message on the channel counts as the ACK (an implicit acknowledgement).
//   The state turns `.open` when `poll()` hands the OPEN out, so no message can be
//   built for the stream before the OPEN is on its way.
// - Messages (RFC 8831 §6.6, §8): PPID 51 is a UTF-8 string, 53 binary; an empty
//   message cannot travel in SCTP, so it is one zero byte with PPID 56 (string) or
//   57 (binary) and is delivered empty. The deprecated 54/52 (strings and binaries
//   once fragmented by the sender) are delivered as whole messages and reported.
// - Closing (RFC 8831 §6.7): each side resets its outgoing stream (RFC 6525); the
//   channel is `.closing` until both directions are reset, then `.closed`, and only
//   then is the stream id free for a new channel. Whoever starts, the other side
//   answers the reset of its incoming stream with a reset of its outgoing one.
// - Faults: a peer that breaks DCEP (a malformed message, an OPEN on a stream of the
//   wrong parity or in use) costs only that channel, closed by a stream reset and
//   reported as `.protocolError`; the association and the other channels go on.
//   Caller misuse throws a `DataChannelError` with origin `.caller` instead.
//
// Time: every input carries an `Instant` for symmetry with the other sans-IO layers;
// the registry arms no timer today (`nextTimeout` is nil), so a virtual clock is all
// a test needs.
import Wire
