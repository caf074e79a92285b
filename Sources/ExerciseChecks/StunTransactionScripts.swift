// The network scripts of exercise 09's checks: the hand-written ones, one family per check,
// and the seeded random ones.
import ExerciseInterfaces

enum StunTransactionScripts {
    static let defaults = StunTransactionConfiguration()

    /// "sends #1 and #2 are lost", "send #1 is lost".
    static func lost(_ count: Int) -> String {
        switch count {
        case 0: return "no send is lost"
        case 1: return "send #1 is lost"
        case 2: return "sends #1 and #2 are lost"
        default: return "sends #1 to #\(count) are lost"
        }
    }

    static var noLoss: [StunNetworkScript] {
        [
            StunNetworkScript(otherSends: [40], summary: "every send is answered after 40 ms (RTO 500 ms, Rc 7, Rm 16)"),
            StunNetworkScript(otherSends: [499], summary: "every send is answered after 499 ms, just inside the first RTO of 500 ms"),
        ]
    }

    static var firstLost: [StunNetworkScript] {
        [1, 2, 3, 6].map { count in
            StunNetworkScript(fates: Dictionary(uniqueKeysWithValues: (1...count).map { ($0, []) }), otherSends: [40],
                              summary: lost(count) + ", every later send is answered after 40 ms (RTO 500 ms, Rc 7, Rm 16)")
        }
    }

    static var allLost: [StunNetworkScript] {
        [StunNetworkScript(summary: "every send is lost (RTO 500 ms, Rc 7, Rm 16)")]
    }

    static var duplicated: [StunNetworkScript] {
        [
            StunNetworkScript(otherSends: [40, 45], summary: "every send is answered after 40 ms, and the answer arrives a second time 5 ms later"),
            StunNetworkScript(fates: [1: []], otherSends: [40, 90],
                              summary: "send #1 is lost; every later send is answered after 40 ms and again after 90 ms"),
        ]
    }

    static var lateAnswer: [StunNetworkScript] {
        [
            StunNetworkScript(fates: [7: [9_000]],
                              summary: "sends #1 to #6 are lost; send #7 (at 31500 ms) is answered after 9000 ms, at 40500 ms"),
            StunNetworkScript(fates: [7: [7_999]],
                              summary: "sends #1 to #6 are lost; send #7 (at 31500 ms) is answered after 7999 ms, at 39499 ms"),
        ]
    }

    static var wrongID: [StunNetworkScript] {
        [
            StunNetworkScript(fates: [1: []], otherSends: [40], strays: [200, 300, 520],
                              summary: "send #1 is lost; responses with another transaction id (ours with its last byte, then "
                                + "its first byte changed) arrive at 200, 300 and 520 ms; every later send is answered after 40 ms"),
        ]
    }

    static var earlierAnswer: [StunNetworkScript] {
        [
            StunNetworkScript(otherSends: [700], summary: "every send is answered after 700 ms, longer than the RTO of 500 ms"),
            StunNetworkScript(fates: [1: [1_400], 2: []], otherSends: [40],
                              summary: "send #1 is answered after 1400 ms, send #2 is lost, every later send is answered after 40 ms"),
        ]
    }

    static var customRTO: [StunNetworkScript] {
        [
            StunNetworkScript(configuration: StunTransactionConfiguration(rtoMilliseconds: 100),
                              summary: "every send is lost (RTO 100 ms, Rc 7, Rm 16)"),
            StunNetworkScript(configuration: StunTransactionConfiguration(rtoMilliseconds: 1_000), fates: [1: [], 2: []],
                              otherSends: [40], summary: "sends #1 and #2 are lost, later ones answered after 40 ms (RTO 1000 ms, Rc 7, Rm 16)"),
            StunNetworkScript(configuration: StunTransactionConfiguration(rtoMilliseconds: 20),
                              summary: "every send is lost (RTO 20 ms, Rc 7, Rm 16)"),
        ]
    }

    static var customCounts: [StunNetworkScript] {
        [
            StunNetworkScript(configuration: StunTransactionConfiguration(rtoMilliseconds: 250, maxRequests: 3, finalWaitMultiplier: 4),
                              summary: "every send is lost (RTO 250 ms, Rc 3, Rm 4)"),
            StunNetworkScript(configuration: StunTransactionConfiguration(rtoMilliseconds: 500, maxRequests: 1, finalWaitMultiplier: 16),
                              summary: "every send is lost (RTO 500 ms, Rc 1: a single request, Rm 16)"),
            StunNetworkScript(configuration: StunTransactionConfiguration(rtoMilliseconds: 100, maxRequests: 9, finalWaitMultiplier: 2),
                              summary: "every send is lost (RTO 100 ms, Rc 9, Rm 2)"),
        ]
    }

    static var earlyTicks: [StunNetworkScript] {
        [
            StunNetworkScript(fates: [1: [], 2: [], 3: []], otherSends: [40], earlyTicks: Array(stride(from: 50, through: 4_000, by: 100)),
                              summary: "sends #1 to #3 are lost, later ones answered after 40 ms; the caller also calls "
                                + "tick(now:) every 100 ms from 50 ms to 3950 ms, whether anything is due or not"),
            StunNetworkScript(earlyTicks: [1, 499, 1_499, 39_499],
                              summary: "every send is lost; the caller also calls tick(now:) at 1, 499, 1499 and 39499 ms, "
                                + "each just before a deadline"),
        ]
    }

    /// How many random scripts the seeded check runs.
    static let seededCount = 120

    /// A random script from `seed`: parameters, each send's fate, strays and early ticks, all spelled out.
    static func seeded(_ seed: UInt64) -> StunNetworkScript {
        var random = CheckRandom(seed: seed)
        let rto = [20, 50, 100, 250, 500][random.int(in: 0...4)]
        let configuration = StunTransactionConfiguration(rtoMilliseconds: rto, maxRequests: random.int(in: 1...8),
                                                         finalWaitMultiplier: random.int(in: 1...16))
        let loss = [0, 30, 60, 90, 100][random.int(in: 0...4)]
        var fates: [Int: [Int]] = [:]
        var words: [String] = []
        for send in 1...configuration.maxRequests {
            if random.chance(loss) {
                fates[send] = []
                words.append("#\(send) lost")
            } else {
                let delay = random.int(in: 1...(rto * 3))
                if random.chance(20) {
                    let again = delay + random.int(in: 1...rto)
                    fates[send] = [delay, again]
                    words.append("#\(send) answered after \(delay) and again after \(again) ms")
                } else {
                    fates[send] = [delay]
                    words.append("#\(send) answered after \(delay) ms")
                }
            }
        }
        let strays = random.chance(30) ? (0..<random.int(in: 1...3)).map { _ in random.int(in: 1...(rto * 8)) }.sorted() : []
        let ticks = random.chance(30) ? (0..<random.int(in: 1...5)).map { _ in random.int(in: 1...(rto * 8)) }.sorted() : []
        var summary = "seed \(seed): \(configuration); sends " + words.joined(separator: ", ") + ", any later send lost"
        if !strays.isEmpty { summary += "; responses with another transaction id at " + strays.map(String.init).joined(separator: ", ") + " ms" }
        if !ticks.isEmpty { summary += "; early tick(now:) calls at " + ticks.map(String.init).joined(separator: ", ") + " ms" }
        return StunNetworkScript(configuration: configuration, fates: fates, strays: strays, earlyTicks: ticks, summary: summary)
    }
}
