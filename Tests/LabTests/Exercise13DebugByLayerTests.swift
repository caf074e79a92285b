@testable import ExerciseChecks
import ExerciseInterfaces
import Exercises
import Foundation
import LabKit
import Solutions
import Testing

// Exercise 13: the reference answer passes every check and the starter none; a wrong layer,
// a quote that is not in the output, another case's quote, a line that does not show the
// failure and a too short quote each fail the one check meant to catch them, readably; the
// stored transcripts are still what the tools print (they are re-run here); lesson 10 runs
// exactly the stored scripts; and the two tool options added for the cases are documented
// and refuse misuse.

/// The checkout these tests were compiled from (Tests/LabTests/<file> → three levels up).
private let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The reference answer with one case's diagnosis replaced.
private enum Override {
    nonisolated(unsafe) static var diagnoses: [DebugCase: Diagnosis] = [:]
}

/// Answers like the solution except where a test says otherwise (one test at a time uses it,
/// through `withDiagnosis`, serialised by the suite).
private enum Tweaked: DebugByLayerExercise {
    static func diagnose(_ debugCase: DebugCase) throws -> Diagnosis {
        try Override.diagnoses[debugCase] ?? Solutions.DebugByLayer.diagnose(debugCase)
    }
}

private func outcomes<D: DebugByLayerExercise>(_ type: D.Type) -> [String: CheckOutcome] {
    Dictionary(uniqueKeysWithValues: DebugByLayerChecks.checks(type).map { ($0.descriptor.id, $0.run()) })
}

/// The failed check ids when `debugCase` is answered with `diagnosis`, and their failures.
private func failures(_ debugCase: DebugCase, _ diagnosis: Diagnosis) -> [String: CheckFailure] {
    Override.diagnoses = [debugCase: diagnosis]
    defer { Override.diagnoses = [:] }
    var failed: [String: CheckFailure] = [:]
    for (id, outcome) in outcomes(Tweaked.self) { if case .fail(let failure) = outcome { failed[id] = failure } }
    return failed
}

@Suite("Exercise 13: debugging by layer", .serialized)
struct Exercise13DebugByLayerTests {
    @Test("seven cases, a layer check (1 point) and an evidence check (2 points) each, in the catalog")
    func catalog() throws {
        let descriptors = CheckSuite.catalog(forExercise: "13-debug-by-layer")
        #expect(descriptors.count == 14)
        #expect(descriptors.reduce(0) { $0 + $1.points } == 21)
        #expect(ExerciseCatalog.find("13")?.id == "13-debug-by-layer")
        #expect(DebugCaseTranscript.all.map(\.debugCase) == DebugCase.allCases)
        #expect(DebugByLayerChecks.answers.map(\.debugCase) == DebugCase.allCases)
        let ids = descriptors.map(\.id)
        #expect(ids.contains("13.layer.wrong-fingerprint") && ids.contains("13.evidence.consent-lost"))
    }

    @Test("the solution passes every check")
    func solutionPasses() {
        let failed = outcomes(Solutions.DebugByLayer.self).filter { !$0.value.passed }
        #expect(failed.isEmpty, "\(failed)")
    }

    @Test("the starter fails every check, saying notImplemented and naming the case and its command")
    func starterFails() throws {
        let all = outcomes(Exercises.DebugByLayer.self)
        #expect(all.count == 14)
        for (id, outcome) in all {
            guard case .fail(let failure) = outcome else {
                Issue.record("\(id) passed on the starter")
                continue
            }
            #expect(failure.actual.contains("notImplemented"), "\(id): \(failure.actual)")
            #expect(failure.input.contains("diagnose(."), "\(id): \(failure.input)")
        }
        guard case .fail(let failure) = all["13.evidence.wrong-fingerprint"] else { return }
        #expect(failure.input.contains("dtls-handshake --expect-fingerprint"))
        #expect(failure.rule.contains("copied from the case's output"))
        // Each input names the one command that fails, not the servers the script starts first.
        guard case .fail(let echo) = all["13.layer.max-message-size"], case .fail(let join) = all["13.layer.expired-token"] else { return }
        #expect(echo.input.contains("--ignore-max-message-size") && !echo.input.contains("--serve"))
        #expect(join.input.contains("datachannel-chat join") && !join.input.contains("datachannel-chat serve"))
    }

    @Test("a wrong layer fails the layer check only, without printing the expected layer")
    func wrongLayer() throws {
        let quote = try Solutions.DebugByLayer.diagnose(.wrongTURNPassword).evidence
        let failed = failures(.wrongTURNPassword, Diagnosis(layer: .ice, evidence: quote))
        #expect(Set(failed.keys) == ["13.layer.wrong-turn-password"])
        let failure = try #require(failed["13.layer.wrong-turn-password"])
        #expect(failure.actual == ".ice")
        #expect(!failure.expected.contains("turn"))
        #expect(failure.rule.contains("RFC 8656"))
    }

    @Test("both layers of a boundary case are accepted: max-message-size is SCTP's limit, declared in SDP")
    func boundaryLayers() throws {
        let quote = try Solutions.DebugByLayer.diagnose(.maxMessageSize).evidence
        #expect(failures(.maxMessageSize, Diagnosis(layer: .sdp, evidence: quote)).isEmpty)
        #expect(failures(.maxMessageSize, Diagnosis(layer: .sctp, evidence: quote)).isEmpty)
        #expect(Set(failures(.maxMessageSize, Diagnosis(layer: .dataChannel, evidence: quote)).keys)
                == ["13.layer.max-message-size"])
    }

    @Test("a quote that is not in the output fails the evidence check, even when it sounds right")
    func inventedQuote() throws {
        let failed = failures(.wrongTURNPassword, Diagnosis(layer: .turn, evidence: "Allocate error 401 (Unauthenticated): wrong password"))
        let failure = try #require(failed["13.evidence.wrong-turn-password"])
        #expect(failed.count == 1)
        #expect(failure.actual.contains("not in this case's output"))
        #expect(failure.expected.contains("error 401"))
    }

    @Test("another case's evidence does not count for this one")
    func otherCasesQuote() throws {
        let symmetric = try Solutions.DebugByLayer.diagnose(.symmetricNATs).evidence
        let failed = failures(.udpBlocked, Diagnosis(layer: .ice, evidence: symmetric))
        #expect(Set(failed.keys) == ["13.evidence.udp-blocked"])
        // 441 is the other code a TURN server may use; this one answered 401.
        #expect(failures(.wrongTURNPassword, Diagnosis(layer: .turn, evidence: "#15 Allocate error 441")).count == 1)
    }

    @Test("a line that is in the output but does not show the failure fails, and says so")
    func innocentLine() throws {
        // The settings header names the edges: it describes the network, it is not the failure.
        let header = "servers  STUN 192.0.2.1:3478, no TURN server (--no-turn)"
        let failed = failures(.udpBlocked, Diagnosis(layer: .ice, evidence: header))
        let failure = try #require(failed["13.evidence.udp-blocked"])
        #expect(failure.actual.contains("does not show the failure"))
        // The client's own line cannot tell an expired token from a forged one.
        let client = "the WebSocket upgrade was refused (401: the token is missing, forged or expired)"
        #expect(failures(.expiredToken, Diagnosis(layer: .signaling, evidence: client)).keys.sorted() == ["13.evidence.expired-token"])
    }

    @Test("a marker alone is too short to be evidence")
    func tooShort() throws {
        let failed = failures(.consentLost, Diagnosis(layer: .ice, evidence: "consent"))
        let failure = try #require(failed["13.evidence.consent-lost"])
        #expect(failure.actual.contains("too short"))
    }

    @Test("a quote from the student's own run matches despite other ports, times, sizes and fingerprints")
    func ownRun() throws {
        let fingerprint = (0..<32).map { _ in "3C" }.joined(separator: ":")
        let quote = "   41.7 ms  client: FAILED: the peer's certificate (sha-256 \(fingerprint)) matches none of the 1 remote fingerprint(s)"
        #expect(failures(.wrongFingerprint, Diagnosis(layer: .dtls, evidence: quote)).isEmpty)
        let registry = "2027-01-02T03:04:05+0000 info registry: reason=token expired: get a fresh one from POST /api/token"
        #expect(failures(.expiredToken, Diagnosis(layer: .signaling, evidence: registry)).isEmpty)
    }

    @Test("normalisation: fingerprints, digit runs and spaces; nothing else")
    func normalisation() {
        let fingerprint = (0..<32).map { _ in "A0" }.joined(separator: ":")
        #expect(DebugEvidence.normalise("  sha-256 \(fingerprint) ok") == "sha-# <fingerprint> ok")
        #expect(DebugEvidence.normalise("127.0.0.1:41893\t\t x") == "#.#.#.#:# x")
        #expect(DebugEvidence.normalise("AB:CD:EF") == "AB:CD:EF")  // too short to be a fingerprint
        #expect(DebugEvidence.normalise("Allocate error 401") == DebugEvidence.normalise("Allocate error 441"))
        #expect(DebugEvidence.normalise("   ") == "")
    }

    @Test("a stored transcript is still what its script prints (re-run with the built tools)", arguments: DebugCase.allCases)
    func transcriptIsFresh(debugCase: DebugCase) throws {
        let stored = DebugCaseTranscript.of(debugCase)
        let binaries = try #require(LessonRunner.directoryOfRunningExecutable())
        for tool in ["ice-check", "dtls-handshake", "datachannel-chat"] {
            try #require(FileManager.default.isExecutableFile(atPath: "\(binaries)/\(tool)"),
                         "\(tool) is not built next to the test bundle in \(binaries): exercise 13's transcripts need it")
        }
        let runner = LessonRunner(repositoryRoot: repositoryRoot, executableDirectory: binaries)
        let temporary = NSTemporaryDirectory() + "lab-ex13-\(debugCase.rawValue)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let block = RunnableBlock(index: 1, line: 1, script: stored.script, expectedExit: .status(stored.exitStatus),
                                  timeout: .seconds(120), expectations: [])
        let fresh = try runner.run(block, temporaryDirectory: temporary)
        #expect(fresh.termination == .exited(stored.exitStatus), "\(fresh.termination):\n\(fresh.output)")
        let freshTranscript = DebugCaseTranscript(debugCase: debugCase, exitStatus: stored.exitStatus,
                                                  deterministic: stored.deterministic, script: stored.script,
                                                  output: fresh.output)
        let regenerate = "run scripts/lab/debug-case-transcripts.py .build/debug and review the diff"
        if stored.deterministic {
            // Virtual time and a fixed seed: the whole output must be the same.
            let expected = stored.normalisedLines, actual = freshTranscript.normalisedLines
            let firstDifference = Array(zip(expected, actual)).firstIndex { $0.0 != $0.1 } ?? min(expected.count, actual.count)
            let same = expected == actual  // a Bool, so a failure prints the first difference, not both outputs
            #expect(same, """
                \(debugCase.rawValue): the output changed at line \(firstDifference + 1) (\(regenerate)):
                stored: \(firstDifference < expected.count ? expected[firstDifference] : "(end)")
                now:    \(firstDifference < actual.count ? actual[firstDifference] : "(end)")
                """)
        } else {
            // A live run (real sockets, fresh keys): every line that carries evidence must still be printed.
            let answer = try #require(DebugByLayerChecks.answers.first { $0.debugCase == debugCase })
            let evidence = stored.output.split(separator: "\n").map(String.init)
                .filter { line in answer.markers.contains { line.contains($0) } }
            #expect(!evidence.isEmpty)
            for line in evidence {
                #expect(freshTranscript.contains(quote: line), "\(debugCase.rawValue): no longer printed (\(regenerate)): \(line)")
            }
        }
        // And the solution's quote is evidence in this very run too.
        let quote = try Solutions.DebugByLayer.diagnose(debugCase).evidence
        #expect(freshTranscript.contains(quote: quote), "\(debugCase.rawValue): the solution's quote is not in a fresh run")
    }

    @Test("lesson 10 runs each case's stored script, with its exit status, and links exercise 13")
    func lessonRunsTheScripts() throws {
        let lesson = try LessonCatalog.lesson("10", repositoryRoot: repositoryRoot)
        #expect(lesson.exerciseIDs.contains("13-debug-by-layer"))
        for transcript in DebugCaseTranscript.all {
            let block = lesson.blocks.first { $0.script.trimmingCharacters(in: .whitespacesAndNewlines) == transcript.script }
            #expect(block != nil, "lessons/10 has no {run} block with the script of \(transcript.debugCase.rawValue)")
            #expect(block?.expectedExit == .status(transcript.exitStatus), "\(transcript.debugCase.rawValue): exit=\(transcript.exitStatus)")
        }
    }

    @Test("the tool options behind the cases are in --help and refuse misuse")
    func toolOptions() throws {
        let binaries = try #require(LessonRunner.directoryOfRunningExecutable())
        let runner = LessonRunner(repositoryRoot: repositoryRoot, executableDirectory: binaries)
        func run(_ script: String) throws -> BlockResult {
            try runner.run(RunnableBlock(index: 1, line: 1, script: script + " || echo \"exit $?\"", expectations: []),
                           temporaryDirectory: NSTemporaryDirectory())
        }
        let iceHelp = try run("ice-check run --help").output
        #expect(iceHelp.contains("--break") && iceHelp.contains("turn-password") && iceHelp.contains("consent"))
        let noSimulate = try run("ice-check --break consent").output
        #expect(noSimulate.contains("--break consent applies to --simulate only") && noSimulate.contains("exit 2"))
        let noTURN = try run("ice-check --simulate symmetric,symmetric --no-turn --break turn-password").output
        #expect(noTURN.contains("needs the TURN server") && noTURN.contains("exit 2"))
        let echoHelp = try run("datachannel-chat echo --help").output
        #expect(echoHelp.contains("--ignore-max-message-size"))
        let serverMisuse = try run("datachannel-chat echo --serve --ignore-max-message-size").output
        #expect(serverMisuse.contains("client option") && serverMisuse.contains("exit 2"))
    }

    @Test("consent loss is named as such, not as a checklist failure")
    func consentOutcome() {
        let output = DebugCaseTranscript.of(.consentLost).output
        #expect(output.contains("agent state completed"))
        #expect(output.contains("consent expired (RFC 7675 §5.1)"))
        #expect(!output.contains("failed after end-of-candidates"))
        // The wrong password still lets the first (unauthenticated) Allocate be challenged, then refuses the second.
        let turn = DebugCaseTranscript.of(.wrongTURNPassword).output
        #expect(turn.components(separatedBy: "Allocate error 401").count - 1 == 8)  // 2 per side, each drawn at 2 hops
        #expect(!turn.contains("Allocate success"))
    }

    @Test("a submission with exercise 13 solved earns exactly its points")
    func gradedSubmission() throws {
        try GraderTestSupport.expectOnlySolvedExerciseEarns("13-debug-by-layer", file: "DebugByLayer.swift", checks: 14, points: 21)
    }
}
