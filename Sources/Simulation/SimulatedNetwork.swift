import Wire

/// Identifies a host of a `SimulatedNetwork`.
public struct HostID: Hashable, Sendable {
    /// Index in the network's node table.
    public let index: Int
}

/// Identifies a realm (the public internet, or a private network behind a middlebox).
public struct RealmID: Hashable, Sendable {
    /// Index in the network's realm table.
    public let index: Int
    /// The public root realm every network starts with.
    public static let internet = RealmID(index: 0)
}

/// A seeded, virtual-time network of hosts, links, middleboxes and sans-IO endpoints.
///
/// Build the topology (`addHost`, `addRealm`, `setLink`, `addRule`), attach endpoints,
/// then `run(until:)`. The theory of operation is at the top of Simulation.swift.
/// A reference type because endpoints, rules and middleboxes all mutate one shared
/// world; it is not `Sendable`: a run belongs to one task.
public final class SimulatedNetwork {
    struct Node {
        enum Kind { case host(realm: Int), gateway(inner: Int) }
        var name: String
        var kind: Kind
        /// For hosts: its addresses. For gateways: its external addresses.
        var addresses: [IPAddress]
        /// For hosts: endpoint index by bound transport address.
        var bindings: [TransportAddress: Int] = [:]
    }

    struct Realm {
        var name: String
        var parent: Int?
        var gateway: Int?
        var middlebox: (any Middlebox)?
        var transparent: Bool
        var conditions: LinkConditions
        /// Which node to hop to for a destination IP: a host of this realm, or the
        /// gateway of a child realm that routes it.
        var routes: [IPAddress: Int] = [:]
    }

    struct LinkKey: Hashable { var from: Int, to: Int }

    var nodes: [Node] = []
    var realms: [Realm]
    var links: [LinkKey: LinkConditions] = [:]
    var rules: [ActiveRule] = []
    var slots: [any EndpointSlot] = []
    var queue = EventQueue<PendingEvent>()
    var random: SplitMix64
    var nextPacket = 1
    /// Service addresses whose traffic is a TCP stream (`carryAsStream`).
    var streamServices: Set<TransportAddress> = []
    /// The latest arrival scheduled per stream hop, so stream bytes never overtake each other.
    var streamArrivals: [StreamHopKey: Instant] = [:]

    /// The current virtual time.
    public internal(set) var now: Instant
    /// Everything that happened so far.
    public internal(set) var trace = Trace()
    /// Oddities that are not packet events: an endpoint that re-armed its timer at or
    /// before the instant it was just woken (its timer is ignored to avoid a livelock).
    public internal(set) var diagnostics: [String] = []
    /// The most datagrams a packet may cross middleboxes (guards against routing loops).
    public var hopLimit = 16

    /// Creates an empty network whose randomness comes from `seed`, starting at `start`.
    ///
    /// `conditions` is the default for links of the public realm; private realms get
    /// their own default in `addRealm` (a perfect LAN unless told otherwise).
    public init(seed: UInt64, conditions: LinkConditions = .perfect, start: Instant = .zero) {
        random = SplitMix64(seed: seed)
        now = start
        realms = [Realm(name: "internet", parent: nil, gateway: nil, middlebox: nil,
                        transparent: true, conditions: conditions)]
    }

    // MARK: Topology

    /// Adds a host owning `addresses` to `realm`.
    @discardableResult
    public func addHost(_ name: String, addresses: [IPAddress], in realm: RealmID = .internet) throws -> HostID {
        try checkNewName(name)
        try checkRealm(realm)
        guard !addresses.isEmpty else { throw SimulationError(.noAddress, "host \(name) needs an address") }
        let index = nodes.count
        try addRoutes(addresses, to: index, in: realm.index)
        nodes.append(Node(name: name, kind: .host(realm: realm.index), addresses: addresses))
        return HostID(index: index)
    }

    /// Adds a private realm behind a gateway running `middlebox`, inside `parent`.
    ///
    /// `name` names the gateway node (in the trace, in `setLink`, in ladder columns).
    /// `conditions` is the default for links inside the new realm (a LAN: perfect).
    @discardableResult
    public func addRealm(behind name: String, middlebox: some Middlebox, in parent: RealmID = .internet,
                         conditions: LinkConditions = .perfect) throws -> RealmID {
        try checkNewName(name)
        try checkRealm(parent)
        try conditions.validate()
        let external = middlebox.externalAddresses
        let realmIndex = realms.count, gateway = nodes.count
        try addRoutes(external, to: gateway, in: parent.index)
        nodes.append(Node(name: name, kind: .gateway(inner: realmIndex), addresses: external))
        realms.append(Realm(name: name, parent: parent.index, gateway: gateway, middlebox: middlebox,
                            transparent: external.isEmpty, conditions: conditions))
        return RealmID(index: realmIndex)
    }

    /// Sets the conditions of the link from node `from` to node `to` (one direction).
    /// Names are host or gateway names; sending to oneself uses the link (X, X).
    public func setLink(from: String, to: String, _ conditions: LinkConditions) throws {
        try conditions.validate()
        links[LinkKey(from: try node(named: from), to: try node(named: to))] = conditions
    }

    /// Sets the same conditions in both directions between two nodes.
    public func setLinks(between first: String, and second: String, _ conditions: LinkConditions) throws {
        try setLink(from: first, to: second, conditions)
        try setLink(from: second, to: first, conditions)
    }

    /// Sets the default conditions of links inside `realm` (`.internet` included).
    public func setDefaultConditions(_ conditions: LinkConditions, in realm: RealmID = .internet) throws {
        try checkRealm(realm)
        try conditions.validate()
        realms[realm.index].conditions = conditions
    }

    /// Adds a scripted drop rule (checked at transmission, in the order added).
    public func addRule(_ rule: ScriptedRule) {
        rules.append(ActiveRule(rule: rule))
    }

    /// How many datagrams each rule has dropped so far, by rule name.
    public var ruleDrops: [(name: String, dropped: Int)] { rules.map { ($0.rule.name, $0.dropped) } }

    /// A copy of the middlebox guarding `realm`, if it is of type `M`.
    public func middlebox<M: Middlebox>(of realm: RealmID, as type: M.Type = M.self) -> M? {
        guard realms.indices.contains(realm.index) else { return nil }
        return realms[realm.index].middlebox as? M
    }

    /// The host with this name.
    public func host(named name: String) throws -> HostID {
        let index = try node(named: name)
        guard case .host = nodes[index].kind else { throw SimulationError(.unknownNode, "\(name) is not a host") }
        return HostID(index: index)
    }

    /// The name of a host.
    public func name(of host: HostID) -> String { nodes[host.index].name }

    // MARK: Endpoints

    /// Attaches `endpoint` to `host` at `addresses` (the first one is its primary).
    ///
    /// The endpoint receives every datagram whose destination is one of its addresses,
    /// and may send from any of them.
    public func attach<E: DatagramEndpoint>(_ endpoint: E, on host: HostID, at addresses: [TransportAddress])
        throws -> EndpointHandle<E> {
        guard nodes.indices.contains(host.index), case .host = nodes[host.index].kind else {
            throw SimulationError(.unknownNode, "no host with index \(host.index)")
        }
        guard !addresses.isEmpty else { throw SimulationError(.noAddress, "an endpoint needs an address") }
        for address in addresses {
            guard nodes[host.index].addresses.contains(address.ip) else {
                throw SimulationError(.addressNotOnHost, "\(address.ip) is not an address of \(nodes[host.index].name)")
            }
            guard nodes[host.index].bindings[address] == nil, addresses.filter({ $0 == address }).count == 1 else {
                throw SimulationError(.portInUse, "\(address) is already bound on \(nodes[host.index].name)")
            }
        }
        let index = slots.count
        slots.append(TypedEndpointSlot(endpoint, index: index, host: host.index, addresses: addresses))
        for address in addresses { nodes[host.index].bindings[address] = index }
        settle(slots[index])
        return EndpointHandle(index: index, addresses: addresses, host: host, network: ObjectIdentifier(self))
    }

    /// Attaches `endpoint` at `address` on the one host owning that IP.
    public func attach<E: DatagramEndpoint>(_ endpoint: E, at address: TransportAddress) throws -> EndpointHandle<E> {
        let owners = nodes.indices.filter { index in
            if case .host = nodes[index].kind { return nodes[index].addresses.contains(address.ip) }
            return false
        }
        guard let owner = owners.first else { throw SimulationError(.unknownNode, "no host owns \(address.ip)") }
        guard owners.count == 1 else {
            throw SimulationError(.ambiguousAddress, "\(address.ip) is owned by several hosts; use attach(_:on:at:)")
        }
        return try attach(endpoint, on: HostID(index: owner), at: [address])
    }

    /// Binds one more transport address of its host to an attached endpoint, e.g. when a
    /// simulated TURN server allocates a relayed address.
    public func bind<E>(_ handle: EndpointHandle<E>, to address: TransportAddress) throws {
        let box = slot(handle)
        guard nodes[box.host].addresses.contains(address.ip) else {
            throw SimulationError(.addressNotOnHost, "\(address.ip) is not an address of \(nodes[box.host].name)")
        }
        guard nodes[box.host].bindings[address] == nil else {
            throw SimulationError(.portInUse, "\(address) is already bound on \(nodes[box.host].name)")
        }
        nodes[box.host].bindings[address] = box.index
        box.addresses.append(address)
    }

    /// Releases a transport address of an endpoint; later datagrams to it are dropped as
    /// `.noListener`, and sending from it as `.sourceNotBound`. Unknown addresses are ignored.
    public func unbind<E>(_ handle: EndpointHandle<E>, from address: TransportAddress) {
        let box = slot(handle)
        guard nodes[box.host].bindings[address] == box.index else { return }
        nodes[box.host].bindings[address] = nil
        box.addresses.removeAll { $0 == address }
    }

    /// The transport addresses an endpoint is bound to now.
    public func addresses<E>(of handle: EndpointHandle<E>) -> [TransportAddress] { slot(handle).addresses }

    /// A copy of the endpoint's current state.
    public func endpoint<E>(_ handle: EndpointHandle<E>) -> E { slot(handle).endpoint }

    /// The events the endpoint reported so far, with the time each was drained.
    public func events<E>(of handle: EndpointHandle<E>) -> [TimedEvent<E.Event>] { slot(handle).events }

    /// Mutates the endpoint now (e.g. to start a transaction), then drains its output
    /// and re-arms its timer as after any other input.
    public func modify<E>(_ handle: EndpointHandle<E>, _ body: (inout E, Instant) -> Void) {
        let box = slot(handle)
        body(&box.endpoint, now)
        settle(box)
    }

    /// Schedules `body` to mutate the endpoint at virtual time `time` (times in the past
    /// run at the current time), after the events already scheduled for that instant.
    public func schedule<E>(at time: Instant, on handle: EndpointHandle<E>,
                            _ body: @escaping (inout E, Instant) -> Void) {
        _ = slot(handle)
        queue.push(.action { [unowned self] in self.modify(handle, body) }, at: max(time, now))
    }

    func slot<E>(_ handle: EndpointHandle<E>) -> TypedEndpointSlot<E> {
        // attach() fixed the handle's type parameter and stamped this network's identity:
        // a mismatch can only be a handle from another network, a programming error.
        guard handle.network == ObjectIdentifier(self), let box = slots[handle.index] as? TypedEndpointSlot<E> else {
            preconditionFailure("endpoint handle \(handle.index) does not belong to this network")
        }
        return box
    }

    // MARK: Helpers

    func node(named name: String) throws -> Int {
        guard let index = nodes.firstIndex(where: { $0.name == name }) else {
            throw SimulationError(.unknownNode, "no host or middlebox named \(name)")
        }
        return index
    }

    private func checkNewName(_ name: String) throws {
        guard !nodes.contains(where: { $0.name == name }) else {
            throw SimulationError(.duplicateName, "a node named \(name) already exists")
        }
    }

    private func checkRealm(_ realm: RealmID) throws {
        guard realms.indices.contains(realm.index) else {
            throw SimulationError(.unknownNode, "no realm with index \(realm.index)")
        }
    }

    /// Routes `addresses` to `node` in `realm`, and up through every transparent gateway;
    /// checks everything first so a failed call changes nothing.
    private func addRoutes(_ addresses: [IPAddress], to node: Int, in realm: Int) throws {
        var chain: [(realm: Int, target: Int)] = [(realm, node)]
        while let last = chain.last, realms[last.realm].transparent,
              let parent = realms[last.realm].parent, let gateway = realms[last.realm].gateway {
            chain.append((parent, gateway))
        }
        for (position, address) in addresses.enumerated() {
            guard !addresses[..<position].contains(address) else {
                throw SimulationError(.addressInUse, "\(address) is listed twice")
            }
            for link in chain where realms[link.realm].routes[address] != nil {
                throw SimulationError(.addressInUse, "\(address) is already used in realm \(realms[link.realm].name)")
            }
        }
        for address in addresses {
            for link in chain { realms[link.realm].routes[address] = link.target }
        }
    }
}
