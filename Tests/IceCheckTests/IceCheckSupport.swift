import Foundation
import Testing

/// What one run of ice-check did.
struct IceCheckRun {
    let status: Int32
    let stdout: String
    let stderr: String

    /// The non-empty lines of standard error.
    var errorLines: [String] { stderr.split(separator: "\n").map(String.init).filter { !$0.isEmpty } }

    /// Standard output parsed as one JSON object.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(object as? [String: Any], "--json did not print one object: \(stdout.prefix(200))")
    }
}

/// The executable under test is missing: the test fails (never skips).
struct MissingIceCheck: Error, CustomStringConvertible {
    let description: String
}

enum IceCheck {
    /// The repository root, found from this file's path (Tests/IceCheckTests/<file>).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A committed SDP fixture by file name, through its repository path.
    static func fixture(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/SDPTests/Fixtures").appendingPathComponent(name).path
    }

    /// The ice-check executable: built next to the test bundle whatever --scratch-path was used.
    /// Missing means `swift build` was not run first: the test fails, it does not skip.
    static func path() throws -> String {
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
            let candidate = directory.appendingPathComponent("ice-check").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw MissingIceCheck(description: "ice-check was not built next to the test bundle (looked in "
            + directories.map(\.path).joined(separator: ", ") + "): run `swift build` before `swift test`")
    }

    /// Runs ice-check with `arguments`, feeding `stdinFile` (or nothing) to its standard input.
    /// Outputs go to files so a large report can never block on a full pipe.
    static func run(_ arguments: [String], stdinFile: String? = nil) throws -> IceCheckRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ice-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout"), err = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path())
        process.arguments = arguments
        process.standardInput = try stdinFile.map { path in try #require(FileHandle(forReadingAtPath: path)) }
            ?? FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { usleep(2_000) }
        if process.isRunning {
            process.terminate()
            Issue.record("ice-check \(arguments.joined(separator: " ")) did not finish within 60 s")
        }
        process.waitUntilExit()
        return IceCheckRun(status: process.terminationStatus,
                           stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                           stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// Writes `text` to a fresh temporary file and returns its path.
    static func temporaryFile(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ice-check-\(UUID().uuidString).sdp")
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
