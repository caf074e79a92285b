import Simulation
import Wire

/// Sends what it is told to and reports every datagram it receives (source and
/// destination as seen at delivery, i.e. after any NAT rewrote them).
struct NATProbe: DatagramEndpoint {
    enum Event: Equatable { case received(from: TransportAddress, to: TransportAddress) }
    private var outputs: [EndpointOutput<Event>] = []

    mutating func send(from local: TransportAddress, to remote: TransportAddress) {
        outputs.append(.transmit(Datagram(from: local, to: remote, payload: [0x4E, 0x41, 0x54])))
    }

    mutating func handle(_ input: EndpointInput) {
        guard case let .datagram(datagram, _) = input else { return }
        outputs.append(.event(.received(from: datagram.source, to: datagram.destination)))
    }

    mutating func poll() -> EndpointOutput<Event>? { outputs.isEmpty ? nil : outputs.removeFirst() }

    var nextTimeout: Instant? { nil }
}

/// One host behind a NAT (203.0.113.5, a home LAN 192.168.1.0/24) and public servers:
/// s1 = 198.51.100.1 listening on 3478 and 3479, s2 = 198.51.100.2 on 3478.
struct NATLab {
    static let publicIP = IPAddress(literal: "203.0.113.5")
    let network: SimulatedNetwork
    let lan: RealmID
    let alice = TransportAddress("192.168.1.2:4000")
    let s1 = TransportAddress("198.51.100.1:3478")
    let s1OtherPort = TransportAddress("198.51.100.1:3479")
    let s2 = TransportAddress("198.51.100.2:3478")
    let aliceProbe: EndpointHandle<NATProbe>
    /// Probes at s1, s1OtherPort and s2, in that order.
    let servers: [EndpointHandle<NATProbe>]

    init(_ configuration: NATConfiguration, seed: UInt64 = 7, conditions: LinkConditions = .perfect) throws {
        network = SimulatedNetwork(seed: seed, conditions: conditions)
        lan = try network.addRealm(behind: "nat", middlebox: NATBox(configuration, publicAddress: Self.publicIP))
        let home = try network.addHost("alice", addresses: [alice.ip], in: lan)
        aliceProbe = try network.attach(NATProbe(), on: home, at: [alice])
        let host1 = try network.addHost("s1", addresses: [s1.ip])
        let host2 = try network.addHost("s2", addresses: [s2.ip])
        servers = [try network.attach(NATProbe(), on: host1, at: [s1]),
                   try network.attach(NATProbe(), on: host1, at: [s1OtherPort]),
                   try network.attach(NATProbe(), on: host2, at: [s2])]
    }

    /// The NAT box as it is now.
    var nat: NATBox { network.middlebox(of: lan, as: NATBox.self)! }

    /// Schedules alice to send from `local` (default: her one address) to `remote` at `time`.
    func aliceSends(to remote: TransportAddress, at time: Instant, from local: TransportAddress? = nil) {
        let source = local ?? alice
        network.schedule(at: time, on: aliceProbe) { probe, _ in probe.send(from: source, to: remote) }
    }

    /// Schedules server `index` (0 = s1, 1 = s1OtherPort, 2 = s2) to send to `remote` at `time`.
    func serverSends(_ index: Int, to remote: TransportAddress, at time: Instant) {
        let source = [s1, s1OtherPort, s2][index]
        network.schedule(at: time, on: servers[index]) { probe, _ in probe.send(from: source, to: remote) }
    }

    /// The source addresses server `index` saw, in arrival order.
    func seenBy(_ index: Int) -> [TransportAddress] {
        network.events(of: servers[index]).map { event in
            guard case let .received(from, _) = event.value else { return TransportAddress("0.0.0.0:0") }
            return from
        }
    }

    /// The sources of what alice received, in arrival order.
    var aliceReceivedFrom: [TransportAddress] {
        network.events(of: aliceProbe).map { event in
            guard case let .received(from, _) = event.value else { return TransportAddress("0.0.0.0:0") }
            return from
        }
    }

    /// The middlebox drop reasons in the trace, in order.
    var natDrops: [String] {
        network.trace.drops().compactMap { entry in
            if case let .middlebox(_, reason) = entry.dropReason { return reason }
            return nil
        }
    }
}
