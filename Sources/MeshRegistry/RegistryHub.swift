import Logging
import Wire
import MeshProtocol

/// The registry's shared state: one `RegistryCore` and one outgoing queue per
/// WebSocket connection, under one lock. A connection's reader feeds the core
/// and the resulting actions are carried out at once by putting frames in the
/// queues, so no connection ever waits on another one's socket; each queue is
/// drained by its own connection's writer.
///
/// A queue is bounded (`RegistrySettings.sendQueueLimit`): a peer that stops
/// reading is closed with 1008 instead of making the registry hold its frames
/// without limit.
final class RegistryHub: Sendable {
    /// What a connection's writer does next.
    enum Outgoing: Sendable {
        /// Write a text frame.
        case text(String)
        /// Send a close frame and stop.
        case close(code: UInt16, reason: String)
    }

    private struct State {
        var core: RegistryCore
        var queues: [RegistryConnectionID: AsyncStream<Outgoing>.Continuation] = [:]
        var nextID: UInt64 = 1
    }

    private let state: Locked<State>
    private let queueLimit: Int
    private let logger: Logger

    init(limits: RegistryLimits, queueLimit: Int, logger: Logger) {
        state = Locked(State(core: RegistryCore(limits: limits)))
        self.queueLimit = queueLimit
        self.logger = logger
    }

    /// The registered peers now, sorted.
    var registeredPeers: [String] { state.withLock { $0.core.registeredPeers } }

    /// How many connections are open.
    var connectionCount: Int { state.withLock { $0.core.openConnections.count } }

    /// What the hub holds now: the core's open connections and the outgoing queues.
    /// Both come back to 0 once every peer has left (the load test asserts it).
    package var heldSessions: RegistryHeldSessions {
        state.withLock { RegistryHeldSessions(connections: $0.core.openConnections.count, queues: $0.queues.count) }
    }

    /// A connection authenticated as `peerID` opened: its id and its outgoing queue.
    func open(peerID: String) -> (RegistryConnectionID, AsyncStream<Outgoing>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Outgoing.self, bufferingPolicy: .bufferingOldest(queueLimit))
        let id = state.withLock { state in
            let id = RegistryConnectionID(state.nextID)
            state.nextID += 1
            state.queues[id] = continuation
            let actions = state.core.connectionOpened(id, peerID: peerID, now: .now)
            perform(actions, in: &state)
            return id
        }
        logger.info("peer connected", metadata: ["peer_id": "\(peerID)", "connection": "\(id)"])
        return (id, stream)
    }

    /// A text frame arrived on `id`.
    func received(text: String, on id: RegistryConnectionID) {
        state.withLock { state in
            perform(state.core.textFrame(id, text, now: .now), in: &state)
        }
    }

    /// A binary frame arrived on `id`.
    func receivedBinary(on id: RegistryConnectionID) {
        state.withLock { state in
            perform(state.core.binaryFrame(id, now: .now), in: &state)
        }
    }

    /// Connection `id` ended, whoever ended it.
    func closed(_ id: RegistryConnectionID) {
        let peer = state.withLock { state -> String? in
            let peer = state.core.peerID(of: id)
            state.queues.removeValue(forKey: id)?.finish()
            perform(state.core.connectionClosed(id), in: &state)
            return peer
        }
        if let peer { logger.info("peer disconnected", metadata: ["peer_id": "\(peer)", "connection": "\(id)"]) }
    }

    /// Closes every connection (the registry is stopping).
    func closeAll(code: UInt16, reason: String) {
        state.withLock { state in
            for (_, queue) in state.queues {
                queue.yield(.close(code: code, reason: reason))
                queue.finish()
            }
            state.queues.removeAll()
        }
    }

    /// Carries out the core's actions; a queue that overflows closes its
    /// connection, whose departure may add presence frames for the others.
    private func perform(_ actions: [RegistryAction], in state: inout State) {
        var pending = actions[...]
        while let action = pending.popFirst() {
            switch action {
            case let .send(text, to: id):
                guard let queue = state.queues[id] else { continue }
                if case .dropped = queue.yield(.text(text)) {
                    logger.notice("closing a connection that stopped reading", metadata: [
                        "peer_id": "\(state.core.peerID(of: id) ?? "?")", "connection": "\(id)"])
                    state.queues.removeValue(forKey: id)
                    // The queue is full, so the close cannot be queued behind the
                    // frames; finishing it makes the writer close with 1008 itself.
                    queue.finish()
                    pending.append(contentsOf: state.core.connectionClosed(id))
                }
            case let .close(id, code, reason):
                guard let queue = state.queues.removeValue(forKey: id) else { continue }
                logger.info("closing connection", metadata: [
                    "connection": "\(id)", "code": "\(code)", "reason": "\(reason)"])
                queue.yield(.close(code: code, reason: reason))
                queue.finish()
            }
        }
    }
}

/// What a registry holds for its connections at one moment (`RegistryServer.heldSessions`).
package struct RegistryHeldSessions: Hashable, Sendable, CustomStringConvertible {
    /// Connections the core knows (registered or not).
    package var connections: Int
    /// Outgoing queues, one per connection the hub still writes to.
    package var queues: Int

    /// "N connections, M queues".
    package var description: String { "\(connections) connections, \(queues) queues" }
}
