// Exercise 10 — ICE pair states: the stateful part of a checklist (RFC 8445 §6.1.2, §6.1.4.2,
// §7.2.5.3.3).
//
// After the candidates are exchanged, an agent pairs its candidates with the peer's, orders
// the pairs, freezes all but one pair per foundation, and then walks the list: every Ta it
// checks the best Waiting pair, and every success unfreezes the pairs that look like it.
// The student writes that walk as a value with no clock and no sockets: it is told the
// candidates and the results of checks, and answers which pair to check next. The checks
// drive it with scripted results; `ice-check --use-exercise` lets it choose the ordinary
// checks of a real agent behind simulated NATs. Keep these names and signatures as they are.

/// The IP version of an address: only candidates of the same family pair (§6.1.2.2).
public enum IceAddressFamily: String, Hashable, Sendable {
    /// An IPv4 address ("10.0.1.2").
    case ipv4
    /// An IPv6 address ("2001:db8::1").
    case ipv6
}

/// A transport address as text and a port: enough to compare, pair and print.
public struct IceTransportAddress: Hashable, Sendable, CustomStringConvertible {
    /// The IP address in its usual text form: dotted IPv4, or IPv6 with colons (no brackets).
    public var ip: String
    /// The UDP port.
    public var port: Int

    /// Creates an address.
    public init(_ ip: String, _ port: Int) {
        self.ip = ip
        self.port = port
    }

    /// IPv6 when the text has a colon, IPv4 otherwise.
    public var family: IceAddressFamily { ip.contains(":") ? .ipv6 : .ipv4 }

    /// "10.0.1.2:5000" or "[2001:db8::1]:5000".
    public var description: String { family == .ipv6 ? "[\(ip)]:\(port)" : "\(ip):\(port)" }
}

/// One candidate as the checklist sees it (RFC 8445 §5.1.1).
public struct IceChecklistCandidate: Hashable, Sendable, CustomStringConvertible {
    /// host, srflx, prflx or relay (the vocabulary of exercise 03).
    public var type: CandidateKind
    /// Where the peer sends to.
    public var address: IceTransportAddress
    /// Where we send from (§5.1.1.2): for a server-reflexive candidate, the host address behind the
    /// NAT; for every other candidate (and every remote one), the address itself.
    public var base: IceTransportAddress
    /// The component (1 for a data channel; 2 was RTCP).
    public var component: Int
    /// Candidates that share type, base IP, server and transport share a foundation (§5.1.1.3).
    public var foundation: String
    /// The candidate priority (§5.1.2.1).
    public var priority: UInt32

    /// Creates a candidate; the base defaults to the address.
    public init(type: CandidateKind, address: IceTransportAddress, base: IceTransportAddress? = nil,
                component: Int = 1, foundation: String, priority: UInt32) {
        self.type = type
        self.address = address
        self.base = base ?? address
        self.component = component
        self.foundation = foundation
        self.priority = priority
    }

    /// "srflx 203.0.113.1:40000 base 10.0.1.2:5000 (component 1, foundation 2, priority 1694498815)".
    public var description: String {
        let base = base == address ? "" : " base \(base)"
        return "\(type.rawValue) \(address)\(base) (component \(component), foundation \(foundation), priority \(priority))"
    }
}

/// The state of a pair (RFC 8445 §6.1.2.6), spelled as the RFC spells it.
///
/// ```
///   Frozen ──unfreeze──▶ Waiting ──checked──▶ In-Progress ──success──▶ Succeeded
///                                                   └──────failure──▶ Failed
/// ```
public enum IcePairState: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Not to be checked until a pair of its foundation succeeds, or nothing else waits.
    case frozen = "Frozen"
    /// To be checked when it is the best Waiting pair.
    case waiting = "Waiting"
    /// Its check was sent; the answer has not come.
    case inProgress = "In-Progress"
    /// Its check succeeded.
    case succeeded = "Succeeded"
    /// Its check failed (no answer, or an unrecoverable error).
    case failed = "Failed"

    /// The RFC's spelling.
    public var description: String { rawValue }
}

/// Which pair a pair is: its local base, the remote address and the component (what
/// §6.1.2.4 compares to find redundant pairs). Priority and state are not part of it.
public struct IcePairID: Hashable, Sendable, CustomStringConvertible {
    /// The local candidate's base: where the check leaves from.
    public var localBase: IceTransportAddress
    /// The remote candidate's address: where the check goes.
    public var remote: IceTransportAddress
    /// The component of both candidates.
    public var component: Int

    /// Creates an id.
    public init(localBase: IceTransportAddress, remote: IceTransportAddress, component: Int) {
        self.localBase = localBase
        self.remote = remote
        self.component = component
    }

    /// "10.0.1.2:5000 -> 198.51.100.1:6000".
    public var description: String {
        "\(localBase) -> \(remote)" + (component == 1 ? "" : " (component \(component))")
    }
}

/// One row of the checklist.
public struct IceChecklistPair: Hashable, Sendable, Identifiable, CustomStringConvertible {
    /// Our candidate; never server-reflexive once formed (§6.1.2.4: its base stands in).
    public var local: IceChecklistCandidate
    /// The peer's candidate.
    public var remote: IceChecklistCandidate
    /// The pair priority (§6.1.2.3).
    public var priority: UInt64
    /// Where its check stands.
    public var state: IcePairState

    /// Creates a pair.
    public init(local: IceChecklistCandidate, remote: IceChecklistCandidate, priority: UInt64, state: IcePairState) {
        self.local = local
        self.remote = remote
        self.priority = priority
        self.state = state
    }

    /// The pair foundation: the local and the remote foundation joined by a colon (§6.1.2.6).
    public var foundation: String { local.foundation + ":" + remote.foundation }

    /// The component both candidates belong to.
    public var component: Int { local.component }

    /// Which pair this is (local base, remote address, component).
    public var id: IcePairID { IcePairID(localBase: local.base, remote: remote.address, component: local.component) }

    /// "host 10.0.1.2:5000 -> srflx 198.51.100.1:6000 Waiting (priority 7277816997830033407, foundation 1:2)".
    public var description: String {
        "\(local.type.rawValue) \(local.base) -> \(remote.type.rawValue) \(remote.address)"
            + (component == 1 ? "" : " component \(component)")
            + " \(state) (priority \(priority), foundation \(foundation))"
    }
}

/// Exercise 10: a checklist that forms, orders and freezes its pairs, chooses the next pair to
/// check and moves pairs through their states (RFC 8445 §6.1.2, §6.1.4.2, §7.2.5.3.3).
///
/// Implemented by `Exercises.IceChecklist` (exercises/10-ice-checklist/IceChecklist.swift) and
/// `Solutions.IceChecklist`. A value type with no clock: whoever owns it decides when Ta has
/// passed and calls `nextPairToCheck()`; the answers to checks come back through
/// `checkSucceeded(_:)` and `checkFailed(_:)`. Pairs are named by their `id`: their state and
/// priority in the argument do not matter.
public protocol IceChecklistExercise: Sendable {
    /// An empty checklist.
    init()

    /// Forms the checklist, replacing any previous one:
    /// 1. §6.1.2.2: pair every local candidate with every remote candidate of the same component
    ///    and the same address family;
    /// 2. §6.1.2.3: each pair's priority is 2^32·MIN(G,D) + 2·MAX(G,D) + (G>D ? 1 : 0), G being the
    ///    controlling agent's candidate priority (ours when `controlling`), D the other's (a
    ///    priority above 2^31−1 is invalid, §5.1.2: count it as 2^31−1 so the sum cannot overflow);
    /// 3. §6.1.2.4: a server-reflexive local candidate is replaced by its base, the local host
    ///    candidate at that address (same component); a pair is then dropped when a
    ///    higher-priority pair has the same local base and the same remote candidate (`id`);
    /// 4. pairs are ordered by priority, highest first (equal priorities: in the order formed,
    ///    local candidates in the order given, then remote ones);
    /// 5. §6.1.2.6: every pair is Frozen, then for each pair foundation the pair with the lowest
    ///    component id (among those, the highest priority) becomes Waiting.
    ///
    /// Throws `ExerciseError.invalidInput` when a server-reflexive local candidate has no host
    /// candidate at its base among `local`.
    mutating func form(local: [IceChecklistCandidate], remote: [IceChecklistCandidate], controlling: Bool) throws

    /// Every pair with its state, highest priority first.
    var pairs: [IceChecklistPair] { get throws }

    /// Chooses the pair for the next ordinary check, when Ta allows one (§6.1.4.2), and moves it
    /// to In-Progress: if no pair is Waiting, first every Frozen pair whose foundation has no
    /// Waiting or In-Progress pair is unfrozen (one per foundation: the lowest component id,
    /// then the highest priority); then the highest-priority Waiting pair (ties: the lowest
    /// component id) is returned, already In-Progress. Nil when no pair can be checked.
    mutating func nextPairToCheck() throws -> IceChecklistPair?

    /// The check of `pair` succeeded (§7.2.5.3.3): it becomes Succeeded, and every Frozen pair with
    /// the same foundation becomes Waiting. Throws `ExerciseError.invalidInput` when the pair is not
    /// in the checklist or not In-Progress.
    mutating func checkSucceeded(_ pair: IceChecklistPair) throws

    /// The check of `pair` failed (§7.2.5.2, §7.2.5.4): it becomes Failed; nothing is unfrozen.
    /// Throws `ExerciseError.invalidInput` when the pair is not in the checklist or not In-Progress.
    mutating func checkFailed(_ pair: IceChecklistPair) throws
}
