@testable import ExerciseChecks
import Foundation
import Testing
import ToolTestSupport
@testable import LabKit

// Exercise 08's live comparison: `lab check 08` runs the real `datachannel-chat demo --json
// --agents 5` (built next to `lab` and this test bundle) once the graded checks pass, and
// holds the student's model against it through the student's own exercise-runner. The
// reference answer must predict a live mesh on this machine; the starter never gets that
// far; a demo that is missing, fails, or reports something the model does not predict is
// reported as such.

/// Runs the built `lab` executable next to the test bundle.
private func lab(_ arguments: [String]) throws -> ChildOutcome {
    let executable = GraderTestSupport.buildDirectory + "/lab"
    try #require(FileManager.default.isExecutableFile(atPath: executable), "\(executable) is missing: build the package first")
    return try ChildProcess.run([executable] + arguments, environment: ProcessInfo.processInfo.environment, timeout: .seconds(600))
}

/// A stand-in for datachannel-chat: a shell script in its own directory.
private func fakeTool(_ script: String) throws -> String {
    let directory = try GraderTestSupport.temporaryDirectory("lab-ex08-fake-tool-")
    let path = directory + "/datachannel-chat"
    try writeExecutableScript("#!/bin/sh\n" + script + "\n", to: path)
    return directory
}

@Suite("Exercise 08: the model against a live demo")
struct Exercise08LiveDemoTests {
    private let root = GraderTestSupport.repositoryRoot

    @Test("lab check 08 on the reference answer predicts a live 5-agent mesh; broken, missing and lying demos are reported")
    func liveDemo() throws {
        let tool = GraderTestSupport.buildDirectory + "/datachannel-chat"
        try #require(FileManager.default.isExecutableFile(atPath: tool),
                     "\(tool) is not built next to the test bundle: exercise 08's live comparison needs it")
        let workspace = GraderTestSupport.scratchDirectory("lab-ex08-live-workspace")
        let check = try lab(["check", "08", "--dir", root + "/solutions", "--root", root, "--workspace", workspace])
        #expect(check.termination == .exited(0), "\(check.stdout)\n\(check.stderr)")
        #expect(check.stdout.contains("08-mesh-cost — The cost of setup: a mesh's connections, setup time and amortisation: 24/24 points"))
        #expect(check.stdout.contains("08-mesh-cost against a live run of the demo (not graded):\n"
            + "  `datachannel-chat demo --json --agents 5` measured a mesh on this machine; your model predicts it:\n"
            + "  ✓ 08.demo.connections  predicts the number of connections the demo formed for its agents  (live run)\n"
            + "  ✓ 08.demo.sequential  predicts the demo's sequential setup total from its measured per-pair times  (live run)\n"
            + "  ✓ 08.demo.amortised  "), "\(check.stdout)")

        // The same runner, now built in `workspace`, against stand-ins for the tool.
        let repository = try LabRepository(root: root)
        let built = GradingWorkspace(repository: repository, directory: workspace)
        let live = MeshCostLiveDemo(demoTimeout: .seconds(30))

        let missing = try GraderTestSupport.temporaryDirectory("lab-ex08-no-tool-")
        #expect(live.run(workspace: built, toolDirectory: missing) == .toolMissing(path: missing + "/datachannel-chat"))

        let failing = try fakeTool("echo 'demo: the registry could not start' >&2; exit 3")
        #expect(live.run(workspace: built, toolDirectory: failing)
                    == .demoFailed(command: "datachannel-chat demo --json --agents 5",
                                   reason: "it ended with exit status 3: demo: the registry could not start"))

        let silent = try fakeTool("echo 'no report today'")
        #expect(live.run(workspace: built, toolDirectory: silent)
                    == .demoFailed(command: "datachannel-chat demo --json --agents 5", reason: "it printed no JSON report on stdout"))

        // A demo whose break-even is off by one: the reference model must disagree, and say where.
        var lying = MeshCostRecordedDemos.fiveAgents
        let report = try MeshCostDemoReport.read(lying)
        lying = lying.replacingOccurrences(of: "\"break_even_messages\":\(report.breakEvenMessages)",
                                           with: "\"break_even_messages\":\(report.breakEvenMessages + 1)")
        let liar = try fakeTool("cat <<'EOF'\nlog line before the report\n" + lying + "\nEOF")
        guard case .compared(_, let results) = live.run(workspace: built, toolDirectory: liar) else {
            Issue.record("the stand-in's report was not compared")
            return
        }
        #expect(results.map(\.id) == ["08.demo.connections", "08.demo.sequential", "08.demo.amortised"])
        #expect(results.map(\.status) == [.passed, .passed, .failed])
        #expect(results.allSatisfy { $0.points == 0 && $0.earned == 0 })
        #expect(results.last?.input?.hasPrefix("MeshCost.breakEvenMessages(setupMilliseconds: \(report.setupMSPerPair), "
            + "requestMilliseconds: 50.0) — the live run of `datachannel-chat demo --json`") == true)
        #expect(results.last?.expected == "\(report.breakEvenMessages + 1) (the demo's amortised.break_even_messages)")
    }

    @Test("lab check 08 on the untouched starter scores 0 and does not run the demo")
    func starterSkipsTheDemo() throws {
        let workspace = GraderTestSupport.scratchDirectory("lab-ex08-starter-workspace")
        let check = try lab(["check", "08", "--dir", root + "/exercises", "--root", root, "--workspace", workspace, "--brief"])
        #expect(check.termination == .exited(1))
        #expect(check.stdout.contains("Total: 0/24 points, 0 of 15 checks pass."))
        #expect(check.stdout.contains("✗ 08.demo.sequential  predicts the demo's sequential setup total from its measured per-pair times  (0/2)"))
        #expect(!check.stdout.contains("against a live run"))
        #expect(check.stdout.contains("Stuck? `lab hint 08` reveals one hint at a time."))
    }
}
