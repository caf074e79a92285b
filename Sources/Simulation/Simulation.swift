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
// A private realm sits behind a gateway node running a `Middlebox` (a `UDPFirewall` or a
// `NATBox`), which is the only way in or out of it. Hosts live in
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
// How a NAT box plugs in (RFC 4787 terminology)
// ---------------------------------------------
// A NAT is a `Middlebox` whose `externalAddresses` are its public IPs: the parent realm
// routes those addresses to its gateway, while the private addresses behind it are not
// routable from outside. `NATBox` is that box; `NATConfiguration` its behaviour.
//
// Mapping (RFC 4787 §4.1) decides when an internal transport address X:x keeps its
// external address X':x'. On `.outbound` the box finds or creates the mapping keyed by
// the internal address alone (endpoint-independent, EIM), by internal address + remote
// IP (address-dependent, ADM), or by internal address + remote IP:port
// (address-and-port-dependent, APDM: "symmetric"), rewrites the source, and records the
// destination as a filter permission. External IPs are paired per internal IP (REQ-2).
// A new mapping keeps the internal port when it is free on that IP (port preservation),
// else takes the next free port of the range sequentially, or, with `.random`, one
// uniform draw from `context.random` (the network's seeded generator) and the next free
// port above it. Only outbound traffic refreshes a mapping and its permission (REQ-6);
// both expire `mappingTimeout` (default 120 s, REQ-5's floor) after the last refresh.
// Expiry is computed lazily from `context.now` on the next datagram, with the same
// result as a timer firing at `expires`, so middleboxes need no timers.
//
// Filtering (RFC 4787 §5) decides which inbound datagrams reach X:x through X':x'. On
// `.inbound` the box looks the mapping up by destination (none: "no mapping"), then
// admits anyone (endpoint-independent, EIF), only IPs X:x has sent to
// (address-dependent, ADF), or only IP:ports X:x has sent to (address-and-port-dependent,
// APDF), and rewrites the destination to X:x. The classic names are presets:
//
//     preset                mapping   filtering   srflx useful to peers?  unsolicited from
//     fullCone              EIM       EIF         yes                     anyone
//     restrictedCone        EIM       ADF         yes                     contacted IPs
//     portRestrictedCone    EIM       APDF        yes                     contacted IP:ports
//     symmetric             APDM      APDF        no (new port per peer)  contacted IP:ports
//
// Every translation is a `.forwarded` trace entry (before and after); every drop names
// the NAT type, the mapping and the remote ("filtered by port-restricted cone NAT:
// 203.0.113.5:4000 (192.168.1.2:4000) has not sent to 198.51.100.1:3479"); `NATBox.events`
// logs mapping creation and expiry; `NATCounters` count both. Hairpinning needs no special
// routing: a datagram from inside to the NAT's own public address leaves outbound (source
// translated, REQ-9), is routed back to the same gateway by the parent realm and arrives
// inbound, where filtering applies as for any other remote; with `hairpinning = false`
// the box drops it on the way out. Double NAT (CGN) is a NAT realm inside another NAT's
// private realm (e.g. 100.64.0.0/10 between them). A network that blocks UDP is a
// `UDPFirewall.blockingAllUDP` realm, which may itself hold a NAT realm.
