// The DTLS module: DTLS 1.2 (RFC 6347) for WebRTC, over OpenSSL, sans-IO.
//
// Theory of operation
// -------------------
// `DTLSEndpoint` runs one association. The driver feeds it datagrams and the
// time (`handle(.datagram(_, at:))`, `handle(.timeout(_))`) and drains it of
// datagrams and events (`poll()`); it never touches a socket. Inside, OpenSSL
// does the protocol and a `DatagramBIO` stands where a socket would be: one
// queued datagram per read, one emitted datagram per write (RFC 6347 §4.1.1:
// a record never spans datagrams, so the boundaries must survive).
//
// - Flights and retransmission (RFC 6347 §4.2.4): OpenSSL groups handshake
//   messages into flights, packs them into datagrams of at most `mtu` bytes
//   (§4.1.1.1; no MTU discovery, the link MTU is set) and resends the last flight
//   when its timer expires, doubling the timer each time (§4.2.4.1). The initial
//   timeout is configurable so tests on a lossy path finish quickly. What OpenSSL
//   writes in one go is packed into as few datagrams as the MTU allows (OpenSSL
//   resends a flight one message per datagram). The last flight has no timer:
//   once finished, the endpoint repeats it for every round of the peer's
//   retransmissions (DTLSEndpoint+FinalFlight.swift says why OpenSSL alone is
//   not enough).
// - Cookies (RFC 6347 §4.2.1): a server may answer the first ClientHello with a
//   HelloVerifyRequest carrying an HMAC of the client's address.
// - Authentication without a CA (RFC 5763 §5, RFC 8122 §5, RFC 8842 §5): each side
//   presents a self-signed certificate; the peer's certificate is accepted when
//   its hash equals an `a=fingerprint` from the remote description, which the
//   signaling channel delivered. A mismatch or a missing certificate fails the
//   handshake with a bad_certificate alert. The fingerprint may arrive after the
//   first ClientHello: a client pauses at verification (SSL_set_retry_verify), a
//   server holds the client's second flight unread, until it is supplied.
// - Roles (RFC 8842 §5, JSEP RFC 9429 §5.3.1): `DTLSRole(local:remote:)` maps the
//   `a=setup` pair to client or server.
// - Application data: one record per datagram, never larger than the MTU.
//   Replayed, truncated, forged or stale-epoch records are dropped silently
//   (RFC 6347 §4.1.2.6, §4.1.2.7); the association survives them.
// - Closure (RFC 5246 §7.2.1): close_notify is sent by `close()` and answered when
//   received. Alerts in both directions are reported as events.
// - Exporters (RFC 5705): `exportKeyingMaterial`, e.g. "EXTRACTOR-dtls_srtp" (RFC 5764 §4.2).
// - Key log: NSS SSLKEYLOGFILE lines as events, so Wireshark/tshark decrypt captures.
// - Demultiplexing (RFC 7983 §7): datagrams whose first byte is outside 20...63
//   are not DTLS and never reach OpenSSL. Source addresses are not checked here:
//   the ICE layer below decides which 5-tuple carries the association.
//
// Two honest exceptions to sans-IO
// --------------------------------
// 1. OpenSSL's DTLS timers read the wall clock: DTLSv1_get_timeout answers "how
//    long from now" and DTLSv1_handle_timeout checks expiry against the real time.
//    The endpoint anchors the remaining time to the last `now` it was given, so a
//    driver on real time behaves exactly; a driver on virtual time must still let
//    real time pass for retransmissions to happen. The handshake deadline, by
//    contrast, uses only the injected time.
// 2. OpenSSL may retransmit as a side effect of any call (e.g. reading a
//    retransmitted peer flight makes it resend its own). Such datagrams appear in
//    `poll()` like any other.
