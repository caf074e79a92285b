import Foundation
import Testing
import Wire
import SocketDriver

/// A peer program or one of our executables is missing: the test fails (never skips).
struct MissingProgram: Error, CustomStringConvertible {
    let description: String
}

/// What a finished program did.
struct ProgramResult {
    let status: Int32
    let stdout: String
    let stderr: String
    /// Wall time from launch to exit.
    let elapsed: Duration
}

enum Programs {
    /// Our built executables live next to the test bundle (any --scratch-path):
    /// `<scratch>/<triple>/debug/webrtc-labPackageTests.xctest` and `.../debug/stun-probe`.
    static func product(_ name: String) throws -> String {
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        for directory in candidates {
            let path = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw MissingProgram(description: "\(name) was not built next to the test bundle (looked in "
            + candidates.map(\.path).joined(separator: ", ") + "): run `swift build` before `swift test`")
    }

    /// A system peer (turnserver, stun, tshark). Missing means set-up was not run: fail loudly.
    static func system(_ name: String) throws -> String {
        let path = ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin", "/usr/local/sbin"]
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            throw MissingProgram(description: "\(name) is not installed: run scripts/setup.sh "
                + "(it installs coturn, stun-client and tshark)")
        }
        return path
    }

    /// Runs a program to completion (killing it after `timeout`), capturing both outputs.
    static func run(_ path: String, _ arguments: [String], timeout: Duration = .seconds(60)) throws -> ProgramResult {
        try RunningProgram(path, arguments).wait(timeout: timeout)
    }

    /// A UDP port on 127.0.0.1 that was free a moment ago (bind port 0, read it, close).
    static func freeUDPPort() throws -> UInt16 {
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        defer { socket.close() }
        return socket.localAddress.port
    }
}

/// A program started with its outputs going to files, so it can never block on a full pipe.
final class RunningProgram {
    let process = Process()
    let description: String
    private let directory: URL
    private let start = SystemClock.now()

    init(_ path: String, _ arguments: [String]) throws {
        description = ([path] + arguments).joined(separator: " ")
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("probe-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in ["stdout", "stderr"] {
            _ = FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: nil)
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: directory.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: directory.appendingPathComponent("stderr"))
        try process.run()
    }

    deinit {
        stopProcess(process)
        try? FileManager.default.removeItem(at: directory)
    }

    var isRunning: Bool { process.isRunning }

    /// Waits for the exit (terminating the program after `timeout`) and collects what it printed.
    func wait(timeout: Duration = .seconds(60)) throws -> ProgramResult {
        while process.isRunning {
            if SystemClock.now() - start > timeout {
                stopProcess(process)
                Issue.record("\(description) did not finish within \(timeout)")
                break
            }
            usleep(2_000)
        }
        process.waitUntilExit()
        let elapsed = SystemClock.now() - start
        return ProgramResult(status: process.terminationStatus,
                             stdout: String(decoding: try Data(contentsOf: directory.appendingPathComponent("stdout")), as: UTF8.self),
                             stderr: String(decoding: try Data(contentsOf: directory.appendingPathComponent("stderr")), as: UTF8.self),
                             elapsed: elapsed)
    }
}

/// A program running in the background (a server), stopped by `stop()` or when dropped.
final class BackgroundProgram {
    let process = Process()
    private let stdoutPipe = Pipe()
    private let stdinPipe = Pipe()
    private var buffered = Data()
    let outputFile: URL

    /// Starts `path`; stdout goes to a pipe read with `readLine`, stderr is merged into `outputFile`.
    init(_ path: String, _ arguments: [String], stdoutToFile: Bool = false) throws {
        outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("probe-bg-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = stdinPipe
        process.standardOutput = stdoutToFile ? try FileHandle(forWritingTo: outputFile) : stdoutPipe
        process.standardError = try FileHandle(forWritingTo: outputFile)
        try process.run()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: outputFile)
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

    /// Closes its stdin without killing it (our servers stop on that).
    func closeInput() {
        try? stdinPipe.fileHandleForWriting.close()
    }

    /// Closes its stdin (our servers stop on that) and terminates it; returns everything it printed.
    @discardableResult
    func stop() -> String {
        try? stdinPipe.fileHandleForWriting.close()
        stopProcess(process)
        return (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    }

    /// Everything on stdout after what `readLine` consumed (after `stop()`).
    func remainingOutput() -> String {
        var rest = buffered
        rest.append(stdoutPipe.fileHandleForReading.readDataToEndOfFile())
        buffered = Data()
        return String(decoding: rest, as: UTF8.self)
    }
}

/// SIGTERM, a grace period, then SIGKILL. Children inherit the test runner's
/// blocked-signal mask (Foundation's Process does not reset it), so a program
/// such as turnserver may never see the SIGTERM.
func stopProcess(_ process: Process) {
    guard process.isRunning else { return }
    process.terminate()
    let deadline = SystemClock.now() + .seconds(2)
    while process.isRunning && SystemClock.now() < deadline { usleep(5_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
}
