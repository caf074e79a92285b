// Checks of exercise 08 against measurements: the student's model must predict what
// `datachannel-chat demo --json` measured on a real mesh. Graded on demo reports recorded
// with the lab's own stack (MeshCostRecordedDemos.swift), so grading is the same on every
// machine; `lab check 08` runs the same three checks once more on a live run of the demo
// when the tool is built (exercise-runner --demo-report, not graded).
//
// What "predicts" means, figure by figure:
// - connections: exactly the report's `connections` for its `agents`;
// - sequential: `sequentialSetupMilliseconds(agents, mean of the pairs' setup_ms)` equals
//   `setup.sequential_ms` (the sum of the pairs' setups) up to the report's rounding: it
//   prints every time to 0.001 ms, so the sum of printed times may differ from the printed
//   sum by half of that per pair, plus half for the sum itself;
// - amortised: `overheadPerMessageMilliseconds(setup_ms_per_pair, messages)` equals
//   `per_message_overhead_ms` to 0.0005 ms, and `breakEvenMessages(setup_ms_per_pair,
//   http_request_ms)` equals `break_even_messages` exactly.
import ExerciseInterfaces

enum MeshCostDemoChecks {
    static let check = MeshCostChecks.check

    static let demoRule = "What `datachannel-chat demo --json` measured on a real mesh over loopback, every pair running ICE "
        + "(RFC 8445), DTLS (RFC 6347), SCTP (RFC 8261) and DCEP (RFC 8832): the model must predict its connection count "
        + "exactly, its sequential total from its per-pair times to the report's rounding (0.001 ms per figure), and its "
        + "amortised overhead and break-even against the HTTP request"

    static let connections = check(
        "demo.connections", points: 2, title: "predicts the number of connections the demo formed for its agents", rule: demoRule)
    static let sequential = check(
        "demo.sequential", points: 2,
        title: "predicts the demo's sequential setup total from its measured per-pair times", rule: demoRule)
    static let amortised = check(
        "demo.amortised", points: 2,
        title: "predicts the demo's overhead per message over 500 messages and its break-even against 50 ms HTTP",
        rule: demoRule)

    static let descriptors = [connections, sequential, amortised]

    /// The three checks on the recorded reports (graded).
    static func checks<Model: MeshCostExercise>(_: Model.Type) -> [ExerciseCheck] {
        checks(Model.self, reports: MeshCostRecordedDemos.reports)
    }

    /// The three checks on the given reports: (where the report came from, its JSON text).
    static func checks<Model: MeshCostExercise>(_: Model.Type, reports: [(source: String, json: String)]) -> [ExerciseCheck] {
        [
            ExerciseCheck(connections) { each(reports, connections) { predictsConnections(Model.self, $0, $1) } },
            ExerciseCheck(sequential) { each(reports, sequential) { predictsSequential(Model.self, $0, $1) } },
            ExerciseCheck(amortised) { each(reports, amortised) { predictsAmortised(Model.self, $0, $1) } },
        ]
    }

    /// Reads each report and runs `body` on it; the first failure wins.
    static func each(_ reports: [(source: String, json: String)], _ descriptor: CheckDescriptor,
                     _ body: (MeshCostDemoReport, String) -> CheckFailure?) -> CheckOutcome {
        for (source, json) in reports {
            let report: MeshCostDemoReport
            do {
                report = try MeshCostDemoReport.read(json)
            } catch {
                return .fail(CheckFailure(input: source, expected: "a report with the keys `datachannel-chat demo --json` prints",
                                          actual: "the report cannot be read: \(error) (a problem of the demo, not of your model)",
                                          rule: descriptor.rule))
            }
            if let problem = report.inconsistency {
                return .fail(CheckFailure(input: source, expected: "a report in which every pair of agents connected once",
                                          actual: "the report is inconsistent: \(problem) (a problem of the demo, not of your model)",
                                          rule: descriptor.rule))
            }
            if let failure = body(report, source) { return .fail(failure) }
        }
        return .pass
    }

    static func predictsConnections<Model: MeshCostExercise>(_: Model.Type, _ report: MeshCostDemoReport,
                                                             _ source: String) -> CheckFailure? {
        Verdict.answers("\(Model.self).connections(agents: \(report.agents)) — \(source)", expected: report.connections,
                        shown: "\(report.connections) (the demo's `connections`: it connected \(report.pairs.count) pairs)",
                        rule: demoRule, render: { "\($0)" },
                        note: { MeshCostChecks.connectionsMistake($0, agents: report.agents) },
                        { try Model.connections(agents: report.agents) })
    }

    static func predictsSequential<Model: MeshCostExercise>(_: Model.Type, _ report: MeshCostDemoReport,
                                                            _ source: String) -> CheckFailure? {
        let mean = report.meanSetupMS
        let resolution = MeshCostDemoReport.printedResolutionMS
        let tolerance = Double(report.pairs.count + 1) * resolution / 2
        let call = "\(Model.self).sequentialSetupMilliseconds(agents: \(report.agents), perPairMilliseconds: \(mean)) — \(source); "
            + "\(mean) ms is the mean of its \(report.pairs.count) measured setup_ms"
        let expected = "\(report.sequentialMS) ms, give or take \(tolerance) ms (the demo's setup.sequential_ms, "
            + "the sum of its pairs' setups; it rounds each figure to \(resolution) ms)"
        do {
            let answer = try Model.sequentialSetupMilliseconds(agents: report.agents, perPairMilliseconds: mean)
            guard !MeshCostChecks.close(answer, report.sequentialMS, tolerance: tolerance) else { return nil }
            return CheckFailure(input: call, expected: expected,
                                actual: "\(answer) ms" + MeshCostChecks.sequentialMistake(answer, agents: report.agents, perPair: mean),
                                rule: demoRule)
        } catch {
            return CheckFailure(input: call, expected: expected, actual: Describe.thrown(error), rule: demoRule)
        }
    }

    static func predictsAmortised<Model: MeshCostExercise>(_: Model.Type, _ report: MeshCostDemoReport,
                                                           _ source: String) -> CheckFailure? {
        let setup = report.setupMSPerPair, messages = report.amortisedMessages
        let overheadCall = "\(Model.self).overheadPerMessageMilliseconds(setupMilliseconds: \(setup), messages: \(messages))"
            + " — \(source): its amortised.setup_ms_per_pair over amortised.messages"
        let tolerance = MeshCostDemoReport.printedResolutionMS / 2
        let overheadExpected = messages == 0
            ? "nil (the demo amortised over no message)"
            : "\(report.perMessageOverheadMS) ms, give or take \(tolerance) ms (the demo's amortised.per_message_overhead_ms)"
        do {
            let answer = try Model.overheadPerMessageMilliseconds(setupMilliseconds: setup, messages: messages)
            let right = messages == 0
                ? answer == nil
                : answer.map { MeshCostChecks.close($0, report.perMessageOverheadMS, tolerance: tolerance) } ?? false
            if !right {
                return CheckFailure(input: overheadCall, expected: overheadExpected,
                                    actual: answer.map { "\($0) ms" } ?? "nil", rule: demoRule)
            }
        } catch {
            return CheckFailure(input: overheadCall, expected: overheadExpected, actual: Describe.thrown(error), rule: demoRule)
        }
        return Verdict.answers(
            "\(Model.self).breakEvenMessages(setupMilliseconds: \(setup), requestMilliseconds: \(report.httpRequestMS)) — \(source)",
            expected: report.breakEvenMessages,
            shown: "\(report.breakEvenMessages) (the demo's amortised.break_even_messages)", rule: demoRule,
            render: { "\($0)" }, note: { MeshCostChecks.breakEvenMistake($0, setup: setup, request: report.httpRequestMS) },
            { try Model.breakEvenMessages(setupMilliseconds: setup, requestMilliseconds: report.httpRequestMS) })
    }
}

extension CheckSuite {
    /// Exercise 08's three demo checks on one report that `datachannel-chat demo --json` printed:
    /// what `lab check 08` runs on a live run of the demo (through `exercise-runner --demo-report`),
    /// next to the graded checks on the recorded reports. `source` says where the report came from.
    public static func meshCostDemoChecks<Model: MeshCostExercise>(
        meshCost: Model.Type, report json: String, source: String
    ) -> [ExerciseCheck] {
        MeshCostDemoChecks.checks(Model.self, reports: [(source, json)])
    }
}
