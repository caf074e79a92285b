// The processes of a mesh, for the sidecar's tests: `datachannel-chat serve` (the
// registry), `datachannel-chat sidecar` (one per agent), and an agent speaking JSON
// lines over the sidecar's Unix socket, as any agent in any language does.
import Foundation
import ProcessProbe
import MeshProtocol
import Testing
import ToolTestSupport

/// `datachannel-chat serve` on loopback: lab mode without a key file, keys mode with one.
final class RegistryProcess {
    let program: BackgroundProgram
    /// `127.0.0.1:PORT`.
    let address: String

    /// Starts a registry on `listen` (port 0: the kernel picks) with `secret`; with `keys`
    /// (API key → peer id) it writes a key file and runs in keys mode.
    init(listen: String = "127.0.0.1:0", secret: String = RegistryProcess.testSecret, keys: [String: String]? = nil) throws {
        var environment = ["SIGNALING_SECRET=\(secret)"]
        if let keys {
            let entries = keys.map { key, peer in "\"\(key)\":{\"peer_id\":\"\(peer)\",\"role\":\"agent\"}" }
            let file = try Programs.temporaryFile("{\"keys\":{\(entries.joined(separator: ","))}}", prefix: "mesh-keys", suffix: ".json")
            environment.append("API_KEYS_FILE=\(file)")
        }
        program = try BackgroundProgram("/usr/bin/env", environment + [try Programs.product("datachannel-chat"), "serve", "--listen", listen],
                                        input: false)
        var announced: String?
        while announced == nil, let line = program.readLine() {
            announced = (try? JSONValue.parse(line))?["listening"]?.stringValue
        }
        guard let announced else {
            throw MissingExecutable("datachannel-chat serve did not announce its address; log:\n\(program.stop())")
        }
        address = announced
    }

    /// A fixed 32-byte secret, so a restarted registry accepts the same tokens' signatures.
    static let testSecret = "sidecar-tests-secret-0123456789abcdef"

    var tokenURL: String { "http://\(address)/api/token" }
    var signalingURL: String { "ws://\(address)/ws" }

    /// SIGKILL: the registry vanishes as in a crash.
    func kill() {
        Foundation.kill(program.process.processIdentifier, SIGKILL)
        program.process.waitUntilExit()
    }
}

/// One `datachannel-chat sidecar`, started with chatixia's environment variables.
final class SidecarProcess {
    let program: BackgroundProgram
    let socketPath: String
    let peerID: String

    /// Joins `registry` by name (lab mode) or with `apiKey` (keys mode), as `TOKEN_URL`,
    /// `SIGNALING_URL` and `API_KEY` say; waits for its ready line.
    init(registry: RegistryProcess, name: String? = nil, apiKey: String? = nil, socketPath: String? = nil) throws {
        var environment = ["TOKEN_URL=\(registry.tokenURL)", "SIGNALING_URL=\(registry.signalingURL)"]
        if let apiKey { environment.append("API_KEY=\(apiKey)") }
        if let socketPath { environment.append("IPC_SOCKET=\(socketPath)") }
        var arguments = environment + [try Programs.product("datachannel-chat"), "sidecar"]
        if let name { arguments += ["--name", name] }
        program = try BackgroundProgram("/usr/bin/env", arguments, input: false)
        guard let line = program.readLine(), let value = try? JSONValue.parse(line),
              let path = value["ipc_socket"]?.stringValue, let peer = value["peer_id"]?.stringValue else {
            throw MissingExecutable("datachannel-chat sidecar did not print its ready line; log:\n\(program.stop())")
        }
        self.socketPath = path
        peerID = peer
    }

    var pid: Int32 { program.process.processIdentifier }

    /// Resident memory in KiB (`VmRSS` of /proc/PID/status).
    func residentKiB() throws -> Int {
        let resident = ProcessProbe.residentKiB(pid: pid)
        try #require(resident >= 0, "no VmRSS for sidecar \(pid)")
        return resident
    }

    /// Waits up to `timeout` for it to exit; its status (128+N for signal N), nil if still running.
    func waitForExit(timeout: Duration = .seconds(15)) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while program.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        guard !program.isRunning else { return nil }
        let reason = program.process.terminationReason
        return (reason == .uncaughtSignal ? 128 : 0) + program.process.terminationStatus
    }
}

/// An agent on a sidecar's socket: blocking writes, reads with a deadline.
final class AgentConnection {
    let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Events read while waiting for another.
    private(set) var skipped: [IPCEvent] = []

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw MissingExecutable("socket(AF_UNIX) failed: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() where index < raw.count - 1 { raw[index] = byte }
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard status == 0 else {
            let code = errno
            Foundation.close(descriptor)
            throw MissingExecutable("cannot connect to the sidecar at \(path): errno \(code)")
        }
    }

    deinit { Foundation.close(descriptor) }

    /// Sends one command line.
    func send(_ command: IPCCommand) { write(command.jsonText + "\n") }

    /// Writes raw text.
    func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Closes the connection: the sidecar sees its agent leave.
    func close() { shutdown(descriptor, Int32(SHUT_RDWR)) }

    /// The next line; nil at end of input or after `timeout`.
    func readLine(timeout: Duration) -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeFirst(newline + 1)
                return line
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return nil }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let millis = Int32(clamping: min(500, max(1, left.components.seconds * 1000 + 1)))
            guard poll(&poller, 1, millis) >= 0 else { return nil }
            if poller.revents == 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { return nil }
            buffer += chunk[..<count]
        }
    }

    /// The next event; fails the test on end of input or timeout.
    func next(timeout: Duration = .seconds(20)) throws -> IPCEvent {
        let line = try #require(readLine(timeout: timeout), "no event from the sidecar within \(timeout)")
        return try IPCEvent.parse(line, maxBytes: 1 << 20)
    }

    /// Reads until an event matches (the others are kept in `skipped`). With `orSkipped`, a
    /// matching event skipped earlier counts too (taken out of `skipped`): two peers'
    /// messages may arrive in either order. Without it, only events still to come count,
    /// which is what the answer to a command just sent must be.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(20), orSkipped: Bool = false,
                 _ matches: (IPCEvent) -> Bool) throws -> IPCEvent {
        if orSkipped, let index = skipped.firstIndex(where: matches) { return skipped.remove(at: index) }
        let deadline = ContinuousClock.now + timeout
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero, let line = readLine(timeout: left) else {
                throw MissingExecutable("no \(what) within \(timeout); saw \(skipped.suffix(10))")
            }
            let event = try IPCEvent.parse(line, maxBytes: 1 << 20)
            if matches(event) { return event }
            skipped.append(event)
        }
    }

    /// Waits until `peers` all reported `peer_connected`.
    func waitForPeers(_ peers: Set<String>, timeout: Duration = .seconds(30)) throws {
        var missing = peers.subtracting(skipped.compactMap { if case let .peerConnected(id) = $0 { id } else { nil } })
        while !missing.isEmpty {
            let event = try waitFor("peer_connected for \(missing.sorted())", timeout: timeout) {
                if case let .peerConnected(id) = $0 { missing.contains(id) } else { false }
            }
            if case let .peerConnected(id) = event { missing.remove(id) }
        }
    }

    /// A message from `peer` of `type`.
    func waitForMessage(from peer: String, type: String, timeout: Duration = .seconds(20)) throws -> JSONValue {
        let event = try waitFor("a '\(type)' message from \(peer)", timeout: timeout, orSkipped: true) {
            if case let .message(from, message) = $0 { from == peer && message["type"]?.stringValue == type } else { false }
        }
        guard case let .message(_, message) = event else { throw MissingExecutable("unreachable") }
        return message
    }
}

/// Seconds with millisecond precision, for the printed timings.
func seconds(_ duration: Duration) -> String {
    let millis = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    return String(format: "%.3f s", Double(millis) / 1000)
}
