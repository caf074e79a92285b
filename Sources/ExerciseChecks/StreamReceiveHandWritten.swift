// Exercise 12's hand-written scenarios: short runs that each pin one rule down (the
// seeded ones in StreamReceiveScenarios.swift then stress the same rules at random).
import ExerciseInterfaces

enum StreamReceiveHandWritten {
    /// `{tsn sS#ssn flags "text"}` as a value: flags is any of "B", "E", "u".
    static func f(_ tsn: UInt32, _ stream: UInt16, _ ssn: UInt16, _ flags: String, _ text: String) -> StreamReceiveInput {
        .fragment(DataFragment(tsn: tsn, stream: stream, ssn: ssn, unordered: flags.contains("u"),
                               begin: flags.contains("B"), end: flags.contains("E"), payload: Array(text.utf8)))
    }

    static func fwd(_ tsn: UInt32, _ skips: [(UInt16, UInt16)] = []) -> StreamReceiveInput {
        .forward(ForwardTSN(newCumulativeTSN: tsn, skipped: skips.map { ForwardTSN.Skip(stream: $0.0, ssn: $0.1) }))
    }

    static func scenario(_ name: String, _ initialTSN: UInt32, limits: StreamReceiveLimits = StreamReceiveLimits(),
                         _ inputs: [StreamReceiveInput]) -> StreamReceiveScenario {
        StreamReceiveScenario(name: "hand-written: " + name, initialTSN: initialTSN, limits: limits, inputs: inputs,
                              checksCumulativeTSN: true)
    }

    static let whole = [scenario("whole messages, a gap on each stream", 1000, [
        f(1000, 1, 0, "BE", "a"), f(1002, 1, 2, "BE", "c"), f(1001, 1, 1, "BE", "b"),
        f(1003, 2, 0, "BEu", "x"), f(1005, 2, 0, "BEu", "z"), f(1004, 2, 0, "BEu", "y"),
    ])]

    /// Every arrival order of a 4-fragment ordered message, and of an unordered one.
    static var permutations: [StreamReceiveScenario] {
        var orders: [[Int]] = [[]]
        for item in 0..<4 {
            orders = orders.flatMap { order in (0...order.count).map { var o = order; o.insert(item, at: $0); return o } }
        }
        let flags = ["B", "", "", "E"]
        return orders.flatMap { order in
            [(UInt16(1), ""), (UInt16(2), "u")].map { stream, kind in
                scenario("one 4-fragment message arriving as " + order.map { "\(20 + $0)" }.joined(separator: " "), 20,
                         order.map { f(20 + UInt32($0), stream, 0, flags[$0] + kind, "part\($0)|") }
                             + [f(24, stream, 1, "BE" + kind, "next")])
            }
        }
    }

    static let duplicates = [scenario("duplicates above and below the cumulative TSN", 10, [
        f(11, 2, 0, "BEu", "x"), f(11, 2, 0, "BEu", "x"), f(10, 1, 0, "BE", "a"), f(10, 1, 0, "BE", "a"),
        f(12, 1, 1, "B", "b"), f(12, 1, 1, "B", "b"), f(13, 1, 1, "E", "c"), f(13, 1, 1, "E", "c"), f(11, 2, 0, "BEu", "x"),
    ])]

    static let tsnWrap = [scenario("a message across the wrap from 4294967295 to 0", 4_294_967_294, [
        f(2, 1, 1, "BE", "e"), f(0, 1, 0, "", "c"), f(4_294_967_295, 1, 0, "", "b"), f(3, 3, 0, "BEu", "u"),
        f(1, 1, 0, "E", "d"), f(4_294_967_294, 1, 0, "B", "a"), f(4, 1, 2, "BE", "f"),
    ])]

    static let forwardUnordered = [
        scenario("partial messages below a FORWARD-TSN are dropped and their bytes freed", 1,
                 limits: StreamReceiveLimits(maxBufferedBytes: 10, tsnWindow: 64), [
            f(1, 4, 0, "Bu", "aaaa"), f(2, 4, 0, "u", "bbbb"), fwd(3), f(5, 4, 0, "Eu", "dddddd"), f(3, 4, 0, "Eu", "zz"),
            f(4, 4, 0, "Bu", "cc"),
        ]),
    ]

    static let forwardOrdered = [
        scenario("abandoned messages on ordered stream 5", 100, [
            f(100, 5, 0, "BE", "a"), f(102, 5, 2, "BE", "c"), f(103, 5, 3, "B", "d1"), f(104, 5, 3, "E", "d2"),
            fwd(101, [(5, 1)]), f(105, 5, 4, "B", "e1"), f(107, 5, 5, "BE", "f"), fwd(106, [(5, 4)]),
            f(106, 5, 4, "E", "e2"), f(108, 5, 6, "BE", "g"),
        ]),
        scenario("a waiting message below the skipped SSN is delivered", 1, [
            f(2, 5, 1, "BE", "b"), f(4, 5, 3, "BE", "d"), fwd(3, [(5, 2)]), f(5, 5, 4, "BE", "e"),
        ]),
    ]

    static let stale = [scenario("stale and repeated FORWARD-TSNs", 10, [
        f(10, 1, 0, "BE", "a"), f(12, 1, 2, "BE", "c"), fwd(9, [(1, 0)]), fwd(11, [(1, 1)]), fwd(11, [(1, 1)]),
        f(11, 1, 1, "BE", "b"), f(13, 1, 3, "BE", "d"), f(14, 2, 0, "Bu", "p"), fwd(15, [(1, 2)]), f(15, 2, 0, "Eu", "q"),
        f(16, 1, 4, "BE", "e"), fwd(12, [(1, 9)]), f(17, 1, 5, "BE", "g"),
    ])]

    static let limits = [
        scenario("a full buffer and a TSN beyond the window", 100, limits: StreamReceiveLimits(maxBufferedBytes: 10, tsnWindow: 8), [
            f(101, 0, 1, "BE", "aaaa"), f(102, 0, 2, "BE", "bbbb"), f(103, 0, 3, "BE", "cccc"), f(108, 0, 8, "BE", "x"),
            f(100, 0, 0, "BE", "zzzzzz"), f(103, 0, 3, "BE", "cccc"), f(108, 0, 8, "BE", "x"),
            f(104, 3, 0, "Bu", "12345"), f(105, 3, 0, "u", "67890"), f(106, 3, 0, "Eu", "!"),
        ]),
        scenario("the window across the wrap", 4_294_967_294, limits: StreamReceiveLimits(maxBufferedBytes: 100, tsnWindow: 4), [
            f(3, 0, 5, "BE", "x"), f(1, 0, 3, "BE", "d"), f(4_294_967_294, 0, 0, "BE", "a"), f(3, 0, 5, "BE", "x"),
            f(4_294_967_295, 0, 1, "BE", "b"), f(0, 0, 2, "BE", "c"), f(3, 0, 5, "BE", "x"), f(2, 0, 4, "BE", "w"),
        ]),
    ]
}

extension StreamReceiveHandWritten {
    /// 65576 one-fragment messages on ordered stream 1 (TSN 1 on), in order until just before
    /// SSN 65535, then the last 76 (across SSN 65535 → 0) shuffled within 3 places by `seed`.
    static func ssnWrap(seed: UInt64) -> StreamReceiveScenario {
        let count = 65_536 + 40, shuffledFrom = 65_500
        var random = StreamReceiveRandom(seed: seed)
        func message(_ k: Int) -> StreamReceiveInput {
            let text = k < shuffledFrom ? "x" : "m\(k)"
            return .fragment(DataFragment(tsn: UInt32(k + 1), stream: 1, ssn: UInt16(truncatingIfNeeded: k), unordered: false,
                                          begin: true, end: true, payload: Array(text.utf8)))
        }
        // SSN 65535 always arrives after SSNs 0 and 1: the wrap itself is reordered.
        var tail = (shuffledFrom..<count).map { (key: $0 * 10 + random.int(0...30) + ($0 == 65_535 ? 25 : 0), k: $0) }
        tail.sort { $0.key < $1.key }
        return StreamReceiveScenario(name: "seed \(seed), SSNs 0 to 65535 then 0 to 39 again", initialTSN: 1,
                                     inputs: (0..<shuffledFrom).map(message) + tail.map { message($0.k) })
    }
}
