// Wire: the common base every protocol layer of the lab stands on.
//
// Theory of operation
// -------------------
// Every layer in this package is sans-IO (see ARCHITECTURE.md): it never opens a
// socket, reads a clock or draws global randomness. It is fed `EndpointInput`
// (a datagram or "the time is now T") and drained of `EndpointOutput` (datagrams
// to transmit, events for the layer above) until `poll()` returns nil. This module
// holds the vocabulary those layers share:
//
// - `ByteReader` / `ByteWriter`: bounds-checked big-endian codecs. A reader never
//   traps on hostile input; it throws `WireError.truncated`.
// - `Instant`: a monotonic point in time, injected by the driver (real or virtual).
// - `IPAddress`, `TransportAddress`, `Datagram`: addresses as values, so the same
//   code runs over real UDP, the simulated network, and in pcap files.
// - `DemuxedProtocol.classify`: RFC 7983 first-byte demultiplexing, which lets
//   STUN, DTLS and TURN ChannelData share one UDP 5-tuple.
// - `SplitMix64`: the seeded generator that tests and the simulator inject.
