import Foundation
import Testing
@testable import LabKit

/// A copy of the repository next to the build products, in which the tests swap
/// solutions in for starters and run `lab check` (and the capstone) for real: the tools
/// are built there with the copied exercises, by SwiftPM, like a student's checkout.
///
/// Why a persistent copy: a fresh copy means a fresh build of the whole stack (many
/// minutes). The copy and its .build survive between runs and files are rewritten only
/// when their bytes change, so after the first run only the swapped exercises recompile.
enum ToolRunCopy {
    /// The copy's root.
    static var root: String { GraderTestSupport.scratchDirectory("lab-tool-runs-repo") }

    /// Makes the copy hold the repository's current sources, with the starters in exercises/.
    static func sync() throws -> String {
        let source = GraderTestSupport.repositoryRoot
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for file in ["Package.swift", "Package.resolved"] {
            try copyIfChanged(source + "/" + file, root + "/" + file)
        }
        for folder in ["Sources", "Tests", "exercises", "solutions", "scripts"] {
            try mirror(source + "/" + folder, root + "/" + folder)
        }
        // The echo peers run on the repository's Python environment (aiortc): shared, not copied.
        let venv = root + "/.venv"
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: venv)) == nil {
            try FileManager.default.createSymbolicLink(atPath: venv, withDestinationPath: source + "/.venv")
        }
        return root
    }

    /// Puts `exercise`'s reference answer (its one .swift file) in the copy's exercises/.
    static func solve(_ exercise: String, file: String) throws {
        try copyIfChanged(GraderTestSupport.repositoryRoot + "/solutions/\(exercise)/\(file)", root + "/exercises/\(exercise)/\(file)")
    }

    /// Every regular file under `source` (hidden and .build folders skipped) copied when its bytes differ.
    private static func mirror(_ source: String, _ destination: String) throws {
        guard let walker = FileManager.default.enumerator(atPath: source) else { return }
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                walker.skipDescendants()
                continue
            }
            if walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular {
                try copyIfChanged(source + "/" + relative, destination + "/" + relative)
            }
        }
    }

    private static func copyIfChanged(_ from: String, _ to: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: from))
        if FileManager.default.contents(atPath: to) == data { return }
        try FileManager.default.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: to), options: .atomic)
    }

    /// Runs the `lab` of this build in the copy (its own grading workspace and tool scratch path).
    static func lab(_ arguments: [String]) throws -> (status: ChildTermination, output: String) {
        let outcome = try ChildProcess.run(
            [GraderTestSupport.buildDirectory + "/lab"] + arguments
                + ["--root", root, "--workspace", root + "/.build-lab/workspace", "--tools-scratch-path", root + "/.build"],
            environment: SubmissionGrader.childEnvironment, timeout: .seconds(3600))
        return (outcome.termination, outcome.stdout + outcome.stderr)
    }
}

@Suite("lab check tool runs, end to end in a copy of the repository", .serialized)
struct LabToolRunEndToEndTests {
    @Test("lab check 09: the solution carries real traffic through stun-probe and coturn; the starter waits for its checks")
    func stunTransaction() throws {
        _ = try ToolRunCopy.sync()
        try ToolRunCopy.solve("09-stun-transaction", file: "StunTransaction.swift")
        let solved = try ToolRunCopy.lab(["check", "09"])
        print("lab check 09 (solution):\n\(solved.output)")
        #expect(solved.status == .exited(0), "\(solved.output.suffix(3000))")
        #expect(solved.output.contains("building stun-probe with your code… built in"))
        #expect(solved.output.contains("PASS 09-stun-transaction  tool run: your transaction drove every send and retransmission: "
                                       + "1 of 1 Binding transactions answered, 2 retransmissions"), "\(solved.output.suffix(3000))")
        // Exercise 02 is still the starter in the copy: its decoder stops the probe after the first
        // transaction (exit 8); the line passes on what the transaction carried and says so.
        #expect(solved.output.contains("the run still failed on another piece of yours"))
        #expect(solved.output.contains("peer: coturn (turnserver) on 127.0.0.1:"))

        let quick = try ToolRunCopy.lab(["check", "09", "--no-tools"])
        #expect(quick.status == .exited(0) && quick.output.contains("Tool runs skipped (--no-tools)."))
        #expect(!quick.output.contains("building stun-probe"))

        _ = try ToolRunCopy.sync()   // the starter again
        let starter = try ToolRunCopy.lab(["check", "09"])
        print("lab check 09 (starter):\n\(starter.output)")
        #expect(starter.status == .exited(1))
        #expect(starter.output.contains("--   09-stun-transaction  stun-probe: runs once all of 09-stun-transaction's checks pass"),
                "\(starter.output.suffix(2000))")
        #expect(!starter.output.contains("building stun-probe"))
    }

    @Test("lab check capstone: with exercises 07, 09, 10, 11 and 12 solved, every message round-trips through Chromium with all five pieces")
    func capstone() throws {
        _ = try ToolRunCopy.sync()
        try ToolRunCopy.solve("07-dcep-open", file: "DCEPOpen.swift")
        try ToolRunCopy.solve("09-stun-transaction", file: "StunTransaction.swift")
        try ToolRunCopy.solve("10-ice-checklist", file: "IceChecklist.swift")
        try ToolRunCopy.solve("11-dcep-channel", file: "DCEPChannel.swift")
        try ToolRunCopy.solve("12-stream-receive", file: "StreamReceive.swift")
        defer { _ = try? ToolRunCopy.sync() }
        let run = try ToolRunCopy.lab(["check", "capstone"])
        print("lab check capstone (solutions):\n\(run.output)")
        #expect(run.status == .exited(0), "\(run.output.suffix(3000))")
        #expect(run.output.contains("PASS capstone: every message round-tripped through Chromium with all your pieces in the stack"))
        for id in ["07-dcep-open", "09-stun-transaction", "10-ice-checklist", "11-dcep-channel", "12-stream-receive"] {
            #expect(run.output.contains("\(id): yours"), "\(id)")
        }
        // The first check's answer was lost on purpose: the student's transaction retransmitted it.
        #expect(run.output.contains("your StunTransaction ran ") && run.output.contains("1 answer(s) lost on purpose"))
        #expect(!run.output.contains(" 0 retransmission(s)"), "\(run.output.suffix(2000))")
        #expect(run.output.contains("the same as usrsctp's; the channels got yours"))
        #expect(run.output.contains("--drop-check-answers 1"))
        #expect(run.output.contains("peer: headless Chromium echo server at http://127.0.0.1:"))
    }
}
