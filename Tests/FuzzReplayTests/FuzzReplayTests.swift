import Foundation
import Testing

/// The fuzz executables, built plainly by `swift build`, are corpus replayers
/// (FuzzSupport). Replaying each seed corpus through them runs every input through
/// the whole fuzz target, invariant checks included, in every test run: a seed or a
/// saved crash reproducer that traps fails here without libFuzzer.
@Suite("Fuzz targets: plain builds replay their seed corpora")
struct FuzzReplayTests {
    @Test("dtls-fuzz replays every file of fuzz/dtls-corpus without a crash")
    func dtlsCorpus() throws {
        try expectReplay("dtls-fuzz", corpus: "fuzz/dtls-corpus", atLeast: 23)
    }

    @Test("stun-fuzz still replays every file of fuzz/stun-corpus without a crash")
    func stunCorpus() throws {
        try expectReplay("stun-fuzz", corpus: "fuzz/stun-corpus", atLeast: 11)
    }

    @Test("without arguments a replayer prints its usage and exits 64", arguments: ["stun-fuzz", "dtls-fuzz"])
    func usage(name: String) throws {
        let run = try FuzzExecutable.run(name, [])
        #expect(run.status == 64)
        #expect(run.stdout.hasPrefix("usage: \(name) FILE|DIR..."))
    }

    @Test("an unreadable input is reported with exit status 66")
    func unreadable() throws {
        let missing = FuzzExecutable.repositoryRoot.appendingPathComponent("fuzz/no-such-input.bin").path
        let run = try FuzzExecutable.run("dtls-fuzz", [missing])
        #expect(run.status == 66)
        #expect(run.stdout == "dtls-fuzz: cannot read \(missing)\n")
    }

    private func expectReplay(_ name: String, corpus: String, atLeast minimum: Int) throws {
        let directory = FuzzExecutable.repositoryRoot.appendingPathComponent(corpus)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }
        #expect(files.count >= minimum)
        let run = try FuzzExecutable.run(name, [directory.path])
        #expect(run.status == 0, "\(name) exited with \(run.status): \(run.stderr.suffix(2000))")
        #expect(run.stdout == "\(name): replayed \(files.count) input(s), no crash\n")
    }
}

/// What one run of a fuzz executable did.
struct FuzzRun {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// The executable under test is missing: the test fails (never skips).
struct MissingFuzzExecutable: Error, CustomStringConvertible {
    let description: String
}

enum FuzzExecutable {
    /// The repository root, found from this file's path (Tests/FuzzReplayTests/<file>).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The executable, built next to the test bundle whatever --scratch-path was used.
    /// Missing means `swift build` was not run first: the test fails, it does not skip.
    static func path(_ name: String) throws -> String {
        var directories: [URL] = []
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw MissingFuzzExecutable(description: "\(name) was not built next to the test bundle (looked in "
            + directories.map(\.path).joined(separator: ", ") + "): run `swift build` before `swift test`")
    }

    /// Runs `name` with `arguments` to completion (120 s at most); outputs go to
    /// files so a large report can never block on a full pipe.
    static func run(_ name: String, _ arguments: [String]) throws -> FuzzRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout"), err = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path(name))
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline { usleep(5_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("\(name) \(arguments.joined(separator: " ")) did not finish within 120 s")
        }
        process.waitUntilExit()
        return FuzzRun(status: process.terminationStatus,
                       stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                       stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}
