import Wire

/// The number the trace gives each datagram sent (and each duplicate made), `#1`, `#2`...
public struct PacketID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number, counting from 1 in the order packets were created.
    public var value: Int
    /// Creates a packet id.
    public init(_ value: Int) { self.value = value }
    public static func < (lhs: PacketID, rhs: PacketID) -> Bool { lhs.value < rhs.value }
    public var description: String { "#\(value)" }
}

/// One crossing of one link: between two nodes (hosts or middleboxes, by name).
public struct Hop: Hashable, Sendable {
    /// The node the datagram left.
    public var from: String
    /// The node it was headed for.
    public var to: String
    /// When it left `from`.
    public var departed: Instant
    /// Creates a hop.
    public init(from: String, to: String, departed: Instant) {
        self.from = from
        self.to = to
        self.departed = departed
    }
}

/// Why the network did not deliver a datagram.
public enum DropReason: Hashable, Sendable, CustomStringConvertible {
    /// Random loss on a link (`LinkConditions.loss`).
    case loss
    /// The IP packet was larger than the link MTU (no fragmentation is simulated).
    case tooBig(size: Int, mtu: Int)
    /// No host or gateway owns the destination address, and no realm above has one.
    case noRoute
    /// The destination host exists but no endpoint is bound to that port (a real host
    /// would answer ICMP port unreachable; the simulation just drops).
    case noListener
    /// The endpoint sent from an address it is not attached at (spoofed or unbound).
    case sourceNotBound
    /// A `ScriptedRule` with this name dropped it.
    case scripted(rule: String)
    /// A middlebox with this name dropped it, for this reason.
    case middlebox(name: String, reason: String)
    /// The datagram crossed too many middleboxes (a routing loop in a middlebox).
    case hopLimit

    public var description: String {
        switch self {
        case .loss: return "loss"
        case let .tooBig(size, mtu): return "too big (\(size) B > MTU \(mtu))"
        case .noRoute: return "no route"
        case .noListener: return "no listener"
        case .sourceNotBound: return "source not bound"
        case let .scripted(rule): return "scripted (\(rule))"
        case let .middlebox(name, reason): return "\(name): \(reason)"
        case .hopLimit: return "hop limit"
        }
    }
}

/// What happened to a packet at one moment.
public enum TraceEvent: Hashable, Sendable {
    /// An endpoint on `host` transmitted the datagram.
    case sent(Datagram, host: String)
    /// A link duplicated packet `original`; this entry's packet is the copy, on `hop`.
    case duplicated(Datagram, original: PacketID, hop: Hop)
    /// A middlebox passed the datagram on (as `Datagram`, rewritten from `original`).
    case forwarded(Datagram, original: Datagram, by: String, direction: MiddleboxDirection, hop: Hop)
    /// The datagram reached the endpoint bound to its destination, via `hop`.
    case delivered(Datagram, hop: Hop)
    /// The datagram was dropped at node `at`, on `hop` when it was crossing or had crossed one.
    case dropped(Datagram, reason: DropReason, at: String, hop: Hop?)
}

/// One line of the trace.
public struct TraceEntry: Hashable, Sendable {
    /// When it happened (virtual time).
    public var time: Instant
    /// Which packet (copies made by duplication have their own number).
    public var packet: PacketID
    /// What happened.
    public var event: TraceEvent

    /// The datagram involved, as it was at that moment.
    public var datagram: Datagram {
        switch event {
        case let .sent(datagram, _), let .duplicated(datagram, _, _), let .forwarded(datagram, _, _, _, _),
             let .delivered(datagram, _), let .dropped(datagram, _, _, _):
            return datagram
        }
    }

    /// The drop reason, if this entry is a drop.
    public var dropReason: DropReason? {
        if case let .dropped(_, reason, _, _) = event { return reason }
        return nil
    }
}

extension TraceEntry: CustomStringConvertible {
    /// One log line, e.g. `t=50.000ms #1 delivered 10.0.0.1:5000 -> 10.0.0.2:7000 (8 B) alice->bob`.
    public var description: String {
        let datagram = self.datagram
        let flow = "\(datagram.source) -> \(datagram.destination) (\(datagram.payload.count) B)"
        let what: String
        switch event {
        case let .sent(_, host): what = "sent \(flow) by \(host)"
        case let .duplicated(_, original, hop): what = "duplicated \(original) \(flow) \(hop.from)->\(hop.to)"
        case let .forwarded(_, original, by, direction, _):
            what = "forwarded \(direction) by \(by): \(original.source) -> \(original.destination) became \(flow)"
        case let .delivered(_, hop): what = "delivered \(flow) \(hop.from)->\(hop.to)"
        case let .dropped(_, reason, at, _): what = "dropped at \(at) (\(reason)) \(flow)"
        }
        return "\(time) \(packet) \(what)"
    }
}

/// Everything the network did, in time order: the raw material for assertions, ladder
/// diagrams (`ladder`) and pcap files.
public struct Trace: Hashable, Sendable {
    /// All entries in the order they happened.
    public internal(set) var entries: [TraceEntry] = []

    /// Creates an empty trace.
    public init() {}

    /// Transmissions by endpoints, optionally only those from `source`.
    public func sends(from source: TransportAddress? = nil) -> [TraceEntry] {
        entries.filter { entry in
            guard case let .sent(datagram, _) = entry.event else { return false }
            return source == nil || datagram.source == source
        }
    }

    /// Deliveries to endpoints, optionally only those to `destination`.
    public func deliveries(to destination: TransportAddress? = nil) -> [TraceEntry] {
        entries.filter { entry in
            guard case let .delivered(datagram, _) = entry.event else { return false }
            return destination == nil || datagram.destination == destination
        }
    }

    /// Drops, optionally only those with `reason`.
    public func drops(_ reason: DropReason? = nil) -> [TraceEntry] {
        entries.filter { entry in
            guard let dropped = entry.dropReason else { return false }
            return reason == nil || dropped == reason
        }
    }

    /// The whole trace, one `TraceEntry.description` per line.
    public var log: String { entries.map { $0.description + "\n" }.joined() }

    /// Copies made by duplicating links.
    public var duplicates: [TraceEntry] {
        entries.filter { if case .duplicated = $0.event { return true } else { return false } }
    }
}
