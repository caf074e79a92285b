import Foundation
import Wire
import MeshAgent
import MeshProtocol
import Testing

/// A blocking Unix-socket client: what an agent in any language does (connect, write lines, read lines).
final class IPCTestAgent {
    let descriptor: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw IPCServerError("socket: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard status == 0 else {
            let code = errno
            Foundation.close(descriptor)
            throw IPCServerError("connect \(path): errno \(code)")
        }
    }

    deinit { Foundation.close(descriptor) }

    /// Writes raw bytes (all of them).
    func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Half-closes our side: the sidecar sees end of input.
    func shutdownWrite() { shutdown(descriptor, Int32(SHUT_WR)) }

    /// The next line, or nil on end of input or after `timeout` without one. Polls without
    /// blocking and sleeps between polls: the server under test runs its tasks on the same
    /// cooperative threads as this test, so a blocking read here could starve it.
    func readLine(timeout: Duration = .seconds(20)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeFirst(newline + 1)
                return line
            }
            guard ContinuousClock.now < deadline else { return nil }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 0) >= 0 else { return nil }
            if poller.revents == 0 {
                try? await Task.sleep(for: .milliseconds(5))
                continue
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { return nil }
            buffer += chunk[..<count]
        }
    }

    /// The next event, parsed.
    func readEvent(timeout: Duration = .seconds(20)) async throws -> IPCEvent {
        let line = try #require(await readLine(timeout: timeout), "no event within \(timeout)")
        return try IPCEvent.parse(line, maxBytes: 1 << 20)
    }
}

/// Commands the handler saw, for assertions.
final class CommandLog: Sendable {
    private let commands = Locked<[IPCCommand]>([])
    func append(_ command: IPCCommand) { commands.withLock { $0.append(command) } }
    var all: [IPCCommand] { commands.withLock { $0 } }
}

@Suite("IPC server over a Unix socket")
struct IPCServerTests {
    /// A handler like the sidecar's: list_peers answers, send to "ghost" is an unknown peer.
    static func handler(_ log: CommandLog) -> IPCServer.CommandHandler {
        { command in
            log.append(command)
            switch command {
            case .listPeers: return [.peerList(peers: ["bob", "carol"])]
            case .send(targetPeer: "ghost", _): return [.error(code: "unknown_peer", message: "no peer 'ghost'")]
            default: return []
            }
        }
    }

    @Test("commands reach the handler, answers and errors come back, and the connection survives bad lines")
    func commandsAndErrors() async throws {
        let server = try await IPCServer.bind(configuration: .init(maxLineBytes: 4096))
        let log = CommandLog()
        let serving = Task { try await server.serve(Self.handler(log)) }
        let agent = try IPCTestAgent(path: server.path)

        agent.write("{\"type\":\"list_peers\",\"payload\":{}}\r\n")
        #expect(try await agent.readEvent() == .peerList(peers: ["bob", "carol"]))

        agent.write("not json\n")
        guard case let .error(code, _) = try await agent.readEvent() else { Issue.record("expected an error event"); return }
        #expect(code == "bad_command")

        agent.write("{\"type\":\"launch_missiles\",\"payload\":{}}\n")
        guard case let .error(code2, message2) = try await agent.readEvent() else { Issue.record("expected an error event"); return }
        #expect(code2 == "bad_command")
        #expect(message2.contains("launch_missiles"))

        agent.write(String(repeating: "y", count: 100_000) + "\n")
        guard case let .error(code3, _) = try await agent.readEvent() else { Issue.record("expected an error event"); return }
        #expect(code3 == "too_large")

        // Split across writes, with blank lines around it.
        agent.write("\n\n{\"type\":\"send\",\"payload\":{\"target_peer\":\"gh")
        try await Task.sleep(for: .milliseconds(20))
        agent.write("ost\",\"message\":{\"type\":\"ping\"}}}\n")
        #expect(try await agent.readEvent() == .error(code: "unknown_peer", message: "no peer 'ghost'"))

        agent.write("{\"type\":\"connect\",\"payload\":{\"peer_id\":\"carol\"}}\n{\"type\":\"list_peers\"}\n")
        #expect(try await agent.readEvent() == .peerList(peers: ["bob", "carol"]))
        #expect(log.all == [.listPeers, .send(targetPeer: "ghost", message: MeshMessage(type: "ping", payload: .null)),
                            .connect(peerID: "carol"), .listPeers])

        agent.shutdownWrite()
        try await serving.value
        await server.close()
        #expect(!FileManager.default.fileExists(atPath: server.path))
    }

    @Test("events delivered before the agent connects wait for it; the agent leaving ends serve")
    func queuedBeforeConnect() async throws {
        let server = try await IPCServer.bind()
        server.deliver(.peerConnected(peerID: "bob"))
        server.deliver(.message(fromPeer: "bob", message: ["type": "hello", "request_id": "", "payload": ["n": 1]]))
        let serving = Task { try await server.serve { _ in [] } }
        let agent = try IPCTestAgent(path: server.path)
        #expect(try await agent.readEvent() == .peerConnected(peerID: "bob"))
        #expect(try await agent.readEvent() == .message(fromPeer: "bob", message: ["type": "hello", "request_id": "", "payload": ["n": 1]]))
        server.deliver(.peerDisconnected(peerID: "bob"))
        #expect(try await agent.readEvent() == .peerDisconnected(peerID: "bob"))
        agent.shutdownWrite()
        try await serving.value
        await server.close()
    }

    @Test("the socket is mode 0600 in a private 0700 directory; close removes both")
    func permissions() async throws {
        let server = try await IPCServer.bind()
        let directory = try #require(server.privateDirectory)
        #expect(server.path.hasPrefix(directory + "/"))
        let socketMode = try #require(try FileManager.default.attributesOfItem(atPath: server.path)[.posixPermissions] as? Int)
        let directoryMode = try #require(try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int)
        #expect(socketMode == 0o600)
        #expect(directoryMode == 0o700)
        await server.close()
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test("a given path replaces a stale socket, is mode 0600, and a regular file there is refused")
    func givenPath() async throws {
        let directory = NSTemporaryDirectory() + "ipc-given-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/agent.sock"
        let first = try await IPCServer.bind(path: path)
        // A crashed sidecar leaves its socket file behind: the next one replaces it.
        let second = try await IPCServer.bind(path: path)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(second.privateDirectory == nil)
        await second.close()
        await first.close()

        let file = directory + "/plain"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: file))
        await #expect(throws: IPCServerError.self) { _ = try await IPCServer.bind(path: file) }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me")
    }

    @Test("one agent per sidecar: a second connection is refused once the first is served")
    func oneAgent() async throws {
        let server = try await IPCServer.bind()
        let serving = Task { try await server.serve { _ in [.peerList(peers: [])] } }
        let agent = try IPCTestAgent(path: server.path)
        agent.write("{\"type\":\"list_peers\"}\n")
        #expect(try await agent.readEvent() == .peerList(peers: []))
        #expect(throws: IPCServerError.self) { _ = try IPCTestAgent(path: server.path) }
        agent.shutdownWrite()
        try await serving.value
        await server.close()
    }

    @Test("an agent that never reads: bounded queue, drops reported once it reads, later events still arrive")
    func slowAgent() async throws {
        let limits = IPCOutboundQueue.Limits(maxLines: 200, maxBytes: 256 << 10)
        let server = try await IPCServer.bind(configuration: .init(queueLimits: limits))
        let serving = Task { try await server.serve { _ in [] } }
        let agent = try IPCTestAgent(path: server.path)
        let filler = String(repeating: "m", count: 1000)
        let total = 10_000
        for index in 0..<total {
            server.deliver(.message(fromPeer: "bob", message: ["type": "n", "payload": ["i": .int(Int64(index)), "f": .string(filler)]]))
        }
        #expect(server.droppedEvents > 0)

        // Now the agent reads everything: an increasing run of messages, then the drop report.
        var received: [Int] = []
        var reported = 0
        while received.count + reported < total {
            let event = try await agent.readEvent()
            switch event {
            case let .message(_, message):
                received.append(Int(try #require(message["payload"]?["i"]?.intValue)))
            case let .error(code, message):
                #expect(code == "dropped")
                reported += Int(message.split(separator: " ").first.flatMap { Int($0) } ?? 0)
            default:
                Issue.record("unexpected event \(event)")
            }
        }
        #expect(received == received.sorted())
        #expect(Set(received).count == received.count)
        #expect(reported == server.droppedEvents)
        #expect(received.count + reported == total)
        // The sidecar keeps serving: a new event arrives.
        server.deliver(.peerConnected(peerID: "late"))
        #expect(try await agent.readEvent() == .peerConnected(peerID: "late"))
        agent.shutdownWrite()
        try await serving.value
        await server.close()
    }
}
