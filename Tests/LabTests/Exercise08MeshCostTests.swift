@testable import ExerciseChecks
import ExerciseInterfaces
import Exercises
import Foundation
import Solutions
import Testing

// Exercise 08: the reference answer passes every check and the starter none; classic
// mistakes fail exactly the checks meant to catch them, and are named; the recorded demo
// reports are consistent with themselves and with the model; a hostile or broken report
// fails the demo checks with a reason and never crashes; and a submission with exercise 08
// solved earns exactly its points. (The live comparison with a real `datachannel-chat demo`
// run is in Exercise08LiveDemoTests.swift.)

/// Counts A–B and B–A as two connections, N × (N − 1), refusing (not trapping on) an overflow.
private enum CountsOrderedPairs: MeshCostExercise {
    static func connections(agents: Int) throws -> Int {
        guard agents >= 0 else { throw ExerciseError.invalidInput("negative") }
        let (product, overflow) = agents.multipliedReportingOverflow(by: max(agents - 1, 0))
        guard !overflow else { throw ExerciseError.invalidInput("too many") }
        return product
    }
    static func sequentialSetupMilliseconds(agents: Int, perPairMilliseconds: Double) throws -> Double {
        _ = try Solutions.MeshCost.sequentialSetupMilliseconds(agents: agents, perPairMilliseconds: perPairMilliseconds)
        return Double(try connections(agents: agents)) * perPairMilliseconds
    }
    static func parallelSetupLowerBoundMilliseconds(agents: Int, perPairMilliseconds: Double, setupsAtOnce: Int) throws -> Double {
        try Solutions.MeshCost.parallelSetupLowerBoundMilliseconds(agents: agents, perPairMilliseconds: perPairMilliseconds,
                                                                   setupsAtOnce: setupsAtOnce)
    }
    static func overheadPerMessageMilliseconds(setupMilliseconds: Double, messages: Int) throws -> Double? {
        try Solutions.MeshCost.overheadPerMessageMilliseconds(setupMilliseconds: setupMilliseconds, messages: messages)
    }
    static func breakEvenMessages(setupMilliseconds: Double, requestMilliseconds: Double) throws -> Int {
        try Solutions.MeshCost.breakEvenMessages(setupMilliseconds: setupMilliseconds, requestMilliseconds: requestMilliseconds)
    }
}

/// Rounds every count down: ⌊(N − 1) / k⌋ rounds, ⌊setup / request⌋ messages.
private enum RoundsDown: MeshCostExercise {
    static func connections(agents: Int) throws -> Int { try Solutions.MeshCost.connections(agents: agents) }
    static func sequentialSetupMilliseconds(agents: Int, perPairMilliseconds: Double) throws -> Double {
        try Solutions.MeshCost.sequentialSetupMilliseconds(agents: agents, perPairMilliseconds: perPairMilliseconds)
    }
    static func parallelSetupLowerBoundMilliseconds(agents: Int, perPairMilliseconds: Double, setupsAtOnce: Int) throws -> Double {
        let bound = try Solutions.MeshCost.parallelSetupLowerBoundMilliseconds(
            agents: agents, perPairMilliseconds: perPairMilliseconds, setupsAtOnce: setupsAtOnce)
        return agents < 2 ? bound : Double((agents - 1) / setupsAtOnce) * perPairMilliseconds
    }
    static func overheadPerMessageMilliseconds(setupMilliseconds: Double, messages: Int) throws -> Double? {
        try Solutions.MeshCost.overheadPerMessageMilliseconds(setupMilliseconds: setupMilliseconds, messages: messages)
    }
    static func breakEvenMessages(setupMilliseconds: Double, requestMilliseconds: Double) throws -> Int {
        let exact = try Solutions.MeshCost.breakEvenMessages(setupMilliseconds: setupMilliseconds, requestMilliseconds: requestMilliseconds)
        return exact == 0 ? 0 : Int((setupMilliseconds / requestMilliseconds).rounded(.down))
    }
}

/// Divides by zero messages (infinity), and wraps a huge count instead of refusing it.
private enum FloatingPointNaive: MeshCostExercise {
    static func connections(agents: Int) throws -> Int {
        guard agents >= 0 else { throw ExerciseError.invalidInput("negative") }
        return agents < 2 ? 0 : (agents &* (agents - 1)) / 2
    }
    static func sequentialSetupMilliseconds(agents: Int, perPairMilliseconds: Double) throws -> Double {
        try Solutions.MeshCost.sequentialSetupMilliseconds(agents: agents, perPairMilliseconds: perPairMilliseconds)
    }
    static func parallelSetupLowerBoundMilliseconds(agents: Int, perPairMilliseconds: Double, setupsAtOnce: Int) throws -> Double {
        try Solutions.MeshCost.parallelSetupLowerBoundMilliseconds(agents: agents, perPairMilliseconds: perPairMilliseconds,
                                                                   setupsAtOnce: setupsAtOnce)
    }
    static func overheadPerMessageMilliseconds(setupMilliseconds: Double, messages: Int) throws -> Double? {
        guard messages >= 0, setupMilliseconds >= 0, setupMilliseconds.isFinite else { throw ExerciseError.invalidInput("bad") }
        return setupMilliseconds / Double(messages)
    }
    static func breakEvenMessages(setupMilliseconds: Double, requestMilliseconds: Double) throws -> Int {
        try Solutions.MeshCost.breakEvenMessages(setupMilliseconds: setupMilliseconds, requestMilliseconds: requestMilliseconds)
    }
}

/// The reference answer with its numbers as a model that believes anything: no refusals at all.
private enum Trusting: MeshCostExercise {
    static func connections(agents: Int) throws -> Int { agents < 2 ? 0 : (agents / 2) &* (agents - 1) + (agents % 2) &* ((agents - 1) / 2) }
    static func sequentialSetupMilliseconds(agents: Int, perPairMilliseconds: Double) throws -> Double {
        Double(try connections(agents: agents)) * perPairMilliseconds
    }
    static func parallelSetupLowerBoundMilliseconds(agents: Int, perPairMilliseconds: Double, setupsAtOnce: Int) throws -> Double {
        guard agents >= 2, setupsAtOnce > 0 else { return 0 }
        return Double((agents - 1 + setupsAtOnce - 1) / setupsAtOnce) * perPairMilliseconds
    }
    static func overheadPerMessageMilliseconds(setupMilliseconds: Double, messages: Int) throws -> Double? {
        messages == 0 ? nil : setupMilliseconds / Double(messages)
    }
    static func breakEvenMessages(setupMilliseconds: Double, requestMilliseconds: Double) throws -> Int {
        let quotient = (setupMilliseconds / requestMilliseconds).rounded(.up)
        return quotient.isFinite && abs(quotient) < 1e18 ? Int(quotient) : 0
    }
}

/// Each exercise-08 check's outcome on `Model`.
private func outcomes<Model: MeshCostExercise>(_: Model.Type) -> [String: CheckOutcome] {
    Dictionary(uniqueKeysWithValues: MeshCostChecks.checks(Model.self).map { ($0.descriptor.id, $0.run()) })
}

private func failures(_ outcomes: [String: CheckOutcome]) -> [String: CheckFailure] {
    outcomes.compactMapValues { if case .fail(let failure) = $0 { return failure } else { return nil } }
}

/// A demo report in the demo's JSON shape, from pairs' setups (rounded as the demo rounds).
private func report(agents: Int, setups: [Double], breakEven: Int? = nil, sequential: Double? = nil,
                    pairs customPairs: [(String, String)]? = nil) -> String {
    let names = (1...max(agents, 1)).map { "agent-\($0)" }
    var pairList: [(String, String)] = []
    for j in 0..<agents { for i in 0..<j { pairList.append((names[j], names[i])) } }
    let pairs = customPairs ?? pairList
    let pairJSON = zip(pairs, setups).map { pair, setup in
        "{\"offerer\":\"\(pair.0)\",\"answerer\":\"\(pair.1)\",\"steps_ms\":{},\"setup_ms\":\(setup)}"
    }.joined(separator: ",")
    let sorted = setups.sorted()
    let median = sorted.isEmpty ? 0 : sorted.count % 2 == 1 ? sorted[sorted.count / 2]
        : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    let sum = sequential ?? setups.reduce(0, +)
    let overhead = (median / 500 * 1000).rounded() / 1000
    return """
        {"agents":\(agents),"connections":\(pairs.count),"steps":[],"agent_steps":[],"pairs":[\(pairJSON)],
         "setup":{"per_pair_ms_median":\(median),"per_pair_ms_mean":0,"sequential_ms":\(sum),"parallel_ms":0},
         "messages":{"sent":0,"delivered":0,"latency_ms_median":0,"latency_ms_p99":0},
         "amortised":{"messages":500,"setup_ms_per_pair":\(median),"per_message_overhead_ms":\(overhead),
                      "http_request_ms":50,"break_even_messages":\(breakEven ?? Int((median / 50).rounded(.up)))}}
        """
}

/// The three demo checks of `Model` on one report; nil for each pass.
private func demoFailures<Model: MeshCostExercise>(_: Model.Type, _ json: String) -> [String: CheckFailure] {
    failures(Dictionary(uniqueKeysWithValues: MeshCostDemoChecks.checks(Model.self, reports: [("a test report", json)])
        .map { ($0.descriptor.id, $0.run()) }))
}

@Suite("Exercise 08: the cost of setup")
struct Exercise08MeshCostTests {
    @Test("the reference answer passes every check, the starter none, each failing on notImplemented")
    func referenceAndStarter() {
        #expect(failures(outcomes(Solutions.MeshCost.self)).isEmpty)
        let starter = outcomes(Exercises.MeshCost.self)
        #expect(starter.count == 15)
        #expect(starter.values.allSatisfy { outcome in
            if case .fail(let failure) = outcome { return failure.actual.contains("notImplemented") }
            return false
        })
        #expect(MeshCostChecks.descriptors.reduce(0) { $0 + $1.points } == 24)
    }

    @Test("counting each pair twice fails the connection and sequential checks, model and demo, and says so")
    func orderedPairs() throws {
        let failed = failures(outcomes(CountsOrderedPairs.self))
        #expect(failed.keys.sorted() == ["08.connections.large", "08.connections.mesh", "08.connections.small",
                                         "08.demo.connections", "08.demo.sequential", "08.sequential.per-pair"])
        let small = try #require(failed["08.connections.small"])
        #expect(small.input == "CountsOrderedPairs.connections(agents: 2)")
        #expect(small.expected == "1")
        #expect(small.actual.hasPrefix("2 (that is N × (N − 1): every connection counted twice"))
        let sequential = try #require(failed["08.sequential.per-pair"])
        #expect(sequential.input == "CountsOrderedPairs.sequentialSetupMilliseconds(agents: 5, perPairMilliseconds: 5000.0)")
        #expect(sequential.expected == "50000.0 ms")
        #expect(sequential.actual == "100000.0 ms (that is N × (N − 1) setups: each pair counted twice)")
        let demo = try #require(failed["08.demo.connections"])
        #expect(demo.input == "CountsOrderedPairs.connections(agents: 5) — the recorded `datachannel-chat demo --json --agents 5`")
        #expect(demo.expected == "10 (the demo's `connections`: it connected 10 pairs)")
        #expect(demo.actual.hasPrefix("20 (that is N × (N − 1)"))
        #expect(failed["08.demo.sequential"]?.expected.contains("the demo's setup.sequential_ms") == true)
    }

    @Test("rounding counts down fails the parallel bound, break-even and the demo's break-even, each named")
    func roundsDown() throws {
        let failed = failures(outcomes(RoundsDown.self))
        #expect(failed.keys.sorted() == ["08.break-even.messages", "08.demo.amortised", "08.parallel.lower-bound"])
        let parallel = try #require(failed["08.parallel.lower-bound"])
        #expect(parallel.input == "RoundsDown.parallelSetupLowerBoundMilliseconds(agents: 5, perPairMilliseconds: 100.0, setupsAtOnce: 3)")
        #expect(parallel.expected == "200.0 ms")
        #expect(parallel.actual.hasPrefix("100.0 ms (that is ⌊(N − 1) / k⌋ rounds: rounded down"))
        let breakEven = try #require(failed["08.break-even.messages"])
        #expect(breakEven.input == "RoundsDown.breakEvenMessages(setupMilliseconds: 125.0, requestMilliseconds: 50.0)")
        #expect(breakEven.actual.hasPrefix("2 (rounded down: after 2 messages each still carries 62.5 ms"))
        #expect(failed["08.demo.amortised"]?.expected.contains("amortised.break_even_messages") == true)
    }

    @Test("infinity for zero messages and a wrapped count fail exactly their edge checks")
    func floatingPointNaive() throws {
        let failed = failures(outcomes(FloatingPointNaive.self))
        #expect(failed.keys.sorted() == ["08.amortised.no-messages", "08.connections.large"])
        let zero = try #require(failed["08.amortised.no-messages"])
        #expect(zero.expected.hasPrefix("nil"))
        #expect(zero.actual.hasPrefix("inf (infinity is what 100 / 0 gives"))
        let large = try #require(failed["08.connections.large"])
        #expect(large.input == "FloatingPointNaive.connections(agents: 4294967296) — 2^32 agents")
        #expect(large.expected.hasPrefix("9223372034707292160"))
        #expect(large.actual == "-2147483648")
    }

    @Test("a model without refusals fails every refusal check and nothing else")
    func trusting() throws {
        let failed = failures(outcomes(Trusting.self))
        #expect(failed.keys.sorted() == ["08.amortised.no-messages", "08.break-even.rejects", "08.connections.large",
                                         "08.connections.rejects-negative", "08.parallel.rejects", "08.sequential.rejects"])
        #expect(failed["08.connections.rejects-negative"]?.input == "Trusting.connections(agents: -1)")
        #expect(failed["08.connections.rejects-negative"]?.actual == "returned a value instead of throwing")
        #expect(failed["08.parallel.rejects"]?.input
                    == "Trusting.parallelSetupLowerBoundMilliseconds(agents: 5, perPairMilliseconds: 100.0, setupsAtOnce: 0)")
    }

    @Test("the recorded reports are real meshes: every pair once, totals that add up, amortisation as the demo computes it")
    func recordedReportsAreConsistent() throws {
        #expect(MeshCostRecordedDemos.reports.map(\.source) == [
            "the recorded `datachannel-chat demo --json --agents 5`", "the recorded `datachannel-chat demo --json --agents 10`",
        ])
        var agentCounts: [Int] = []
        for (source, json) in MeshCostRecordedDemos.reports {
            let report = try MeshCostDemoReport.read(json)
            agentCounts.append(report.agents)
            #expect(report.inconsistency == nil, "\(source)")
            #expect(report.connections == report.agents * (report.agents - 1) / 2, "\(source)")
            let sum = report.pairs.reduce(0) { $0 + $1.setupMS }
            #expect(abs(sum - report.sequentialMS) <= Double(report.pairs.count + 1) * 0.0005, "\(source)")
            #expect(report.pairs.allSatisfy { $0.setupMS > 0 }, "\(source)")
            let sorted = report.pairs.map(\.setupMS).sorted()
            let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            // Both are rounded to 0.001 ms: the median of rounded setups (the mean of two when their number is even)
            // and the rounded median may differ by up to one unit.
            #expect(abs(median - report.setupMSPerPair) <= 0.001 + 1e-9, "\(source): setup_ms_per_pair is the median pair")
            #expect(report.amortisedMessages == 500 && report.httpRequestMS == 50, "\(source): the source lesson's figures")
            #expect(report.breakEvenMessages == Int((report.setupMSPerPair / 50).rounded(.up)), "\(source)")
            #expect(abs(report.perMessageOverheadMS - report.setupMSPerPair / 500) <= 0.0005, "\(source)")
            // The demo's other keys are there too: lesson 09 reads them.
            let json = try MeshCostJSON.parse(json)
            #expect(json["steps"]?.array?.compactMap(\.string) == ["token", "websocket", "register", "offer", "answer",
                                                                   "candidates", "ice", "dtls", "sctp", "channel_open"])
            #expect(json["agent_steps"]?.array?.count == report.agents)
            #expect(json["messages"]?["delivered"]?.integer == json["messages"]?["sent"]?.integer)
        }
        #expect(agentCounts == [5, 10])
    }

    @Test("the demo checks hold the model to the report's rounding, no looser")
    func demoTolerance() {
        // 3 pairs printed to 0.001 ms: the sum of printed setups may be off by 4 × 0.0005 ms = 0.002 ms.
        let setups = [10.001, 20.002, 30.003]
        #expect(demoFailures(Solutions.MeshCost.self, report(agents: 3, setups: setups, sequential: 60.0075)).isEmpty)
        #expect(demoFailures(Solutions.MeshCost.self, report(agents: 3, setups: setups, sequential: 60.0045)).isEmpty)
        let off = demoFailures(Solutions.MeshCost.self, report(agents: 3, setups: setups, sequential: 60.009))
        #expect(off.keys.sorted() == ["08.demo.sequential"])
        #expect(off["08.demo.sequential"]?.expected == "60.009 ms, give or take 0.002 ms (the demo's setup.sequential_ms, "
                    + "the sum of its pairs' setups; it rounds each figure to 0.001 ms)")
        // A demo that says a 60 ms setup breaks even against 50 ms after 1 message is wrong: the model says 2.
        let breakEven = demoFailures(Solutions.MeshCost.self, report(agents: 3, setups: [60, 60, 60], breakEven: 1))
        #expect(breakEven["08.demo.amortised"]?.actual == "2")
    }

    @Test("a broken or hostile report fails every demo check with a reason, blaming the demo, never crashing")
    func hostileReports() {
        let deep = String(repeating: "[", count: 100_000)
        let cases: [(String, String)] = [
            ("", "not valid JSON at byte 0"),
            ("{\"agents\":5", "the text ends inside an object"),
            (deep, "nested deeper than 32 levels"),
            ("{\"agents\":5}", "no array at pairs"),
            ("{\"agents\":\"five\",\"pairs\":[]}", "no count (a whole number, not negative) at agents"),
            ("{\"agents\":-5,\"pairs\":[]}", "no count (a whole number, not negative) at agents"),
            ("{\"agents\":2,\"pairs\":[{\"offerer\":\"a\"}]}", "pairs[0] lacks offerer, answerer or setup_ms"),
            ("{\"agents\":1e999,\"pairs\":[]}", "a number too large for a Double"),
            ("{\"agents\":5,\"pairs\":[]} x", "text after the JSON value"),
            ("\"\\ud800\"", "a lone surrogate"),
            (report(agents: 3, setups: [1, 2, 3], pairs: [("agent-1", "agent-2"), ("agent-2", "agent-1"), ("agent-3", "agent-1")]),
             "the report is inconsistent: the pair agent-1–agent-2 appears twice"),
            (report(agents: 3, setups: [1, 2], pairs: [("agent-1", "agent-1"), ("agent-2", "agent-3")]),
             "the report is inconsistent: agent-1 is paired with itself"),
            (report(agents: 4, setups: [1, 2, 3], pairs: [("agent-1", "agent-2"), ("agent-1", "agent-3"), ("agent-2", "agent-3")]),
             "the report is inconsistent: its pairs name 3 agents but it says agents 4: some agent never connected"),
        ]
        for (json, reason) in cases {
            let failed = demoFailures(Solutions.MeshCost.self, json)
            #expect(failed.count == 3, "\(reason)")
            for failure in failed.values {
                #expect(failure.actual.contains(reason), "\(failure.actual)")
                #expect(failure.actual.hasSuffix("(a problem of the demo, not of your model)"))
                #expect(failure.input == "a test report")
            }
        }
    }

    @Test("the JSON reader decodes escapes, surrogate pairs and number forms, as RFC 8259 writes them")
    func jsonReader() throws {
        #expect(try MeshCostJSON.parse(#" {"a" : [1, -2.5, 3e2, 0.125E-1, true, false, null]} "#)
                    == .object(["a": .array([.number(1), .number(-2.5), .number(300), .number(0.0125), .bool(true), .bool(false), .null])]))
        #expect(try MeshCostJSON.parse(#""tab\t \"q\" \\ \/ \u00e9 \ud83d\udcc8 ☀""#) == .string("tab\t \"q\" \\ / é 📈 ☀"))
        for bad in ["[1,]", "{\"a\" 1}", "01x", "-", "1.", "1e", "\"\u{01}\"", "\"\\x\"", "\"\\u12\"", "tru", "[", "{\"a\":1,}"] {
            #expect(throws: MeshCostJSON.ParseError.self, "\(bad)") { try MeshCostJSON.parse(bad) }
        }
    }

    @Test("lab grade: a starter copy with only exercise 08 solved earns exactly exercise 08's points")
    func gradesASolvedCopy() throws {
        try GraderTestSupport.expectOnlySolvedExerciseEarns("08-mesh-cost", file: "MeshCost.swift", checks: 15, points: 24)
    }
}
