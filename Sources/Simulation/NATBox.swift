import Wire

/// A simulated NAT (RFC 4787 vocabulary): a `Middlebox` that rewrites the source of
/// outbound datagrams to one of its public addresses and lets inbound datagrams back in
/// according to its mapping and filtering behaviours.
///
/// Put hosts with private addresses (10.x, 192.168.x) in a realm behind it:
///
/// ```swift
/// let home = try network.addRealm(behind: "home-nat",
///     middlebox: NATBox(.portRestrictedCone, publicAddress: IPAddress("203.0.113.5")!))
/// ```
///
/// The parent realm routes only the public addresses to the box; the private ones stay
/// unreachable from outside. Decisions (module docs, "How a NAT box plugs in"):
/// - outbound: expire idle mappings, find or create the mapping for (internal address,
///   scope), refresh it and the destination's filter permission, rewrite the source;
///   with hairpinning off, a datagram to the box's own public address is dropped;
/// - inbound: look the mapping up by destination, apply the filtering behaviour,
///   rewrite the destination to the internal address.
///
/// Every translation shows in the network trace as a `.forwarded` entry (original and
/// rewritten datagram); every drop carries a reason naming the NAT type, the mapping and
/// the remote, e.g. "filtered by port-restricted cone NAT: 203.0.113.5:4000
/// (192.168.1.2:4000) has not sent to 198.51.100.9:3478". `events` lists mapping
/// creations and expiries with their times, `counters` counts everything.
///
/// External IPs are "paired" (REQ-2): each internal IP keeps the first public address it
/// was given, which are handed out round-robin in order of first appearance.
public struct NATBox: Middlebox, Sendable {
    private struct MappingKey: Hashable, Sendable {
        var internalAddress: TransportAddress
        var scope: TransportAddress?
    }

    /// The behaviour: mapping, filtering, ports, timeout, hairpinning.
    public let configuration: NATConfiguration
    /// The public addresses, routed to the box by the outer realm.
    public let publicAddresses: [IPAddress]
    /// What the box has done so far.
    public private(set) var counters = NATCounters()
    /// Mapping creations and expiries, in the order they took effect.
    public private(set) var events: [NATEvent] = []

    private var table: [TransportAddress: NATMapping] = [:]
    private var index: [MappingKey: TransportAddress] = [:]
    private var pairedIP: [IPAddress: IPAddress] = [:]
    private var sequentialCursor: [IPAddress: Int] = [:]
    /// No mapping or permission expires before this instant (nil: nothing to expire).
    private var earliestDeadline: Instant?

    /// A NAT with one public address.
    public init(_ configuration: NATConfiguration, publicAddress: IPAddress) {
        self.configuration = configuration
        publicAddresses = [publicAddress]
    }

    /// A NAT with a pool of public addresses; throws `.noAddress` for an empty pool.
    public init(_ configuration: NATConfiguration, publicAddresses: [IPAddress]) throws {
        guard !publicAddresses.isEmpty else { throw SimulationError(.noAddress, "a NAT needs a public address") }
        self.configuration = configuration
        self.publicAddresses = publicAddresses
    }

    /// The public addresses: what the outer realm routes here (`Middlebox`).
    public var externalAddresses: [IPAddress] { publicAddresses }

    /// The mappings alive at `now` with their live permissions, ordered by external address.
    public func mappings(at now: Instant) -> [NATMapping] {
        table.values.compactMap { Self.alive($0, at: now) }.sorted { Self.order($0.externalAddress, $1.externalAddress) }
    }

    /// The live mapping `internalAddress` would use toward `remote` at `now`, if any.
    public func mapping(of internalAddress: TransportAddress, toward remote: TransportAddress,
                        at now: Instant) -> NATMapping? {
        let key = MappingKey(internalAddress: internalAddress, scope: scope(toward: remote))
        guard let external = index[key], let mapping = table[external] else { return nil }
        return Self.alive(mapping, at: now)
    }

    /// The table is expired lazily: readers see it as it would be at `now`.
    private static func alive(_ mapping: NATMapping, at now: Instant) -> NATMapping? {
        guard mapping.expires > now else { return nil }
        var live = mapping
        live.permissions = mapping.permissions.filter { $0.value > now }
        return live
    }

    /// Translates or drops one datagram (`Middlebox`).
    public mutating func process(_ datagram: Datagram, _ direction: MiddleboxDirection,
                                 context: inout MiddleboxContext) -> MiddleboxVerdict {
        expire(at: context.now)
        switch direction {
        case .outbound: return outbound(datagram, context: &context)
        case .inbound: return inbound(datagram)
        }
    }

    // MARK: Outbound

    private mutating func outbound(_ datagram: Datagram, context: inout MiddleboxContext) -> MiddleboxVerdict {
        let remote = datagram.destination, now = context.now
        if !configuration.hairpinning, publicAddresses.contains(remote.ip) {
            counters.droppedHairpin += 1
            return .drop(reason: "\(configuration) does not hairpin: \(datagram.source) -> \(remote)")
        }
        let key = MappingKey(internalAddress: datagram.source, scope: scope(toward: remote))
        var mapping: NATMapping
        if let external = index[key], let existing = table[external] {
            mapping = existing
        } else {
            guard let external = allocate(for: datagram.source, random: &context.random) else {
                counters.droppedNoFreePort += 1
                return .drop(reason: "\(configuration): no free external port for \(datagram.source)")
            }
            mapping = NATMapping(internalAddress: datagram.source, externalAddress: external, scope: key.scope,
                                 created: now, expires: now + configuration.mappingTimeout, permissions: [:])
            index[key] = external
            counters.mappingsCreated += 1
            events.append(.created(mapping, toward: remote))
        }
        // REQ-6: only outbound traffic refreshes the mapping (and opens the filter for this remote).
        mapping.expires = now + configuration.mappingTimeout
        mapping.permissions[remote] = mapping.expires
        earliestDeadline = min(earliestDeadline ?? mapping.expires, mapping.expires)
        table[mapping.externalAddress] = mapping
        counters.translatedOutbound += 1
        var rewritten = datagram
        rewritten.source = mapping.externalAddress
        return .forward(rewritten)
    }

    /// What a mapping is specific to, per the mapping behaviour (port 0 = any port).
    private func scope(toward remote: TransportAddress) -> TransportAddress? {
        switch configuration.mapping {
        case .endpointIndependent: return nil
        case .addressDependent: return TransportAddress(remote.ip, 0)
        case .addressAndPortDependent: return remote
        }
    }

    /// Picks the external address of a new mapping, or nil when every port is taken.
    private mutating func allocate(for internalAddress: TransportAddress, random: inout SplitMix64) -> TransportAddress? {
        let ip = publicIP(for: internalAddress.ip)
        if configuration.preservesPorts, table[TransportAddress(ip, internalAddress.port)] == nil {
            return TransportAddress(ip, internalAddress.port)
        }
        let lower = Int(configuration.portRange.lowerBound)
        let count = Int(configuration.portRange.upperBound) - lower + 1
        let start: Int
        switch configuration.portAllocation {
        case .sequential: start = sequentialCursor[ip, default: 0]
        case .random: start = Int(random.next() % UInt64(count))  // one draw; the bias is below 2^-47
        }
        for step in 0..<count {
            let offset = (start + step) % count
            let candidate = TransportAddress(ip, UInt16(lower + offset))
            guard table[candidate] == nil else { continue }
            if configuration.portAllocation == .sequential { sequentialCursor[ip] = (offset + 1) % count }
            return candidate
        }
        return nil
    }

    /// REQ-2 "paired" pooling: an internal IP keeps its first public IP.
    private mutating func publicIP(for internalIP: IPAddress) -> IPAddress {
        if let paired = pairedIP[internalIP] { return paired }
        let chosen = publicAddresses[pairedIP.count % publicAddresses.count]
        pairedIP[internalIP] = chosen
        return chosen
    }

    // MARK: Inbound

    private mutating func inbound(_ datagram: Datagram) -> MiddleboxVerdict {
        let remote = datagram.source
        guard let mapping = table[datagram.destination] else {
            counters.droppedNoMapping += 1
            return .drop(reason: "\(configuration): no mapping for \(datagram.destination) (from \(remote))")
        }
        let admitted: Bool
        let sentTo: String
        switch configuration.filtering {
        case .endpointIndependent:
            admitted = true
            sentTo = ""
        case .addressDependent:
            admitted = mapping.permissions.keys.contains { $0.ip == remote.ip }
            sentTo = remote.ip.description
        case .addressAndPortDependent:
            admitted = mapping.permissions[remote] != nil
            sentTo = remote.description
        }
        guard admitted else {
            counters.droppedFiltered += 1
            return .drop(reason: "filtered by \(configuration): \(mapping.externalAddress) "
                + "(\(mapping.internalAddress)) has not sent to \(sentTo)")
        }
        counters.translatedInbound += 1
        var rewritten = datagram
        rewritten.destination = mapping.internalAddress
        return .forward(rewritten)
    }

    // MARK: Expiry

    /// Lazily removes mappings and permissions whose time is up (no middlebox timers:
    /// the result is the same as if they had expired exactly at `expires`).
    private mutating func expire(at now: Instant) {
        // Refreshes only push deadlines later, so the earliest one seen by the last scan is
        // a lower bound: until then nothing can have expired and the scan is skipped.
        guard let due = earliestDeadline, due <= now else { return }
        var gone: [NATMapping] = []
        earliestDeadline = nil
        for (external, mapping) in table {
            if mapping.expires <= now {
                gone.append(mapping)
                continue
            }
            var permissions = mapping.permissions
            if permissions.values.contains(where: { $0 <= now }) {
                permissions = permissions.filter { $0.value > now }
                table[external]?.permissions = permissions
            }
            let soonest = permissions.values.min().map { min($0, mapping.expires) } ?? mapping.expires
            earliestDeadline = min(earliestDeadline ?? soonest, soonest)
        }
        guard !gone.isEmpty else { return }
        // Dictionary order is not stable between runs: sort so the event log is reproducible.
        gone.sort { $0.expires != $1.expires ? $0.expires < $1.expires : Self.order($0.externalAddress, $1.externalAddress) }
        for mapping in gone {
            table[mapping.externalAddress] = nil
            index[MappingKey(internalAddress: mapping.internalAddress, scope: mapping.scope)] = nil
            counters.mappingsExpired += 1
            events.append(.expired(mapping))
        }
    }

    private static func order(_ a: TransportAddress, _ b: TransportAddress) -> Bool {
        a.ip.bytes != b.ip.bytes ? a.ip.bytes.lexicographicallyPrecedes(b.ip.bytes) : a.port < b.port
    }
}
