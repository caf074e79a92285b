import Foundation
import ICE
import SocketDriver
import Testing
import ToolTestSupport
import Wire

/// aioice signaled something our agent cannot use: the test fails.
struct AioiceSignalingError: Error, CustomStringConvertible {
    let description: String
}

/// scripts/interop/aioice_peer.py running in the repository's .venv, spoken to
/// with JSON lines: its stdout is read from the test's event loop
/// (`EventLoop.watchReadable`), so our agent and the peer's messages are
/// handled on one thread without blocking reads.
final class AioicePeer {
    private let program: BackgroundProgram
    private var buffered = Data()
    /// True once its stdout reached end of file (it exited or crashed).
    private(set) var outputEnded = false

    /// Starts the peer with `arguments` (`--role` etc.); `--timeout` bounds its own life.
    init(_ arguments: [String]) throws {
        let python = Programs.repositoryRoot.appendingPathComponent(".venv/bin/python").path
        let script = Programs.repositoryRoot.appendingPathComponent("scripts/interop/aioice_peer.py").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw MissingExecutable("\(python) is missing: run scripts/setup.sh (it calls scripts/setup-python.sh to install aioice)")
        }
        guard try Programs.run(python, ["-c", "import aioice"]).status == 0 else {
            throw MissingExecutable("aioice does not import in .venv: run scripts/setup.sh (scripts/setup-python.sh)")
        }
        program = try BackgroundProgram(python, [script] + arguments)
    }

    /// The descriptor the event loop watches.
    var outputDescriptor: Int32 { program.outputDescriptor }

    /// Reads what is available (call when the descriptor is readable) and returns the complete JSON lines.
    func readMessages() -> [[String: Any]] {
        let chunk = program.readAvailable()
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
        try program.send(line)
    }

    /// Closes its stdin (it closes the connection on that), waits up to 2 s, then
    /// SIGKILL: a hung peer never hangs the test. Returns its stderr (aioice's logs, tracebacks).
    @discardableResult
    func stop() -> String {
        program.stop(grace: .seconds(2), terminate: false)
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
        else { throw AioiceSignalingError(description: "aioice signaled an unreadable candidate: \(json)") }
        guard ip.isLoopback else { throw AioiceSignalingError(description: "aioice signaled a non-loopback candidate: \(json)") }
        return ICECandidate(type: ICECandidateType(rawValue: type), address: TransportAddress(ip, port16),
                            componentID: component, foundation: foundation, priority: priority32)
    }
}
