/// A pair of a local and a remote candidate (RFC 8445 §6.1.2), one row of a checklist.
public struct ICECandidatePair: Hashable, Sendable, Identifiable, CustomStringConvertible {
    /// Stable within its checklist: priorities change on a role switch, ids do not.
    public var id: Int
    /// Our candidate (after §6.1.2.4, never server-reflexive: its base stands in).
    public var local: ICECandidate
    /// The peer's candidate.
    public var remote: ICECandidate
    /// The pair priority for the current role (§6.1.2.3).
    public var priority: UInt64
    /// Where its check stands.
    public var state: ICEPairState
    /// True once nominated (§8.1.1).
    public var isNominated: Bool

    /// Creates a pair with its priority for `role`, Frozen and not nominated.
    public init(id: Int, local: ICECandidate, remote: ICECandidate, role: ICERole) {
        self.id = id
        self.local = local
        self.remote = remote
        self.priority = ICEPairPriority.compute(local: local.priority, remote: remote.priority, role: role)
        self.state = .frozen
        self.isNominated = false
    }

    /// The pair foundation: the local and remote foundations together (§6.1.2.6).
    public var foundation: String { "\(local.foundation):\(remote.foundation)" }

    /// The component both candidates belong to.
    public var componentID: Int { local.componentID }

    /// "#3 127.0.0.1:5000 -> 127.0.0.1:6000 host/host Waiting (priority ...)".
    public var description: String {
        "#\(id) \(local.base) -> \(remote.address) \(local.type)/\(remote.type) \(state) (priority \(priority))"
            + (isNominated ? " nominated" : "")
    }
}

/// The triggered-check queue (RFC 8445 §6.1.4.1): pairs that must be checked
/// before any ordinary check, first in first out, each at most once.
public struct ICETriggeredCheckQueue: Hashable, Sendable {
    private var ids: [Int] = []

    /// An empty queue.
    public init() {}

    /// The queued pair ids, front first.
    public var pairIDs: [Int] { ids }
    /// True when nothing is queued.
    public var isEmpty: Bool { ids.isEmpty }
    /// How many pairs are queued.
    public var count: Int { ids.count }

    /// Queues `pairID` unless already queued; returns whether it was added.
    @discardableResult
    public mutating func enqueue(_ pairID: Int) -> Bool {
        guard !ids.contains(pairID) else { return false }
        ids.append(pairID)
        return true
    }

    /// Takes the front pair id, or nil.
    public mutating func dequeue() -> Int? { ids.isEmpty ? nil : ids.removeFirst() }

    /// Drops `pairID` (e.g. the pair was pruned or failed for good).
    public mutating func remove(_ pairID: Int) { ids.removeAll { $0 == pairID } }

    /// True when `pairID` is queued.
    public func contains(_ pairID: Int) -> Bool { ids.contains(pairID) }
}
