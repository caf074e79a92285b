import Foundation
import Testing

/// What one run of dtls-handshake did.
struct HandshakeRun {
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
struct MissingExecutable: Error, CustomStringConvertible {
    let description: String
}

enum DtlsHandshake {
    /// The dtls-handshake executable: built next to the test bundle whatever --scratch-path was used.
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
            let candidate = directory.appendingPathComponent("dtls-handshake").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw MissingExecutable(description: "dtls-handshake was not built next to the test bundle (looked in "
            + directories.map(\.path).joined(separator: ", ") + "): run `swift build` before `swift test`")
    }

    /// Runs dtls-handshake with `arguments` to completion (60 s at most).
    static func run(_ arguments: [String]) throws -> HandshakeRun {
        try Program.run(try path(), arguments)
    }

    /// A fresh temporary path (not created).
    static func temporaryPath(_ suffix: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("dtls-handshake-\(UUID().uuidString)\(suffix)").path
    }
}

enum Program {
    /// Runs any program; outputs go to files so a large report can never block on a full pipe.
    static func run(_ executable: String, _ arguments: [String]) throws -> HandshakeRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dtls-handshake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout"), err = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { usleep(2_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("\(executable) \(arguments.joined(separator: " ")) did not finish within 60 s")
        }
        process.waitUntilExit()
        return HandshakeRun(status: process.terminationStatus,
                            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}

/// `dtls-handshake --listen` in the background: its first stdout line names the
/// port and fingerprint; `finish()` waits for it to exit and returns everything.
final class Listener {
    let process = Process()
    private let stdoutPipe = Pipe()
    private let errorFile: URL
    private var buffered = Data()
    /// The address and fingerprint from the first line.
    private(set) var port: UInt16 = 0
    private(set) var fingerprint = ""

    init(_ arguments: [String] = []) throws {
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("dtls-listener-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: try DtlsHandshake.path())
        process.arguments = ["--listen", "127.0.0.1:0"] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdoutPipe
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let first = try #require(readLine(), "the listener printed nothing")
        // "listening on 127.0.0.1:PORT fingerprint sha-256 AB:..."
        let words = first.split(separator: " ").map(String.init)
        try #require(words.count == 6 && words[0] == "listening" && words[3] == "fingerprint", "unexpected first line: \(first)")
        let portText = try #require(words[2].split(separator: ":").last)
        port = try #require(UInt16(portText))
        fingerprint = words[4] + " " + words[5]
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: errorFile)
    }

    /// Reads one line of standard output (nil at end of output).
    func readLine() -> String? {
        while true {
            if let newline = buffered.firstIndex(of: 0x0A) {
                let line = buffered[buffered.startIndex..<newline]
                buffered = Data(buffered[(newline + 1)...])
                return String(decoding: line, as: UTF8.self)
            }
            let chunk = stdoutPipe.fileHandleForReading.availableData
            if chunk.isEmpty {
                guard !buffered.isEmpty else { return nil }
                defer { buffered = Data() }
                return String(decoding: buffered, as: UTF8.self)
            }
            buffered.append(chunk)
        }
    }

    /// Waits (at most 30 s) for the listener to exit; returns its status and output.
    func finish() -> HandshakeRun {
        // Wait first, read after: the listener's report is far smaller than a pipe buffer.
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < deadline { usleep(2_000) }
        if process.isRunning {
            Issue.record("the listener did not exit within 30 s")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        var rest = buffered
        rest.append(stdoutPipe.fileHandleForReading.readDataToEndOfFile())
        return HandshakeRun(status: process.terminationStatus, stdout: String(decoding: rest, as: UTF8.self),
                            stderr: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
    }
}

/// Finds `needles` in `text` in this order; returns the first one missing or out of order.
func firstOutOfOrder(_ needles: [String], in text: String) -> String? {
    var rest = text[...]
    for needle in needles {
        guard let range = rest.range(of: needle) else { return needle }
        rest = rest[range.upperBound...]
    }
    return nil
}
