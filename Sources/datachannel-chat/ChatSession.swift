import Foundation
import MeshAgent
import MeshProtocol

/// The terminal chat's state: who is connected, and the typed lines waiting for peers.
actor ChatSession {
    let agent: MeshAgent
    let me: String
    let waitPeers: Int
    let printer: ChatPrinter
    private var connected: Set<String> = []
    private var peerWaiters: [CheckedContinuation<Void, Never>] = []
    private var sequence = 0

    init(agent: MeshAgent, me: String, waitPeers: Int, printer: ChatPrinter) {
        self.agent = agent
        self.me = me
        self.waitPeers = waitPeers
        self.printer = printer
    }

    /// Prints every event until the agent stops.
    func consume(_ events: AsyncStream<MeshAgentEvent>) async {
        for await event in events {
            switch event {
            case let .peerConnected(peer):
                connected.insert(peer)
                printer.connected(peer)
                if connected.count >= waitPeers {
                    let waiters = peerWaiters
                    peerWaiters = []
                    for waiter in waiters { waiter.resume() }
                }
            case let .peerDisconnected(peer):
                connected.remove(peer)
                printer.disconnected(peer)
            case let .message(from, message, _):
                printer.message(from: from, message: message)
            case let .peerJoined(peer): printer.presence(peer, joined: true)
            case let .peerLeft(peer): printer.presence(peer, joined: false)
            case let .error(code, message): printer.error(code: code, message: message)
            case let .signalingLost(reason): printer.notice("signaling lost (\(reason)); reconnecting")
            case .signalingRestored: printer.notice("signaling restored")
            case .registered: break
            }
        }
    }

    /// Reads standard input line by line and broadcasts each line, holding lines
    /// until `waitPeers` peers are connected (at most `timeout`).
    func pumpInput(timeout: Duration) async {
        for await line in StandardInputLines.stream() {
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            if connected.count < waitPeers, !(await waitForPeers(timeout: timeout)) {
                printer.error(code: "no_peers", message: "no peer connected within \(timeout): not sent: \(text)")
                continue
            }
            sequence += 1
            let message = MeshMessage(type: "chat", requestID: "\(me)-\(sequence)", sourceAgent: me, payload: ["text": .string(text)])
            let peers = await agent.broadcast(message)
            printer.sent(text, to: peers)
        }
        // SCTP delivers what was queued only while the association lives: give the
        // last lines a moment on the wire before leaving closes the connections.
        try? await Task.sleep(for: .milliseconds(500))
    }

    /// True once enough peers are connected; false after `timeout`.
    private func waitForPeers(timeout: Duration) async -> Bool {
        let deadline = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.releaseWaiters()
        }
        await withCheckedContinuation { peerWaiters.append($0) }
        deadline.cancel()
        return connected.count >= waitPeers
    }

    private func releaseWaiters() {
        let waiters = peerWaiters
        peerWaiters = []
        for waiter in waiters { waiter.resume() }
    }
}

/// Standard input as lines, read on a thread of its own: a blocking read must not
/// hold a task executor (and on Linux FileHandle has no async byte sequence).
///
/// It reads with read(2), not stdio: a thread blocked in `readLine` holds stdin's
/// FILE lock, and `fflush(NULL)` (which printing code uses to keep stdout and
/// stderr in order) takes every FILE's lock, so it would wait for the next typed line.
enum StandardInputLines {
    /// The longest line kept; the rest of a longer line is dropped (a chat line, not a file).
    static let maxLineBytes = 64 * 1024

    static func stream() -> AsyncStream<String> {
        AsyncStream { continuation in
            let thread = Thread {
                var pending: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                var discarding = false
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                    if count < 0, errno == EINTR { continue }
                    guard count > 0 else { break }
                    for byte in buffer[0..<count] {
                        if byte == UInt8(ascii: "\n") {
                            if !discarding { continuation.yield(String(decoding: pending, as: UTF8.self)) }
                            pending.removeAll(keepingCapacity: true)
                            discarding = false
                        } else if pending.count < maxLineBytes {
                            pending.append(byte)
                        } else {
                            discarding = true
                        }
                    }
                }
                if !pending.isEmpty, !discarding { continuation.yield(String(decoding: pending, as: UTF8.self)) }
                continuation.finish()
            }
            thread.name = "stdin"
            thread.start()
        }
    }
}
