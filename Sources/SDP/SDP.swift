// SDP: the Session Description Protocol as WebRTC DataChannels use it.
//
// Theory of operation
// -------------------
// An SDP (RFC 8866 §5) is text: one `<type>=<value>` line per field, ended by
// CRLF (bare LF is accepted, as every browser does). The lines before the
// first `m=` describe the session (v=, o=, s=, c=, b=, t=, a=...); each `m=`
// line opens a media section that runs to the next `m=` (RFC 8866 §5.14).
//
// `SessionDescription` keeps every line as the text it came with (`SDPLine`),
// grouped into the session part and its `MediaDescription`s. Typed values
// (origin, connection, candidates, fingerprints, setup roles...) are *views*
// parsed from that text on demand. Why: a round trip then loses nothing, not
// even attributes this module has never heard of or the exact spelling of an
// IPv6 address, and the bytes a browser sent can be shown back to a student
// byte for byte. Parsing still checks every line this module understands, so a
// malformed candidate or fingerprint is reported with its line number at once
// (`SDPError.line`) instead of surfacing later.
//
// RFCs implemented here:
// - RFC 8866 §5 (line grammar, session and media lines), §6 (attributes);
// - RFC 8839 §5.1 (candidate), §5.4 (ice-ufrag/ice-pwd), §5.6 (ice-options),
//   §5.3 (ice-lite), end-of-candidates (RFC 8840 §4.1, trickle form RFC 8838);
// - RFC 8122 §5 (fingerprint), RFC 4145 §4 (setup), RFC 9143 (group:BUNDLE),
//   RFC 8841 §5-6 (sctp-port, max-message-size) and its draft-05 ancestor
//   (`DTLS/SCTP <port>` with `a=sctpmap`) still found in old Firefox offers;
// - RFC 9429 (JSEP) §5.2-5.3 for building DataChannel-only offers and answers
//   (`DataChannelSessionBuilder`) and §5.8/5.10 for checking a remote one
//   (`RemoteDataChannelDescription`).
