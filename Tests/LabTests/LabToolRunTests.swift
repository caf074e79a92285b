import ExerciseChecks
import Foundation
import Testing
@testable import LabKit

/// `lab check`'s tool runs, with the tools of this test's own build: they are built
/// against exercises/, the starters, so every run must fail, readably, naming the piece
/// that is not written. The success path, with the solutions compiled into the tools, is
/// LabToolRunEndToEndTests.
@Suite("lab check tool runs: the starters fail readably")
struct LabToolRunTests {
    static var runner: ToolRunner {
        get throws { ToolRunner(repository: try LabRepository(root: GraderTestSupport.repositoryRoot), binaries: GraderTestSupport.buildDirectory) }
    }

    @Test("every exercise with a tool integration has exactly one run, and shared tools run once")
    func plans() {
        let all = ExerciseCatalog.all.map(\.id)
        #expect(ToolRunPlan.plans(for: all) == [.stunProbe, .iceCheck, .dtlsHandshake, .echoAiortc, .sctpStreams])
        #expect(ToolRunPlan.plans(for: ["09-stun-transaction", "02-stun-coding"]) == [.stunProbe])
        for id in ["02-stun-coding", "03-candidate-priority", "05-dtls-fingerprint", "07-dcep-open", "09-stun-transaction",
                   "10-ice-checklist", "11-dcep-channel", "12-stream-receive"] {
            #expect(ToolRunPlan.hasToolRun(id), "\(id)")
            #expect(ExerciseCatalog.find(id) != nil, "\(id) is not in the catalog")
        }
        #expect(!ToolRunPlan.hasToolRun("01-protocol-stack") && !ToolRunPlan.hasToolRun("08-mesh-cost"))
        #expect(ToolRunPlan.echoChromium.arguments(peer: "http://127.0.0.1:1/offer").prefix(3) == ["echo", "http://127.0.0.1:1/offer", "--use-exercise"])
    }

    @Test("stun-probe against coturn: the starter transaction and decoder are named as not written, exit 8")
    func stunProbeStarter() throws {
        let outcome = try Self.runner.run(.stunProbe)
        #expect(outcome.setupFailure == nil)
        #expect(outcome.peer.hasPrefix("coturn (turnserver) on 127.0.0.1:"), "coturn is installed on this machine: \(outcome.peer)")
        #expect(outcome.termination == .exited(8), "\(outcome.stdout.suffix(400))\n\(outcome.stderr)")
        let verdicts = ToolRunJudge.judge(outcome, exerciseIDs: ["02-stun-coding", "09-stun-transaction"])
        #expect(verdicts.map(\.exerciseID) == ["02-stun-coding", "09-stun-transaction"])
        #expect(verdicts.allSatisfy { !$0.passed && $0.exit == "exit status 8" })
        #expect(verdicts[0].summary.contains("decodeXORMappedAddress is not written yet"), "\(verdicts[0].summary)")
        #expect(verdicts[1].summary.contains("StunTransaction is not written yet"), "\(verdicts[1].summary)")
        let text = ToolRunText.block(verdicts[1])
        #expect(text.hasPrefix("  FAIL 09-stun-transaction  tool run: "))
        #expect(text.contains("ran: stun-probe 127.0.0.1:") && text.contains("--use-exercise"))
        #expect(text.contains("the tool ended with exit status 8; its last lines:"))
    }

    @Test("ice-check, dtls-handshake, sctp-streams and the echo stop before any traffic, saying which file to write")
    func othersStarter() throws {
        let runner = try Self.runner
        let expectations: [(ToolRunPlan, Int32, String, String)] = [
            (.iceCheck, 8, "10-ice-checklist", "not implemented yet"),
            (.dtlsHandshake, 8, "05-dtls-fingerprint", "exercises/05-dtls-fingerprint"),
            (.sctpStreams, 8, "12-stream-receive", "exercises/12-stream-receive"),
            (.echoAiortc, 4, "11-dcep-channel", "encodeOpen in exercises/07-dcep-open/DCEPOpen.swift is not implemented yet"),
        ]
        for (plan, status, exercise, words) in expectations {
            let outcome = runner.run(plan)
            #expect(outcome.setupFailure == nil, "\(plan): \(outcome.setupFailure ?? "")")
            #expect(outcome.termination == .exited(status), "\(plan): \(outcome.termination.map { "\($0)" } ?? "-")\n\(outcome.stderr)")
            let verdict = ToolRunJudge.judge(outcome, exerciseID: exercise)
            #expect(!verdict.passed)
            #expect(verdict.summary.hasPrefix("the tool stopped before any traffic: "), "\(plan): \(verdict.summary)")
            #expect(verdict.summary.contains(words), "\(plan): \(verdict.summary)")
            #expect(!verdict.outputTail.isEmpty)
        }
    }

    @Test("a tool that is not built is a setup failure, not the student's")
    func missingBinary() throws {
        let runner = ToolRunner(repository: try LabRepository(root: GraderTestSupport.repositoryRoot), binaries: "/nonexistent")
        let verdict = ToolRunJudge.judge(runner.run(.dtlsHandshake), exerciseID: "05-dtls-fingerprint")
        #expect(!verdict.passed && verdict.exit == nil)
        #expect(verdict.summary == "the tool run could not start: /nonexistent/dtls-handshake is not built")
    }
}

/// The per-exercise verdicts of one run that covers two exercises, on recorded reports.
@Suite("lab check tool runs: judging one run for two exercises")
struct ToolRunJudgeTests {
    static func outcome(_ plan: ToolRunPlan, status: Int32, stdout: String, stderr: String = "") -> ToolRunOutcome {
        ToolRunOutcome(plan: plan, command: plan.tool + " --use-exercise", peer: "test", termination: .exited(status),
                       stdout: stdout, stderr: stderr)
    }

    @Test("stun-probe: 09 written, 02 not: 09 passes on the traffic it carried, 02 fails as not written")
    func stunProbeHalfWritten() {
        let transaction = #"{"outcome": "success", "retransmissions": 2, "exercise": {"implemented": false, "matches_library": true}}"#
        let report = #"{"ok": false, "error": "decoder not implemented", "exercise_transaction": "yours", "transactions": ["#
            + [transaction, transaction, transaction].joined(separator: ",") + "]}"
        let outcome = Self.outcome(.stunProbe, status: 8, stdout: report)
        let transactionVerdict = ToolRunJudge.judge(outcome, exerciseID: "09-stun-transaction")
        #expect(transactionVerdict.passed, "\(transactionVerdict.summary)")
        #expect(transactionVerdict.summary.contains("3 of 3 Binding transactions answered, 6 retransmissions"))
        #expect(transactionVerdict.summary.contains("the run still failed on another piece of yours: decoder not implemented"))
        let decoderVerdict = ToolRunJudge.judge(outcome, exerciseID: "02-stun-coding")
        #expect(!decoderVerdict.passed && decoderVerdict.summary.contains("decodeXORMappedAddress is not written yet"))
    }

    @Test("stun-probe: a transaction that broke a rule fails 09 with the rule")
    func stunProbeRuleBroken() {
        let report = #"{"ok": false, "exercise_transaction": "yours", "transactions": [{"outcome": "success", "retransmissions": 0, "#
            + #""transaction_problem": "sent again before the RTO"}]}"#
        let verdict = ToolRunJudge.judge(Self.outcome(.stunProbe, status: 8, stdout: report), exerciseID: "09-stun-transaction")
        #expect(!verdict.passed && verdict.summary == "your transaction broke a rule on the wire: sent again before the RTO")
    }

    @Test("echo: 07 written, 11 not: 07 passes, 11 fails naming the library's stand-in; both pass when both are yours")
    func echoPieces() {
        let steps = #"[{"step": "connect", "ok": true}, {"step": "text", "ok": true}]"#
        let half = #"{"ok": true, "steps": \#(steps), "exercises": {"07-dcep-open": "yours", "11-dcep-channel": "the library's: not implemented yet"}}"#
        let outcome = Self.outcome(.echoAiortc, status: 0, stdout: "table\n" + half + "\n")
        #expect(ToolRunJudge.judge(outcome, exerciseID: "07-dcep-open").passed)
        let channel = ToolRunJudge.judge(outcome, exerciseID: "11-dcep-channel")
        #expect(!channel.passed && channel.summary.contains("not written yet: the library's ran instead"))
        #expect(!Capstone.judge(outcome).passed)
        #expect(Capstone.judge(outcome).summary.hasPrefix("the messages round-tripped, but not every piece was yours"))

        // The capstone needs every piece: 07, 10 and 11 without 09 and 12 are not enough.
        let three = #"{"ok": true, "steps": \#(steps), "exercises": {"07-dcep-open": "yours", "10-ice-checklist": "yours", "#
            + #""11-dcep-channel": "yours", "09-stun-transaction": "the library's: not implemented yet"}}"#
        let partial = Capstone.judge(Self.outcome(.echoChromium, status: 0, stdout: three))
        #expect(!partial.passed && partial.pieces.first { $0.id == "12-stream-receive" }?.ran == "unknown: the echo stopped before saying")
        let fullSteps = #"[{"step": "connect", "ok": true}, {"step": "text", "ok": true}, "#
            + #"{"step": "transactions", "ok": true, "detail": "your StunTransaction ran 3 ICE transaction(s)"}, "#
            + #"{"step": "stream receive", "ok": true, "detail": "your StreamReceive put 9 DATA chunk(s) together"}]"#
        let full = #"{"ok": true, "steps": \#(fullSteps), "exercises": {"07-dcep-open": "yours", "09-stun-transaction": "yours", "#
            + #""10-ice-checklist": "yours", "11-dcep-channel": "yours", "12-stream-receive": "yours"}}"#
        let capstone = Capstone.judge(Self.outcome(.echoChromium, status: 0, stdout: full))
        #expect(capstone.passed, "\(capstone.summary)")
        #expect(capstone.summary.hasSuffix("; your StunTransaction ran 3 ICE transaction(s); your StreamReceive put 9 DATA chunk(s) together"),
                "\(capstone.summary)")
        #expect(capstone.steps.passed == 4 && capstone.steps.total == 4)
        #expect(capstone.pieces.map(\.id) == ["07-dcep-open", "09-stun-transaction", "10-ice-checklist", "11-dcep-channel", "12-stream-receive"])
        #expect(capstone.pieces.map(\.ran) == ["yours", "yours", "yours", "yours", "yours"])
        let failed = #"{"ok": false, "steps": \#(steps), "step": "burst", "error": "message 17 missing", "exercises": {"07-dcep-open": "yours", "11-dcep-channel": "yours"}}"#
        let broken = ToolRunJudge.judge(Self.outcome(.echoAiortc, status: 1, stdout: failed, stderr: "x"), exerciseID: "11-dcep-channel")
        #expect(!broken.passed && broken.summary == "the echo failed at step burst: message 17 missing")
        #expect(broken.outputTail == ["x"])
    }

    @Test("ice-check: a piece left out is named; 10 passes on its own when 03 is not written")
    func iceCheckPieces() {
        let report = #"{"connected": true, "outcome": "connected", "exercises_not_implemented": ["exercises/03-candidate-priority/CandidatePriority.swift"], "#
            + #""checklist_exercise": {"agrees": true, "problems": []}}"#
        let outcome = Self.outcome(.iceCheck, status: 0, stdout: report)
        #expect(ToolRunJudge.judge(outcome, exerciseID: "10-ice-checklist").passed)
        let priority = ToolRunJudge.judge(outcome, exerciseID: "03-candidate-priority")
        #expect(!priority.passed && priority.summary.contains("priority functions are not written yet"))
    }

    @Test("the build's errors are located and relative to the repository")
    func buildErrors() {
        let log = """
            /repo/exercises/09-stun-transaction/StunTransaction.swift:3:1: error: expected declaration
            /repo/exercises/09-stun-transaction/StunTransaction.swift:3:1: error: expected declaration
              |  `- error: expected declaration
            error: emit-module command failed
            """
        #expect(ToolBuilder.errors(in: log, root: "/repo") == ["exercises/09-stun-transaction/StunTransaction.swift:3:1: error: expected declaration"])
    }
}

@Suite("lab check --help and lab list: tool runs and the capstone are documented")
struct LabToolRunHelpTests {
    static func lab(_ arguments: [String]) throws -> ChildOutcome {
        try ChildProcess.run([GraderTestSupport.buildDirectory + "/lab"] + arguments,
                             environment: SubmissionGrader.childEnvironment, timeout: .seconds(120))
    }

    @Test("lab check --help explains the tool runs, --no-tools and the capstone")
    func checkHelp() throws {
        let help = try Self.lab(["check", "--help"])
        #expect(help.termination == .exited(0))
        for words in ["--no-tools", "--tools-scratch-path", "Tool runs: your code has to carry real traffic too.",
                      "stun-probe against coturn", "ice-check --simulate symmetric,full-cone", "sctp-streams",
                      "Capstone: `lab check capstone`", "lab check capstone   the final run against Chromium"] {
            #expect(help.stdout.contains(words), "--help lacks \(words.debugDescription)")
        }
    }

    @Test("lab list ends the exercises with the capstone")
    func listShowsCapstone() throws {
        let list = try Self.lab(["list", "--root", GraderTestSupport.repositoryRoot])
        #expect(list.termination == .exited(0), "\(list.stderr)")
        #expect(list.stdout.contains("  capstone  your exercises 07, 09, 10, 11 and 12 in one stack, echoing with Chromium: `lab check capstone`"))
    }
}
