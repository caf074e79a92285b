import Wire

/// Which datagrams a scripted rule applies to, by their addresses as the sender wrote
/// them (before any middlebox rewrites them). Every field left nil matches anything.
public struct DatagramMatch: Sendable {
    /// Source IP to match.
    public var sourceIP: IPAddress?
    /// Source port to match.
    public var sourcePort: UInt16?
    /// Destination IP to match.
    public var destinationIP: IPAddress?
    /// Destination port to match.
    public var destinationPort: UInt16?
    /// An extra test on the whole datagram (e.g. "only STUN requests").
    public var predicate: (@Sendable (Datagram) -> Bool)?

    /// Creates a match; nil fields are wildcards.
    public init(
        sourceIP: IPAddress? = nil, sourcePort: UInt16? = nil,
        destinationIP: IPAddress? = nil, destinationPort: UInt16? = nil,
        where predicate: (@Sendable (Datagram) -> Bool)? = nil
    ) {
        self.sourceIP = sourceIP
        self.sourcePort = sourcePort
        self.destinationIP = destinationIP
        self.destinationPort = destinationPort
        self.predicate = predicate
    }

    /// Matches every datagram.
    public static let any = DatagramMatch()

    /// Matches datagrams from exactly `source` to exactly `destination`.
    public static func from(_ source: TransportAddress, to destination: TransportAddress) -> DatagramMatch {
        DatagramMatch(sourceIP: source.ip, sourcePort: source.port,
                      destinationIP: destination.ip, destinationPort: destination.port)
    }

    /// Matches datagrams between two IP addresses, in both directions.
    public static func between(_ first: IPAddress, _ second: IPAddress) -> DatagramMatch {
        DatagramMatch(where: { datagram in
            (datagram.source.ip == first && datagram.destination.ip == second)
                || (datagram.source.ip == second && datagram.destination.ip == first)
        })
    }

    /// True if `datagram` matches.
    public func matches(_ datagram: Datagram) -> Bool {
        if let sourceIP, datagram.source.ip != sourceIP { return false }
        if let sourcePort, datagram.source.port != sourcePort { return false }
        if let destinationIP, datagram.destination.ip != destinationIP { return false }
        if let destinationPort, datagram.destination.port != destinationPort { return false }
        return predicate?(datagram) ?? true
    }
}

/// A deterministic drop rule, evaluated when an endpoint transmits a datagram (before
/// routing, MTU and random loss), for scripting failures a test wants exactly:
/// "the first three requests are lost", "the path is down from 5 s to 35 s".
///
/// A datagram is dropped (reason `.scripted(name)`) when it matches `match`, the current
/// time is inside `window` (if any), and fewer than `limit` datagrams (if any) have
/// been dropped by this rule so far. Rules are checked in the order they were added;
/// the first one that drops wins.
public struct ScriptedRule: Sendable {
    /// The name shown in trace drop reasons.
    public var name: String
    /// Which datagrams the rule applies to.
    public var match: DatagramMatch
    /// When the rule is active: `start <= now < end`; nil for always.
    public var window: Range<Instant>?
    /// How many datagrams the rule drops at most; nil for no limit.
    public var limit: Int?

    /// Creates a rule.
    public init(_ name: String, match: DatagramMatch = .any, window: Range<Instant>? = nil, limit: Int? = nil) {
        self.name = name
        self.match = match
        self.window = window
        self.limit = limit
    }

    /// Drops the first `count` matching datagrams.
    public static func dropFirst(_ count: Int, matching match: DatagramMatch = .any, name: String? = nil) -> ScriptedRule {
        ScriptedRule(name ?? "drop first \(count)", match: match, limit: count)
    }

    /// Drops every matching datagram sent in `start ..< end` (a total outage by default).
    public static func outage(from start: Instant, until end: Instant, matching match: DatagramMatch = .any,
                              name: String? = nil) -> ScriptedRule {
        ScriptedRule(name ?? "outage \(start.milliseconds)..<\(end.milliseconds) ms", match: match,
                     window: start..<max(start, end))
    }

    /// Drops every matching datagram, forever.
    public static func dropAll(matching match: DatagramMatch = .any, name: String = "drop all") -> ScriptedRule {
        ScriptedRule(name, match: match)
    }
}

/// A rule plus how many datagrams it has dropped so far.
struct ActiveRule {
    var rule: ScriptedRule
    var dropped = 0

    /// Counts and returns true when the rule drops `datagram` at `now`.
    mutating func drops(_ datagram: Datagram, at now: Instant) -> Bool {
        if let limit = rule.limit, dropped >= limit { return false }
        if let window = rule.window, !window.contains(now) { return false }
        guard rule.match.matches(datagram) else { return false }
        dropped += 1
        return true
    }
}
