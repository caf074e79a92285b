// Exercise 10 — ICE pair states (reference answer).
//
// Same file name, type name and public surface as exercises/10-ice-checklist/IceChecklist.swift.
import ExerciseInterfaces

/// A checklist: its pairs in priority order, each with its state.
public struct IceChecklist: IceChecklistExercise {
    /// Every pair, highest priority first.
    public private(set) var pairs: [IceChecklistPair] = []

    /// An empty checklist.
    public init() {}

    /// §6.1.2.2-§6.1.2.6: pair, prioritise, replace srflx locals by their bases, prune, sort,
    /// then one Waiting pair per foundation.
    public mutating func form(local: [IceChecklistCandidate], remote: [IceChecklistCandidate], controlling: Bool) throws {
        var formed: [IceChecklistPair] = []
        for ours in local {
            for theirs in remote where ours.component == theirs.component && ours.address.family == theirs.address.family {
                // The priority is the candidate's as signaled; only then does a srflx stand down
                // for its base, because a check can only leave from a base.
                let priority = Self.pairPriority(local: ours.priority, remote: theirs.priority, controlling: controlling)
                var sender = ours
                if ours.type == .serverReflexive {
                    guard let host = local.first(where: { $0.type == .host && $0.address == ours.base && $0.component == ours.component })
                    else { throw ExerciseError.invalidInput("srflx \(ours.address) has no host candidate at its base \(ours.base)") }
                    sender = host
                }
                formed.append(IceChecklistPair(local: sender, remote: theirs, priority: priority, state: .frozen))
            }
        }
        // A stable sort keeps the formation order among equal priorities.
        let ordered = formed.enumerated().sorted {
            $0.element.priority != $1.element.priority ? $0.element.priority > $1.element.priority : $0.offset < $1.offset
        }.map(\.element)
        var seen = Set<IcePairID>()
        pairs = ordered.filter { seen.insert($0.id).inserted }
        // §6.1.2.6: lowest component first, then highest priority (the list is already by priority).
        var unfrozen = Set<String>()
        let byComponent = pairs.indices.sorted { (pairs[$0].component, $0) < (pairs[$1].component, $1) }
        for index in byComponent where unfrozen.insert(pairs[index].foundation).inserted {
            pairs[index].state = .waiting
        }
    }

    /// §6.1.4.2 steps 2 and 3.
    public mutating func nextPairToCheck() throws -> IceChecklistPair? {
        if !pairs.contains(where: { $0.state == .waiting }) {
            let busy = Set(pairs.filter { $0.state == .waiting || $0.state == .inProgress }.map(\.foundation))
            var unfrozen = Set<String>()
            let byComponent = pairs.indices.sorted { (pairs[$0].component, $0) < (pairs[$1].component, $1) }
            for index in byComponent where pairs[index].state == .frozen && !busy.contains(pairs[index].foundation) {
                if unfrozen.insert(pairs[index].foundation).inserted { pairs[index].state = .waiting }
            }
        }
        // Highest priority first; among equal priorities the lowest component id.
        let best = pairs.indices.filter { pairs[$0].state == .waiting }.min {
            (pairs[$0].priority, -pairs[$0].component) > (pairs[$1].priority, -pairs[$1].component)
        }
        guard let best else { return nil }
        pairs[best].state = .inProgress
        return pairs[best]
    }

    /// §7.2.5.3.3: success unfreezes the pair's foundation.
    public mutating func checkSucceeded(_ pair: IceChecklistPair) throws {
        let index = try inProgressIndex(of: pair)
        pairs[index].state = .succeeded
        let foundation = pairs[index].foundation
        for other in pairs.indices where pairs[other].state == .frozen && pairs[other].foundation == foundation {
            pairs[other].state = .waiting
        }
    }

    /// §7.2.5.2: a failure unfreezes nothing.
    public mutating func checkFailed(_ pair: IceChecklistPair) throws {
        pairs[try inProgressIndex(of: pair)].state = .failed
    }

    /// The index of `pair`, which must be In-Progress: a result for any other pair is a caller's mistake.
    private func inProgressIndex(of pair: IceChecklistPair) throws -> Int {
        guard let index = pairs.firstIndex(where: { $0.id == pair.id }) else {
            throw ExerciseError.invalidInput("no pair \(pair.id) in the checklist")
        }
        guard pairs[index].state == .inProgress else {
            throw ExerciseError.invalidInput("pair \(pair.id) is \(pairs[index].state), not In-Progress")
        }
        return index
    }

    /// §6.1.2.3 with G the controlling side's priority. Priorities above 2^31 − 1 are invalid
    /// (§5.1.2) and clamped, so the sum fits in 64 bits whatever a peer signals.
    static func pairPriority(local: UInt32, remote: UInt32, controlling: Bool) -> UInt64 {
        let ours = UInt64(min(local, 0x7FFF_FFFF)), theirs = UInt64(min(remote, 0x7FFF_FFFF))
        let g = controlling ? ours : theirs, d = controlling ? theirs : ours
        return (min(g, d) << 32) + 2 * max(g, d) + (g > d ? 1 : 0)
    }
}
