import HummingbirdWSClient
import Wire
import Logging
import MeshProtocol
import NIOWebSocket

/// One client of the registry load (`RegistryLoad`): a WebSocket (HummingbirdWSClient)
/// that writes what it is given and tallies what it gets, without waiting on anything.
/// Lighter than `TestPeer`: 500 of them share the process with the registry, and each
/// gets about a thousand presence frames, so presence is counted, not parsed or kept.
final class LoadClient: Sendable {
    /// What arrived so far.
    struct Tally: Sendable {
        /// The `peer_list` answer to `register` arrived.
        var registered = false
        /// `peer_joined` and `peer_left` frames.
        var joined = 0
        var left = 0
        /// Every relayed frame, as received (the registry relays text byte for byte).
        var relayed: [String] = []
        /// Error frames and anything unexpected, as received.
        var problems: [String] = []
        /// How the connection ended: the registry's close frame, or the error; nil while open.
        var ended: Result<WebSocketCloseFrame?, any Error>?
    }

    private typealias Outgoing = WebSocketTestConnection.Outgoing

    /// The peer id its token names.
    let name: String
    /// The tally, shared with the connection's task.
    private final class Record: Sendable {
        let tally = Locked(Tally())
    }

    private let state = Record()
    private let outgoing: AsyncStream<Outgoing>.Continuation
    private let task: Task<Void, Never>

    /// Connects to `url` at once; frames given to `send` before the upgrade wait in order.
    init(name: String, url: String) {
        self.name = name
        let (stream, continuation) = AsyncStream.makeStream(of: Outgoing.self)
        outgoing = continuation
        let state = self.state
        var logger = Logger(label: "test.load-client")
        logger.logLevel = .error
        task = Task { [logger] in
            let result = await WebSocketTestConnection.run(url: url, logger: logger, maxMessageSize: 1 << 20,
                                                           outgoing: stream) { message in
                switch message {
                case let .text(text): Self.tally(text, into: state)
                case .binary: state.tally.withLock { $0.problems.append("a binary frame") }
                }
            }
            state.tally.withLock { $0.ended = result }
        }
    }

    deinit {
        outgoing.finish()
        task.cancel()
    }

    /// Sorts one frame into the tally. Presence is recognised by its type's name alone
    /// (peer ids here are `load-N`, never a type name); everything else is parsed.
    private static func tally(_ text: String, into state: Record) {
        if text.contains("\"peer_joined\"") {
            state.tally.withLock { $0.joined += 1 }
            return
        }
        if text.contains("\"peer_left\"") {
            state.tally.withLock { $0.left += 1 }
            return
        }
        let frame = try? SignalingMessage.parse(text)
        state.tally.withLock { tally in
            switch frame?.kind {
            case .peerList?: tally.registered = true
            case let kind? where kind.isRelayed: tally.relayed.append(text)
            default: tally.problems.append(text)
            }
        }
    }

    /// Queues a text frame.
    func send(_ text: String) { outgoing.yield(.text(text)) }

    /// Starts the closing handshake (1000).
    func close() { outgoing.yield(.close) }

    /// What arrived so far.
    var tally: Tally { state.tally.withLock { $0 } }
}
