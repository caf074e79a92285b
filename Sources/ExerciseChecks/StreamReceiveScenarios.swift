// The inputs of exercise 12's checks: messages cut into DATA chunk fragments on several
// streams, then reordered, duplicated and partly lost the way a network and a PR-SCTP
// sender would do it, each from a seed so that a failure can be told and replayed.
import ExerciseInterfaces

/// One thing a receiver is fed.
enum StreamReceiveInput: CustomStringConvertible {
    case fragment(DataFragment)
    case forward(ForwardTSN)

    var description: String {
        switch self {
        case .fragment(let fragment): fragment.description
        case .forward(let forward): forward.description
        }
    }
}

/// A run of inputs for one fresh receiver.
struct StreamReceiveScenario {
    /// How the failure names it: "seed 7", "hand-written: a full buffer".
    var name: String
    var initialTSN: UInt32
    var limits = StreamReceiveLimits()
    var inputs: [StreamReceiveInput]
    /// Also compare `cumulativeTSN` after every input.
    var checksCumulativeTSN = false
}

/// SplitMix64 (Steele, Lea, Flood 2014): small, seeded, the same on every platform.
struct StreamReceiveRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range` (tiny bias, irrelevant here).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
}

/// What the generator may do to a stream of fragments.
struct StreamReceivePlan {
    /// The streams: id, unordered, and whether its messages may be abandoned (PR-SCTP).
    var streams: [(id: UInt16, unordered: Bool, partiallyReliable: Bool)]
    var messages: Int
    var maxFragments = 1
    var initialTSN: UInt32 = 1
    /// Each input moves up to this many places later (0: in order).
    var reorderWindow = 0
    /// Probability that a fragment arrives a second time, later.
    var duplication = 0.0
    /// Probability that a message of a partially reliable stream is abandoned.
    var abandonment = 0.0
    /// Probability of a FORWARD-TSN after each input, when one would move the cumulative TSN.
    var forwardRate = 0.3
    /// Probability that a FORWARD-TSN is repeated later (a stale copy).
    var staleForwardRate = 0.0

    /// The inputs for `seed`.
    func inputs(seed: UInt64) -> [StreamReceiveInput] {
        var random = StreamReceiveRandom(seed: seed)
        var tsn = initialTSN
        var nextSSN: [UInt16: UInt16] = [:]
        var fragments: [DataFragment] = []
        var abandoned: [(first: UInt32, last: UInt32, stream: UInt16, ssn: UInt16, ordered: Bool)] = []
        var dropped: Set<UInt32> = []
        for index in 0..<messages {
            let stream = streams[random.int(0...(streams.count - 1))]
            let ssn = stream.unordered ? 0 : nextSSN[stream.id, default: 0]
            if !stream.unordered { nextSSN[stream.id] = ssn &+ 1 }
            let count = random.int(1...max(1, maxFragments))
            let first = tsn
            var pieces: [DataFragment] = []
            for part in 0..<count {
                pieces.append(DataFragment(tsn: tsn, stream: stream.id, ssn: ssn, unordered: stream.unordered,
                                           begin: part == 0, end: part == count - 1, payload: Array("m\(index):\(part)|".utf8)))
                tsn &+= 1
            }
            if stream.partiallyReliable, random.chance(abandonment) {
                abandoned.append((first, tsn &- 1, stream.id, ssn, !stream.unordered))
                // At least one fragment never arrives; the others may.
                let lost = random.int(0...(count - 1))
                for (part, piece) in pieces.enumerated() where part == lost || random.chance(0.5) { dropped.insert(piece.tsn) }
            }
            fragments += pieces.filter { !dropped.contains($0.tsn) }
        }
        // Reordering: each fragment slides up to `reorderWindow` places later.
        let keyed = fragments.enumerated().map { (key: $0.offset * 1000 + random.int(0...reorderWindow) * 1000 + random.int(0...999),
                                                  fragment: $0.element) }
        var arriving = keyed.sorted { $0.key < $1.key }.map(\.fragment)
        // Duplication: a copy arrives again a little later.
        var index = 0
        while index < arriving.count {
            if random.chance(duplication) {
                let later = min(arriving.count, index + 1 + random.int(0...(reorderWindow + 4)))
                arriving.insert(arriving[index], at: later)
                index += 1
            }
            index += 1
        }
        return Self.withForwardTSNs(arriving, initialTSN: initialTSN, abandoned: abandoned, random: &random,
                                    rate: forwardRate, staleRate: staleForwardRate)
    }

    /// Inserts the FORWARD-TSNs a PR-SCTP sender would send (RFC 3758 §3.5 C1-C3): its
    /// Advanced.Peer.Ack.Point starts from the receiver's cumulative TSN (what a SACK
    /// acknowledges) and moves only over abandoned TSNs, so a FORWARD-TSN ends at the last
    /// TSN of an abandoned message and never skips a fragment still on its way or one the
    /// receiver holds beyond a gap. One more round comes at the end, so every fate is settled.
    static func withForwardTSNs(_ arriving: [DataFragment], initialTSN: UInt32,
                                abandoned: [(first: UInt32, last: UInt32, stream: UInt16, ssn: UInt16, ordered: Bool)],
                                random: inout StreamReceiveRandom, rate: Double, staleRate: Double) -> [StreamReceiveInput] {
        guard !abandoned.isEmpty else { return arriving.map { .fragment($0) } }
        var given: Set<UInt32> = []
        var skippable: Set<UInt32> = []
        for message in abandoned {
            var tsn = message.first
            while true {
                skippable.insert(tsn)
                if tsn == message.last { break }
                tsn &+= 1
            }
        }
        let origin = initialTSN &- 1
        var cumulativeAck = origin
        var sent: [ForwardTSN] = []
        var inputs: [StreamReceiveInput] = []

        func forward(force: Bool) {
            while true {
                while given.contains(cumulativeAck &+ 1) { cumulativeAck &+= 1 }
                var point = cumulativeAck
                while skippable.contains(point &+ 1) { point &+= 1 }
                guard point != cumulativeAck, force || random.chance(rate) else { return }
                var largest: [UInt16: UInt16] = [:]
                for message in abandoned where message.ordered && message.last &- origin <= point &- origin {
                    if let known = largest[message.stream], known &- message.ssn < 1 << 15 { continue }
                    largest[message.stream] = message.ssn
                }
                let chunk = ForwardTSN(newCumulativeTSN: point,
                                       skipped: largest.keys.sorted().map { ForwardTSN.Skip(stream: $0, ssn: largest[$0]!) })
                inputs.append(.forward(chunk))
                sent.append(chunk)
                cumulativeAck = point
            }
        }

        for fragment in arriving {
            inputs.append(.fragment(fragment))
            given.insert(fragment.tsn)
            forward(force: false)
            if let old = sent.last, random.chance(staleRate) { inputs.append(.forward(old)) }
        }
        forward(force: true)
        return inputs
    }
}
