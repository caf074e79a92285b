import HummingbirdWSClient
import Wire
import Logging
import MeshProtocol
import NIOCore

/// One open signaling connection: text frames out, and a way to learn that it ended.
protocol SignalingConnection: Sendable {
    /// Sends one text frame.
    func send(_ text: String) async throws
    /// Waits until the connection has ended, and returns why.
    func ended() async -> String
    /// Closes the connection (idempotent).
    func close() async
}

/// Opens signaling connections. The agent's core talks only to this, so it does
/// not care whether frames travel over a WebSocket (`WebSocketSignalingTransport`)
/// or through memory.
protocol SignalingTransport: Sendable {
    /// Opens a connection to `url`; every text frame that arrives is handed to
    /// `onFrame` in order, and the next is read only once it returned (the
    /// back-pressure that keeps a flooding server from growing our memory).
    func open(url: String, timeout: Duration,
              onFrame: @escaping @Sendable (String) async -> Void) async throws(MeshAgentError) -> any SignalingConnection
}

/// Signaling over a WebSocket (hummingbird-websocket's client).
struct WebSocketSignalingTransport: SignalingTransport {
    /// The largest frame read (the registry's own limit is the same order).
    var maxFrameBytes = SignalingMessage.defaultMaxBytes
    var logger = Logger(label: "mesh.agent.signaling")

    func open(url: String, timeout: Duration,
              onFrame: @escaping @Sendable (String) async -> Void) async throws(MeshAgentError) -> any SignalingConnection {
        let connection = WebSocketSignalingConnection()
        var configuration = WebSocketClientConfiguration(maxFrameSize: maxFrameBytes)
        // Our side pings too, so a registry that vanished without closing the
        // TCP connection is noticed and we reconnect.
        configuration.autoPing = .enabled(timePeriod: .seconds(20))
        let logger = self.logger
        let maxFrameBytes = self.maxFrameBytes
        let task = Task {
            do {
                let closeFrame = try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) {
                    inbound, outbound, _ in
                    guard connection.opened(outbound) else { return }
                    for try await message in inbound.messages(maxSize: maxFrameBytes) {
                        // Binary frames are not part of the protocol: dropped.
                        if case let .text(text) = message { await onFrame(text) }
                    }
                }
                let reason = closeFrame.map { "the registry closed the connection (\($0.closeCode)\($0.reason.map { ": " + $0 } ?? ""))" }
                connection.finish(reason ?? "the registry closed the connection")
            } catch {
                connection.finish(Self.describe(error))
            }
        }
        connection.setTask(task)
        return try await connection.waitUntilOpen(url: url, timeout: timeout)
    }

    /// A short reason for a failed connection.
    static func describe(_ error: any Error) -> String {
        if let error = error as? WebSocketClientError, error == .webSocketUpgradeFailed {
            return "the WebSocket upgrade was refused (401: the token is missing, forged or expired)"
        }
        return MeshTokenClient.describe(error)
    }
}

/// The WebSocket connection's state, shared by the task that runs the client and
/// the agent that sends on it.
final class WebSocketSignalingConnection: SignalingConnection {
    private struct State {
        var writer: WebSocketOutboundWriter?
        var endReason: String?
        var openWaiter: CheckedContinuation<Bool, Never>?
        var endWaiters: [CheckedContinuation<String, Never>] = []
        var task: Task<Void, Never>?
        var closing = false
    }

    private let state = Locked(State())

    /// The upgrade completed: keep the writer; false when we were closed meanwhile.
    func opened(_ writer: WebSocketOutboundWriter) -> Bool {
        let (waiter, keep) = state.withLock { state -> (CheckedContinuation<Bool, Never>?, Bool) in
            guard !state.closing, state.endReason == nil else { return (nil, false) }
            state.writer = writer
            defer { state.openWaiter = nil }
            return (state.openWaiter, true)
        }
        waiter?.resume(returning: true)
        return keep
    }

    /// The client returned or threw: wake everyone waiting.
    func finish(_ reason: String) {
        let (openWaiter, endWaiters, reason) = state.withLock { state in
            if state.endReason == nil { state.endReason = reason }
            state.writer = nil
            defer { state.openWaiter = nil; state.endWaiters = [] }
            return (state.openWaiter, state.endWaiters, state.endReason ?? reason)
        }
        openWaiter?.resume(returning: false)
        for waiter in endWaiters { waiter.resume(returning: reason) }
    }

    func setTask(_ task: Task<Void, Never>) { state.withLock { $0.task = task } }

    /// Waits for the upgrade (or the failure), at most `timeout`.
    func waitUntilOpen(url: String, timeout: Duration) async throws(MeshAgentError) -> WebSocketSignalingConnection {
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            self?.finish("no WebSocket upgrade within \(timeout)")
            await self?.close()
        }
        defer { timer.cancel() }
        let open = await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool? in
                if state.writer != nil { return true }
                if state.endReason != nil { return false }
                state.openWaiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        guard open else {
            let reason = state.withLock { $0.endReason } ?? "the connection failed"
            if reason.contains("401") {
                throw .unauthorized("GET \(Self.redacted(url)): \(reason)")
            }
            throw .registryUnreachable(Self.redacted(url), reason)
        }
        return self
    }

    func send(_ text: String) async throws {
        guard let writer = state.withLock({ $0.writer }) else {
            throw MeshAgentError(code: "signaling_lost", description: "the signaling connection is closed")
        }
        try await writer.write(.text(text))
    }

    func ended() async -> String {
        await withCheckedContinuation { continuation in
            let reason = state.withLock { state -> String? in
                if let reason = state.endReason { return reason }
                state.endWaiters.append(continuation)
                return nil
            }
            if let reason { continuation.resume(returning: reason) }
        }
    }

    func close() async {
        let (writer, task) = state.withLock { state in
            state.closing = true
            return (state.writer, state.task)
        }
        try? await writer?.close(.normalClosure, reason: "agent stopping")
        // The close handshake ends the client's run; cancelling covers a server that never answers it.
        task?.cancel()
        finish("closed by the agent")
    }

    /// The URL without its query: the query carries the token, which is a secret.
    static func redacted(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    }
}
