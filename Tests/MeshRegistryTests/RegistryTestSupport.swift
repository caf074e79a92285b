import Foundation
import Wire
import HummingbirdWSClient
import Logging
import MeshProtocol
import MeshRegistry
import NIOWebSocket
import Testing

/// A registry on 127.0.0.1:0 for one test.
struct RegistryFixture {
    let server: RegistryServer
    let port: Int

    /// Starts a registry (lab mode unless `apiKeys`), with `configure` applied to its settings.
    static func start(apiKeys: APIKeyFile? = nil, secret: RegistrySecret? = nil,
                      configure: (inout RegistrySettings) -> Void = { _ in }) async throws -> RegistryFixture {
        var settings = RegistrySettings()
        settings.port = 0
        settings.apiKeys = apiKeys
        settings.secret = secret
        configure(&settings)
        var logger = Logger(label: "test.registry")
        logger.logLevel = .warning
        let server = RegistryServer(settings: settings, logger: logger)
        return RegistryFixture(server: server, port: try await server.start())
    }

    /// A lab-mode token for `name`, from `POST /api/token`.
    func labToken(_ name: String) async throws -> String {
        let reply = try await RawHTTP.request(port: port, method: "POST", path: "/api/token", headers: [("x-peer-name", name)])
        try #require(reply.status == 200, "token for \(name): \(reply.status) \(reply.body)")
        return try #require(try JSONValue.parse(reply.body)["token"]?.stringValue)
    }

    /// A WebSocket client connected with `token`.
    func connect(token: String) -> TestPeer {
        TestPeer(url: "ws://127.0.0.1:\(port)/ws?token=\(token)")
    }

    /// A lab peer: token, connection, `register`, and its `peer_list`.
    func join(_ name: String) async throws -> (TestPeer, [String]) {
        let peer = connect(token: try await labToken(name))
        peer.send(#"{"type":"register","peer_id":"\#(name)"}"#)
        let list = try await peer.next { $0.kind == .peerList }
        return (peer, try PeerListPayload(list.payload).peers)
    }

    func stop() async { await server.stop() }
}

/// A WebSocket client (HummingbirdWSClient) that records every text frame it gets.
final class TestPeer: Sendable {
    private typealias Outgoing = WebSocketTestConnection.Outgoing

    /// What the connection's task records, shared with it.
    private final class Record: Sendable {
        let inbox = Locked<[String]>([])
        let ended = Locked<Result<WebSocketCloseFrame?, any Error>?>(nil)
    }

    private let record = Record()
    private let outgoing: AsyncStream<Outgoing>.Continuation
    private let task: Task<Void, Never>

    init(url: String) {
        let (stream, continuation) = AsyncStream.makeStream(of: Outgoing.self)
        outgoing = continuation
        let record = self.record
        let logger = {
            var logger = Logger(label: "test.peer")
            logger.logLevel = .warning
            return logger
        }()
        task = Task {
            let result = await WebSocketTestConnection.run(url: url, logger: logger, maxMessageSize: 1 << 22,
                                                           outgoing: stream) { message in
                if case let .text(text) = message { record.inbox.withLock { $0.append(text) } }
            }
            record.ended.withLock { $0 = result }
        }
    }

    deinit {
        outgoing.finish()
        task.cancel()
    }

    /// Queues a text frame.
    func send(_ text: String) { outgoing.yield(.text(text)) }

    /// Closes the connection (1000).
    func close() { outgoing.yield(.close) }

    /// Every text frame received and not yet taken.
    var pending: [String] { record.inbox.withLock { $0 } }

    /// Takes the first received frame that `matches`, waiting up to `timeout` for it.
    func next(timeout: Duration = .seconds(20), where matches: (SignalingMessage) -> Bool) async throws -> SignalingMessage {
        let deadline = ContinuousClock.now + timeout
        while true {
            let found = record.inbox.withLock { frames -> SignalingMessage? in
                for (index, text) in frames.enumerated() {
                    if let frame = try? SignalingMessage.parse(text), matches(frame) {
                        frames.remove(at: index)
                        return frame
                    }
                }
                return nil
            }
            if let found { return found }
            if ContinuousClock.now > deadline {
                throw RawHTTP.Failure(description: "no matching frame within \(timeout); got \(pending)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Takes the first received frame's raw text that `matches`.
    func nextText(timeout: Duration = .seconds(20), where matches: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let found = record.inbox.withLock { frames -> String? in
                guard let index = frames.firstIndex(where: matches) else { return nil }
                return frames.remove(at: index)
            }
            if let found { return found }
            if ContinuousClock.now > deadline {
                throw RawHTTP.Failure(description: "no matching frame within \(timeout); got \(pending)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits up to `timeout` for the connection to end; returns the registry's close frame.
    func closed(timeout: Duration = .seconds(20)) async throws -> WebSocketCloseFrame? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let result = record.ended.withLock({ $0 }) { return try result.get() }
            if ContinuousClock.now > deadline { throw RawHTTP.Failure(description: "the connection did not end within \(timeout)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Whether the connection has ended.
    var isClosed: Bool { record.ended.withLock { $0 != nil } }
}
