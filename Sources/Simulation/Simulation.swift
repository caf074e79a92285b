// Simulation: a seeded, virtual-time network for sans-IO protocol layers.
//
// Theory of operation
// -------------------
// `SimulatedNetwork` is a discrete-event simulator. Nothing sleeps and nothing reads a
// clock: an event queue (a binary heap ordered by time, then by insertion sequence so
// that equal times keep a deterministic FIFO order) holds datagram arrivals, endpoint
// timers and scripted actions. Running the network pops the earliest event, moves the
// virtual clock (`Wire.Instant`) to its time and handles it. Sixty simulated seconds of
// STUN retransmissions therefore cost microseconds of wall time.
//
// Every random decision (loss, jitter, duplication, reordering, a middlebox's port
// choice) is drawn from ONE `SplitMix64` seeded at construction, in event order, so a
// run is reproduced exactly by its seed and its script. A perfect link draws nothing.
//
// Topology. The network is a tree of realms. The root realm, `.internet`, is public.
// A private realm sits behind a gateway node running a `Middlebox` (a firewall now;
// NAT boxes in the ICE slice), which is the only way in or out of it. Hosts live in
// exactly one realm and own one or more IP addresses; private addresses may repeat in
// different realms (two home LANs both using 192.168.1.x), as in real life. Sans-IO
// endpoints (`Wire.DatagramEndpoint`) are attached to transport addresses of a host.
//
// A datagram travels hop by hop. When an endpoint transmits, the network records it in
// the trace, applies the scripted rules (outages, "drop the first N"), and routes it:
// to the host or child gateway owning the destination address in the current realm,
// otherwise up through the realm's gateway, otherwise it is dropped as `.noRoute`. Each
// hop crosses a link whose `LinkConditions` (per direction, per pair of nodes, falling
// back to the realm's default) decide MTU, loss, delay, jitter, reordering and
// duplication. A gateway hands every arriving datagram to its middlebox together with
// the direction and the current time; the middlebox forwards it (possibly rewritten)
// or drops it with a reason. An arrival at a host is delivered to the endpoint bound to
// the destination address (or dropped as `.noListener`). After every call into an
// endpoint the network drains `poll()` (the ARCHITECTURE.md contract), sends what it
// transmitted, records its events with their times, and re-arms its timer so that
// `handle(.timeout(t))` arrives at exactly `t == nextTimeout`.
//
// The `Trace` records every send, hop, middlebox decision, duplication, delivery and
// drop with its time and packet number; `Trace.ladder` draws it as an ASCII ladder
// diagram for tools and lessons.
//
// How a NAT box plugs in (ICE slice, RFC 4787 terminology)
// --------------------------------------------------------
// A NAT is a `Middlebox` whose `externalAddresses` are its public IPs: the parent realm
// routes those addresses to its gateway, while the private addresses behind it are not
// routable from outside. On `.outbound` it finds or creates a mapping for the
// datagram's internal source (keyed by the internal transport address alone for
// endpoint-independent mapping, by internal address + remote IP for address-dependent,
// by internal address + remote transport address for address-and-port-dependent, i.e.
// "symmetric"), choosing the external port with `context.random` when the allocation
// policy is random, remembers the remote peer for filtering, stamps `context.now` as
// the mapping's last use, and forwards the datagram with its source rewritten. On
// `.inbound` it looks the mapping up by destination port, applies its filtering
// behaviour (endpoint-independent = full cone, address-dependent = restricted cone,
// address-and-port-dependent = port-restricted cone), expires mappings idle longer than
// its timeout (RFC 4787 REQ-5: at least 2 minutes) by comparing with `context.now`, and
// forwards with the destination rewritten to the internal address, or drops with
// "filtered" / "no mapping". Hairpinning needs no special case: a datagram sent from
// inside to the NAT's own public address leaves outbound, is routed back to the same
// gateway from the parent realm and arrives inbound. Double NAT (CGN) is a realm behind
// a NAT inside another private realm. A UDP-blocking firewall is `UDPFirewall`.
