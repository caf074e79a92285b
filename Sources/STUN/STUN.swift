// STUN: Session Traversal Utilities for NAT (RFC 8489), sans-IO.
//
// Theory of operation
// -------------------
// A STUN message is a 20-byte header followed by type-length-value attributes
// (RFC 8489 §5, §14). The header's first two bits are zero and bytes 4-7 hold
// the magic cookie 0x2112A442, which is how STUN is told apart from other
// protocols on a shared port (together with RFC 7983's first-byte ranges).
// The 14-bit message type interleaves a 2-bit class (request, indication,
// success or error response) with a 12-bit method (§5, figure 3).
//
// Layers of this module, bottom up:
//
// - Code points (`STUNMethod`, `STUNMessageType`, `STUNAttributeType`,
//   `STUNErrorCode`) are open structs: a value we have never heard of still
//   parses, prints and re-encodes unchanged.
// - `STUNMessage` keeps its attributes as raw TLVs (`STUNAttribute`), in order,
//   padding bytes included. That is what lets a received message re-encode byte
//   for byte (RFC 5769 pads with spaces, not zeros) and keeps unknown attributes
//   alive. Typed values (`XORMappedAddress`, `Username`, ...; one file each under
//   Attributes/) are decoded on demand through `STUNAttributeValue`.
// - Integrity and fingerprint (§14.5, §14.6, §14.7) are computed over the raw
//   bytes of a message with its length field adjusted to end at the attribute
//   being computed, so they are checked on the bytes as received, never on a
//   re-encoding. Keys come from `STUNKey` (short-term: the password; long-term:
//   MD5(username ":" realm ":" password), §9.1.2 and §9.2.2).
// - `STUNDissector` turns any byte string, however broken, into a tree of
//   `DissectedField`s for tools and lessons.
// - `STUNClientTransaction` is the retransmission state machine of §6.2.1
//   (RTO doubling, Rc sends, a final wait of Rm x RTO), fed time by its caller.
//   `STUNClient` runs many of them behind Wire's `DatagramEndpoint` contract.
// - `STUNServer` answers Binding requests (§6.3, §7.3), with optional short-term
//   (§9.1.3) or long-term (§9.2.4) credential checks, and answers nothing that is
//   not a well-formed request: garbage, indications and responses are dropped
//   with an event saying why.
// - RFC 3489 ("classic STUN", no magic cookie) is understood where RFC 8489
//   §11 asks for it and no further: `STUNMessage(parsing:acceptingClassic:)`
//   reads such messages into an explicit `STUNMessageFormat.rfc3489` (the
//   cookie's bytes are part of a 128-bit transaction id), and an open
//   `STUNServer` answers classic Binding requests with MAPPED-ADDRESS, copying
//   those bytes back (§11.2; `STUNServer+Classic.swift`). RFC 3489's and RFC
//   5780's address and CHANGE-REQUEST attributes are decoded for the dissector.
//
// Nothing here reads a clock, opens a socket or draws global randomness: time
// arrives as `Instant`s, randomness as an injected `RandomNumberGenerator`.
// Every parser treats its input as hostile and throws `STUNError` instead of
// trapping; `STUNError.origin` separates "the peer sent garbage" from "the
// caller misused the API".
