// Checks of exercise 08: the cost model of an agent mesh. This file declares every check
// and holds those of the model itself (connections, sequential and parallel setup,
// amortisation, break-even); the comparisons with what `datachannel-chat demo --json`
// measured are in MeshCostDemoChecks.swift. Failures show the call, the expected and the
// actual number, and name the classic mistakes when the answer matches one: N² or
// N(N−1) connections (each pair counted twice), one agent's connections instead of the
// mesh's, a rounded-down number of rounds or messages, an overflow on a large mesh.
import ExerciseInterfaces

enum MeshCostChecks {
    static let exerciseID = "08-mesh-cost"
    static let check = DescriptorMaker(exerciseID: exerciseID)

    static let meshRule = "A PeerConnection joins exactly two endpoints (RFC 8829, JSEP), and so do the ICE session "
        + "(RFC 8445), the DTLS association (RFC 6347) and the SCTP association (RFC 8261) inside it: a full mesh of N agents "
        + "needs one connection per unordered pair, N × (N − 1) / 2, and none for fewer than two agents"
    static let countInputRule = "Exercise 08's model (MeshCostExercise): an agent count is never negative, and a mesh whose "
        + "N × (N − 1) / 2 connections (RFC 8829: one PeerConnection per pair) do not fit in Int is refused; either is "
        + "ExerciseError.invalidInput, never a trap or a wrapped number"
    static let sequentialRule = "Every pair runs its own handshakes, ICE checks (RFC 8445), DTLS (RFC 6347), SCTP (RFC 8261) "
        + "and DCEP (RFC 8832), and shares none of them with another pair: set up one after another, a mesh takes "
        + "connections × per-pair time"
    static let timeInputRule = "Exercise 08's model (MeshCostExercise): a per-pair setup (RFC 8445 ICE, RFC 6347 DTLS, "
        + "RFC 8261 SCTP) is a duration, finite and not negative, and an agent count is not negative; anything else is "
        + "ExerciseError.invalidInput"
    static let parallelRule = "Each agent takes part in N − 1 per-pair setups (one ICE session per pair, RFC 8445, one DTLS and "
        + "one SCTP handshake each, RFC 6347 and RFC 8261); running at most k at once it needs ⌈(N − 1) / k⌉ rounds of one "
        + "per-pair time, so that many rounds × per-pair time is a lower bound for the whole mesh (0 below two agents)"
    static let parallelInputRule = "Exercise 08's model (MeshCostExercise): an agent runs at least one setup (RFC 8445 ICE, "
        + "RFC 6347 DTLS, RFC 8261 SCTP) at a time, so setupsAtOnce < 1 is ExerciseError.invalidInput, as are a negative agent "
        + "count and a negative, infinite or NaN per-pair time"
    static let amortisedRule = "The setup is paid once per pair; every later message rides the same SCTP association "
        + "(RFC 8831) with no new handshake, so over M messages each carries setup / M of it; with M = 0 there is no message "
        + "to carry it, and the answer is nil"
    static let amortisedInputRule = "Exercise 08's model (MeshCostExercise): zero messages is nil, not an error, but a "
        + "negative message count, or a setup time (RFC 8445, RFC 6347, RFC 8261 handshakes) that is negative, infinite or "
        + "NaN, is ExerciseError.invalidInput"
    static let breakEvenRule = "An HTTP request (RFC 9110) pays its fixed cost every time; a DataChannel's setup (RFC 8831) "
        + "is paid once. After M messages the setup costs setup / M per message, which is at most one request's cost from "
        + "M = ⌈setup / request⌉ on (0 when the setup is free)"
    static let breakEvenInputRule = "Exercise 08's model (MeshCostExercise): an HTTP request (RFC 9110) costs a positive, "
        + "finite time, a setup a finite time that is not negative, and an answer too large for Int is refused; each is "
        + "ExerciseError.invalidInput, never a trap"

    static let connectionsSmall = check(
        "connections.small", points: 2, title: "counts the connections of no agent, one agent, a pair and three agents (0, 0, 1, 3)",
        rule: meshRule)
    static let connectionsMesh = check(
        "connections.mesh", points: 2, title: "counts N × (N − 1) / 2 connections for meshes of 5, 10, 50, 100 and 1000 agents",
        rule: meshRule)
    static let connectionsNegative = check(
        "connections.rejects-negative", points: 1, title: "throws ExerciseError.invalidInput for a negative number of agents",
        rule: countInputRule)
    static let connectionsLarge = check(
        "connections.large", points: 1,
        title: "counts 2^32 agents without overflowing, and throws invalidInput when the count does not fit in Int",
        rule: countInputRule)
    static let sequential = check(
        "sequential.per-pair", points: 2, title: "sequential setup is connections × per-pair time (the source lesson's 5 agents)",
        rule: sequentialRule)
    static let sequentialRejects = check(
        "sequential.rejects", points: 1,
        title: "throws invalidInput for negative agents and for a per-pair time that is negative, infinite or NaN",
        rule: timeInputRule)
    static let parallel = check(
        "parallel.lower-bound", points: 2,
        title: "the parallel lower bound is ⌈(N − 1) / k⌉ rounds of one per-pair time", rule: parallelRule)
    static let parallelRejects = check(
        "parallel.rejects", points: 1, title: "throws invalidInput for fewer than one setup at a time, and for bad agents or times",
        rule: parallelInputRule)
    static let overhead = check(
        "amortised.per-message", points: 2,
        title: "overhead per message is setup / M (5 s and 10 s over 500 messages: 10 ms and 20 ms)", rule: amortisedRule)
    static let overheadEdges = check(
        "amortised.no-messages", points: 1,
        title: "zero messages gives nil; negative messages or a bad setup time throw invalidInput", rule: amortisedInputRule)
    static let breakEven = check(
        "break-even.messages", points: 2, title: "break-even is ⌈setup / request⌉ messages (100 for 5 s against a 50 ms request)",
        rule: breakEvenRule)
    static let breakEvenRejects = check(
        "break-even.rejects", points: 1,
        title: "throws invalidInput for a request cost that is not positive, a bad setup time, or an answer too large for Int",
        rule: breakEvenInputRule)

    static let descriptors = [connectionsSmall, connectionsMesh, connectionsNegative, connectionsLarge, sequential,
                              sequentialRejects, parallel, parallelRejects, overhead, overheadEdges, breakEven,
                              breakEvenRejects] + MeshCostDemoChecks.descriptors

    static func checks<Model: MeshCostExercise>(_: Model.Type) -> [ExerciseCheck] {
        let name = "\(Model.self)"
        return [
            ExerciseCheck(connectionsSmall) { counts(Model.self, connectionsSmall, [0: 0, 1: 0, 2: 1, 3: 3]) },
            ExerciseCheck(connectionsMesh) {
                counts(Model.self, connectionsMesh, [5: 10, 10: 45, 50: 1225, 100: 4950, 1000: 499_500])
            },
            ExerciseCheck(connectionsNegative) {
                rejects(connectionsNegative, [
                    ("\(name).connections(agents: -1)", { _ = try Model.connections(agents: -1) }),
                    ("\(name).connections(agents: -1000)", { _ = try Model.connections(agents: -1000) }),
                ])
            },
            ExerciseCheck(connectionsLarge) { large(Model.self) },
            ExerciseCheck(sequential) { sequentialTimes(Model.self) },
            ExerciseCheck(sequentialRejects) {
                rejects(sequentialRejects, [(-1, 10.0), (5, -1.0), (5, .nan), (5, .infinity)].map { agents, time in
                    ("\(name).sequentialSetupMilliseconds(agents: \(agents), perPairMilliseconds: \(time))",
                     { _ = try Model.sequentialSetupMilliseconds(agents: agents, perPairMilliseconds: time) })
                })
            },
            ExerciseCheck(parallel) { parallelBounds(Model.self) },
            ExerciseCheck(parallelRejects) {
                rejects(parallelRejects, [(5, 100.0, 0), (5, 100.0, -2), (-1, 100.0, 1), (5, -5.0, 1), (5, .nan, 2)].map { n, t, k in
                    ("\(name).parallelSetupLowerBoundMilliseconds(agents: \(n), perPairMilliseconds: \(t), setupsAtOnce: \(k))",
                     { _ = try Model.parallelSetupLowerBoundMilliseconds(agents: n, perPairMilliseconds: t, setupsAtOnce: k) })
                })
            },
            ExerciseCheck(overhead) { overheads(Model.self) },
            ExerciseCheck(overheadEdges) { overheadEdgeCases(Model.self) },
            ExerciseCheck(breakEven) { breakEvens(Model.self) },
            ExerciseCheck(breakEvenRejects) {
                rejects(breakEvenRejects, [(5000.0, 0.0), (5000, -50), (5000, .nan), (5000, .infinity), (-1, 50), (.infinity, 50),
                                           (1e300, 1e-10)].map { setup, request in
                    ("\(name).breakEvenMessages(setupMilliseconds: \(setup), requestMilliseconds: \(request))"
                        + (setup == 1e300 ? " — 1e310 messages: more than Int can count" : ""),
                     { _ = try Model.breakEvenMessages(setupMilliseconds: setup, requestMilliseconds: request) })
                })
            },
        ] + MeshCostDemoChecks.checks(Model.self)
    }

    // MARK: - Connections

    static func counts<Model: MeshCostExercise>(_: Model.Type, _ descriptor: CheckDescriptor, _ cases: [Int: Int]) -> CheckOutcome {
        for (agents, expected) in cases.sorted(by: { $0.key < $1.key }) {
            if let failure = Verdict.answers("\(Model.self).connections(agents: \(agents))", expected: expected,
                                             shown: "\(expected)", rule: descriptor.rule, render: { "\($0)" },
                                             note: { connectionsMistake($0, agents: agents) },
                                             { try Model.connections(agents: agents) }) {
                return .fail(failure)
            }
        }
        return .pass
    }

    /// " (why)" when `answer` is a classic wrong count for `agents`, else "".
    static func connectionsMistake(_ answer: Int, agents n: Int) -> String {
        let (square, squareOverflow) = n.multipliedReportingOverflow(by: n)
        let (ordered, orderedOverflow) = n.multipliedReportingOverflow(by: n - 1)
        if !orderedOverflow, answer == ordered, n > 1 {
            return " (that is N × (N − 1): every connection counted twice, once from each end; A–B and B–A are one PeerConnection)"
        }
        if !squareOverflow, answer == square, n > 1 {
            return " (that is N × N: each agent counted as connected to itself, and each pair twice)"
        }
        if answer == n - 1, n > 2 { return " (that is N − 1: one agent's connections, not the whole mesh's)" }
        if answer == n, n > 3 { return " (that is N: one connection per agent, but each connection joins two agents of N − 1 peers)" }
        if !orderedOverflow, n > 1, answer == ordered / 2 + n { return " (that is N × (N + 1) / 2: each agent counted with itself)" }
        return ""
    }

    /// 2^32 agents have 2^63 − 2^31 connections, which fits in Int although 2^32 × (2^32 − 1) does not.
    static func large<Model: MeshCostExercise>(_: Model.Type) -> CheckOutcome {
        let agents = 1 << 32
        let expected = (1 << 31) * ((1 << 32) - 1)
        if let failure = Verdict.answers(
            "\(Model.self).connections(agents: 4294967296) — 2^32 agents", expected: expected,
            shown: "\(expected) (2^63 − 2^31: it fits in Int, even though N × (N − 1) does not)", rule: countInputRule,
            render: { "\($0)" }, { try Model.connections(agents: agents) }) {
            return .fail(failure)
        }
        return rejects(connectionsLarge, [
            ("\(Model.self).connections(agents: 4294967297) — 2^32 + 1 agents: 2^63 + 2^31 connections, more than Int.max",
             { _ = try Model.connections(agents: agents + 1) }),
            ("\(Model.self).connections(agents: Int.max)", { _ = try Model.connections(agents: Int.max) }),
        ])
    }

    // MARK: - Setup time

    static func sequentialTimes<Model: MeshCostExercise>(_: Model.Type) -> CheckOutcome {
        // The source lesson's figures (5 agents, 5 s and 10 s per pair), small meshes, and times with fractions.
        let cases: [(agents: Int, perPair: Double, expected: Double)] = [
            (5, 5000, 50_000), (5, 10_000, 100_000), (10, 25, 1125), (0, 40, 0), (1, 40, 0), (2, 12.5, 12.5), (5, 0, 0),
            (100, 3.25, 16_087.5),
        ]
        for item in cases {
            let call = "\(Model.self).sequentialSetupMilliseconds(agents: \(item.agents), perPairMilliseconds: \(item.perPair))"
            if let failure = milliseconds(call, expected: item.expected, rule: sequentialRule, note: { answer in
                sequentialMistake(answer, agents: item.agents, perPair: item.perPair)
            }, { try Model.sequentialSetupMilliseconds(agents: item.agents, perPairMilliseconds: item.perPair) }) {
                return .fail(failure)
            }
        }
        return .pass
    }

    static func sequentialMistake(_ answer: Double, agents n: Int, perPair t: Double) -> String {
        let units = t > 0 ? answer / t : .nan
        if close(units, Double(n * (n - 1))), n > 1 { return " (that is N × (N − 1) setups: each pair counted twice)" }
        if close(units, Double(n)), n > 2 { return " (that is N setups: one per agent, but the mesh has N × (N − 1) / 2 pairs)" }
        if close(units, Double(n - 1)), n > 2 { return " (that is N − 1 setups: one agent's, not the whole mesh's)" }
        if close(units, Double(n * n)), n > 1 { return " (that is N × N setups: each agent counted with itself, each pair twice)" }
        return ""
    }

    static func parallelBounds<Model: MeshCostExercise>(_: Model.Type) -> CheckOutcome {
        let cases: [(agents: Int, perPair: Double, k: Int, expected: Double)] = [
            (5, 100, 1, 400), (5, 100, 2, 200), (5, 100, 3, 200), (5, 100, 4, 100), (5, 100, 50, 100),
            (10, 30, 4, 90), (2, 30, 1, 30), (1, 30, 1, 0), (0, 30, 3, 0), (6, 12.5, 2, 37.5),
        ]
        for item in cases {
            let call = "\(Model.self).parallelSetupLowerBoundMilliseconds(agents: \(item.agents), "
                + "perPairMilliseconds: \(item.perPair), setupsAtOnce: \(item.k))"
            if let failure = milliseconds(call, expected: item.expected, rule: parallelRule, note: { answer in
                parallelMistake(answer, agents: item.agents, perPair: item.perPair, k: item.k)
            }, {
                try Model.parallelSetupLowerBoundMilliseconds(agents: item.agents, perPairMilliseconds: item.perPair,
                                                              setupsAtOnce: item.k)
            }) {
                return .fail(failure)
            }
        }
        return .pass
    }

    static func parallelMistake(_ answer: Double, agents n: Int, perPair t: Double, k: Int) -> String {
        guard n > 1, k > 0, t > 0 else { return "" }
        let rounds = answer / t
        if close(rounds, Double((n - 1) / k)) {
            return " (that is ⌊(N − 1) / k⌋ rounds: rounded down, but a last, partial round still takes a whole per-pair time)"
        }
        if close(rounds, Double(n - 1) / Double(k)) {
            return " (that is (N − 1) / k rounds, a fraction: a setup takes a whole per-pair time, so round up)"
        }
        let connections = n * (n - 1) / 2
        if close(rounds, Double(connections) / Double(k)) || close(rounds, Double((connections + k - 1) / k)) {
            return " (that divides the mesh's connections by k; the limit is per agent: each has only N − 1 setups of its own)"
        }
        return ""
    }

    // MARK: - Amortisation

    static func overheads<Model: MeshCostExercise>(_: Model.Type) -> CheckOutcome {
        let cases: [(setup: Double, messages: Int, expected: Double)] = [
            (5000, 500, 10), (10_000, 500, 20), (12.5, 1, 12.5), (0, 500, 0), (30, 4, 7.5), (37.25, 1000, 0.03725),
        ]
        for item in cases {
            let call = "\(Model.self).overheadPerMessageMilliseconds(setupMilliseconds: \(item.setup), messages: \(item.messages))"
            if let failure = optionalMilliseconds(call, expected: item.expected, rule: amortisedRule, note: { answer in
                guard let answer, item.messages > 1 else { return "" }
                if close(answer, item.setup * Double(item.messages)) { return " (that is setup × M: divide by M)" }
                if close(answer, Double(item.messages) / item.setup) { return " (that is M / setup: the setup goes on top)" }
                return ""
            }, { try Model.overheadPerMessageMilliseconds(setupMilliseconds: item.setup, messages: item.messages) }) {
                return .fail(failure)
            }
        }
        return .pass
    }

    static func overheadEdgeCases<Model: MeshCostExercise>(_: Model.Type) -> CheckOutcome {
        let call = "\(Model.self).overheadPerMessageMilliseconds(setupMilliseconds: 100.0, messages: 0) — no message at all"
        let expected = "nil (no message carries the setup, so there is no cost per message)"
        do {
            if let answer = try Model.overheadPerMessageMilliseconds(setupMilliseconds: 100, messages: 0) {
                return .fail(CheckFailure(input: call, expected: expected, actual: "\(answer)"
                    + (answer.isInfinite ? " (infinity is what 100 / 0 gives in floating point; the model says nil)" : ""),
                    rule: amortisedInputRule))
            }
        } catch ExerciseError.invalidInput(let why) {
            return .fail(CheckFailure(input: call, expected: expected, actual: "threw ExerciseError.invalidInput(\"\(why)\") "
                + "(zero messages is a question with no answer, not a bad input: return nil)", rule: amortisedInputRule))
        } catch {
            return .fail(CheckFailure(input: call, expected: expected, actual: Describe.thrown(error), rule: amortisedInputRule))
        }
        let name = "\(Model.self).overheadPerMessageMilliseconds"
        return rejects(overheadEdges, [(100.0, -1), (-1, 500), (.nan, 10), (.infinity, 10)].map { setup, messages in
            ("\(name)(setupMilliseconds: \(setup), messages: \(messages))",
             { _ = try Model.overheadPerMessageMilliseconds(setupMilliseconds: setup, messages: messages) })
        })
    }

    static func breakEvens<Model: MeshCostExercise>(_: Model.Type) -> CheckOutcome {
        let cases: [(setup: Double, request: Double, expected: Int)] = [
            (5000, 50, 100), (10_000, 50, 200), (125, 50, 3), (100, 50, 2), (30, 50, 1), (0, 50, 0), (1, 0.3, 4),
            (23.412, 50, 1), (1_000_000, 50, 20_000),
        ]
        for item in cases {
            let call = "\(Model.self).breakEvenMessages(setupMilliseconds: \(item.setup), requestMilliseconds: \(item.request))"
            if let failure = Verdict.answers(call, expected: item.expected, shown: "\(item.expected)", rule: breakEvenRule,
                                             render: { "\($0)" }, note: { answer in
                                                 breakEvenMistake(answer, setup: item.setup, request: item.request)
                                             }, { try Model.breakEvenMessages(setupMilliseconds: item.setup,
                                                                              requestMilliseconds: item.request) }) {
                return .fail(failure)
            }
        }
        return .pass
    }

    static func breakEvenMistake(_ answer: Int, setup: Double, request: Double) -> String {
        let ratio = setup / request
        let expected = Int(ratio.rounded(.up))
        if answer == expected + 1 {
            return " (one too many: at ⌈setup / request⌉ messages the overhead is already at most the request's cost)"
        }
        if answer == Int(ratio.rounded(.down)), answer < expected {
            return " (rounded down: after \(answer) messages each still carries \(setup / Double(max(answer, 1))) ms, "
                + "more than \(request) ms)"
        }
        if answer == Int(ratio.rounded()), answer < expected { return " (rounded to the nearest: round up instead)" }
        return ""
    }

    // MARK: - Shared verdicts

    /// True when two times agree to a billionth of their size (floating-point sums differ in the last bits).
    static func close(_ a: Double, _ b: Double, tolerance: Double = 0) -> Bool {
        guard a.isFinite, b.isFinite else { return a == b }
        return abs(a - b) <= max(tolerance, 1e-9 * max(abs(a), abs(b), 1))
    }

    /// nil when `body` returns a time close to `expected`; otherwise the failure.
    static func milliseconds(_ call: String, expected: Double, rule: String, note: (Double) -> String = { _ in "" },
                             _ body: () throws -> Double) -> CheckFailure? {
        do {
            let answer = try body()
            guard !close(answer, expected) else { return nil }
            return CheckFailure(input: call, expected: "\(expected) ms", actual: "\(answer) ms" + note(answer), rule: rule)
        } catch {
            return CheckFailure(input: call, expected: "\(expected) ms", actual: Describe.thrown(error), rule: rule)
        }
    }

    /// Like `milliseconds`, for an optional answer that must not be nil here.
    static func optionalMilliseconds(_ call: String, expected: Double, rule: String, note: (Double?) -> String,
                                     _ body: () throws -> Double?) -> CheckFailure? {
        do {
            let answer = try body()
            if let answer, close(answer, expected) { return nil }
            let shown = answer.map { "\($0) ms" } ?? "nil (nil is only for zero messages)"
            return CheckFailure(input: call, expected: "\(expected) ms", actual: shown + note(answer), rule: rule)
        } catch {
            return CheckFailure(input: call, expected: "\(expected) ms", actual: Describe.thrown(error), rule: rule)
        }
    }

    /// Passes when every call throws `ExerciseError.invalidInput`.
    static func rejects(_ descriptor: CheckDescriptor, _ calls: [(String, () throws -> Void)]) -> CheckOutcome {
        for (call, body) in calls {
            if let failure = Verdict.rejects(call, rule: descriptor.rule, body) { return .fail(failure) }
        }
        return .pass
    }
}
