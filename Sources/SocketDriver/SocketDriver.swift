// SocketDriver: the only code in the lab that touches sockets and the wall clock.
//
// Theory of operation
// -------------------
// Protocol layers are sans-IO (ARCHITECTURE.md): they are fed `EndpointInput` and
// drained of `EndpointOutput`. This module is the thin real-world shell around them:
//
// - `UDPSocket`: a non-blocking POSIX UDP socket (IPv4 or IPv6) with settable
//   SO_RCVBUF/SO_SNDBUF. It never blocks: a read with nothing queued returns nil.
// - `SystemClock`: CLOCK_MONOTONIC as `Instant` (for protocol timers, immune to
//   wall-clock steps) and CLOCK_REALTIME as Unix time (only for pcap timestamps).
// - `HostResolver`: getaddrinfo(3), because resolving a name is I/O too.
// - `SourceAddressSelection`: the local IP the kernel would send from toward a
//   destination (a connected throwaway socket; nothing is sent), so a client can
//   bind that exact address and captures show real addresses, not 0.0.0.0.
// - `EventLoop`: a poll(2) loop that owns one or more `DatagramEndpoint`s, each
//   bound to one or more sockets. After every input it drains the endpoint's
//   `poll()`, sends each transmit from the socket whose local address matches the
//   datagram's source, and hands each event to the caller's closure. It sleeps
//   until the earliest `nextTimeout`, ticker or deadline, whichever comes first.
//   A tap sees every datagram sent and received (the pcap writer hangs there).
//
// UDP is lossy by contract (RFC 768), so a datagram the kernel refuses to queue
// (EAGAIN on send) is dropped like a lost packet: the protocol layer above already
// retransmits. Hard send errors (no route...) are reported through `onSendError`.
