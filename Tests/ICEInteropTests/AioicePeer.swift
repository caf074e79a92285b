import Foundation
import ICE
import SocketDriver
import Testing
import Wire

/// A peer program (aioice in .venv, coturn, tshark) is missing: the test fails, never skips.
struct PeerUnavailable: Error, CustomStringConvertible {
    let description: String
}

/// scripts/interop/aioice_peer.py running in the repository's .venv, spoken to
/// with JSON lines: its stdout is read from the test's event loop
/// (`EventLoop.watchReadable`), so our agent and the peer's messages are
/// handled on one thread without blocking reads.
final class AioicePeer {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let process = Process()
    private let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()
    private let stderrFile: URL
    private var buffered = Data()
    /// True once its stdout reached end of file (it exited or crashed).
    private(set) var outputEnded = false

    /// Starts the peer with `arguments` (`--role` etc.); `--timeout` bounds its own life.
    init(_ arguments: [String]) throws {
        let python = Self.repositoryRoot.appendingPathComponent(".venv/bin/python").path
        let script = Self.repositoryRoot.appendingPathComponent("scripts/interop/aioice_peer.py").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw PeerUnavailable(description: "\(python) is missing: run scripts/setup.sh (it calls scripts/setup-python.sh to install aioice)")
        }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["-c", "import aioice"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        guard check.terminationStatus == 0 else {
            throw PeerUnavailable(description: "aioice does not import in .venv: run scripts/setup.sh (scripts/setup-python.sh)")
        }
        stderrFile = FileManager.default.temporaryDirectory.appendingPathComponent("aioice-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: stderrFile)
    }

    /// The descriptor the event loop watches.
    var outputDescriptor: Int32 { stdoutPipe.fileHandleForReading.fileDescriptor }

    /// Reads what is available (call when the descriptor is readable) and returns the complete JSON lines.
    func readMessages() -> [[String: Any]] {
        let chunk = stdoutPipe.fileHandleForReading.availableData
        if chunk.isEmpty { outputEnded = true }
        buffered.append(chunk)
        var messages: [[String: Any]] = []
        while let newline = buffered.firstIndex(of: 0x0A) {
            let line = Data(buffered[buffered.startIndex..<newline])
            buffered = Data(buffered[(newline + 1)...])
            if let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] {
                messages.append(object)
            } else {
                Issue.record("aioice peer printed a line that is not JSON: \(String(decoding: line, as: UTF8.self))")
            }
        }
        return messages
    }

    /// Writes one JSON line to its stdin.
    func send(_ message: [String: Any]) throws {
        var line = try JSONSerialization.data(withJSONObject: message)
        line.append(0x0A)
        try stdinPipe.fileHandleForWriting.write(contentsOf: line)
    }

    /// Closes its stdin (it closes the connection on that), waits up to 2 s, then
    /// SIGKILL: a hung peer never hangs the test. Returns its stderr (aioice's logs, tracebacks).
    @discardableResult
    func stop() -> String {
        try? stdinPipe.fileHandleForWriting.close()
        let deadline = SystemClock.now() + .seconds(2)
        while process.isRunning && SystemClock.now() < deadline { usleep(5_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
    }

    /// The rest of stdout after `stop()`.
    func remainingMessages() -> [[String: Any]] {
        var messages: [[String: Any]] = []
        while !outputEnded { messages += readMessages() }
        return messages
    }

    /// Our candidate in the peer's JSON shape.
    static func json(_ candidate: ICECandidate) -> [String: Any] {
        ["foundation": candidate.foundation, "component": candidate.componentID, "priority": Int(candidate.priority),
         "ip": candidate.address.ip.description, "port": Int(candidate.address.port), "type": candidate.type.rawValue]
    }

    /// A candidate the peer signaled; anything not on loopback is refused (network rule).
    static func candidate(_ json: [String: Any]) throws -> ICECandidate {
        guard let ip = (json["ip"] as? String).flatMap(IPAddress.init), let port = json["port"] as? Int,
              let type = json["type"] as? String, let priority = json["priority"] as? Int,
              let foundation = json["foundation"] as? String, let component = json["component"] as? Int,
              let port16 = UInt16(exactly: port), let priority32 = UInt32(exactly: priority)
        else { throw PeerUnavailable(description: "aioice signaled an unreadable candidate: \(json)") }
        guard ip.isLoopback else { throw PeerUnavailable(description: "aioice signaled a non-loopback candidate: \(json)") }
        return ICECandidate(type: ICECandidateType(rawValue: type), address: TransportAddress(ip, port16),
                            componentID: component, foundation: foundation, priority: priority32)
    }
}
