import Foundation
import MeshProtocol

/// The signaling session: token, WebSocket, register, `peer_list`; and the
/// supervisor that notices a dropped connection and reconnects with a fresh
/// token (a new `POST /api/token` every attempt: the old one may have expired,
/// and the registry may have restarted with a new secret).
extension MeshAgentEngine {
    /// Starts the loop and the first session; returns once `peer_list` arrived.
    func start() async throws(MeshAgentError) {
        guard !started else { throw MeshAgentError(code: "already_started", description: "start() was already called") }
        guard !shared.stopped else { throw MeshAgentError.stopped }
        started = true
        let first: any SignalingConnection
        do {
            first = try await openSession(restoring: false)
        } catch {
            // Not started: a caller may fix the registry and call start() again.
            started = false
            throw error
        }
        supervisor = Task { await self.supervise(from: first) }
    }

    /// Token, WebSocket, register, and the wait for `peer_list`.
    func openSession(restoring: Bool) async throws(MeshAgentError) -> any SignalingConnection {
        let timeout = configuration.signalingTimeout
        shared.updateTimeline { $0.agent = MeshTimeline.AgentSteps() }
        let requested = ContinuousClock.now
        shared.updateTimeline { $0.agent.tokenRequested = requested }
        let token = try await MeshTokenClient.fetch(configuration, timeout: timeout)
        let received = ContinuousClock.now
        shared.updateTimeline { $0.agent.tokenReceived = received }
        if let current = shared.peerID, current != token.peerID {
            throw MeshAgentError(code: "token_failed",
                                 description: "the registry now calls us '\(token.peerID)', not '\(current)'")
        }
        shared.peerID = token.peerID

        session += 1
        let id = session
        if restoring { restoringSessions.insert(id) }
        let url = Self.signalingURL(configuration.signalingURL, token: token.token)
        let opened = try await transport.open(url: url, timeout: timeout) { [weak self] text in
            guard let self else { return }
            await withCheckedContinuation { done in self.submit(.frame(text, session: id, done: done)) }
        }
        guard id == session, !shared.stopped else {
            await opened.close()
            throw MeshAgentError.stopped
        }
        let open = ContinuousClock.now
        shared.updateTimeline { $0.agent.webSocketOpen = open }
        connection = opened

        let registered = await withCheckedContinuation { (waiter: CheckedContinuation<Bool, Never>) in
            registrationWaiters[id] = waiter
            Task {
                let sent = await self.sendFrame(.register, to: nil, payload: .object([:]))
                let at = ContinuousClock.now
                self.shared.updateTimeline { $0.agent.registerSent = $0.agent.registerSent ?? at }
                if !sent { self.registrationFailed(id) }
            }
            Task {
                try? await Task.sleep(for: timeout)
                self.registrationFailed(id)
            }
        }
        guard registered else {
            restoringSessions.remove(id)
            if id == session { connection = nil }
            await opened.close()
            throw MeshAgentError(code: "signaling_failed",
                                 description: "registered at \(WebSocketSignalingConnection.redacted(url)) but no peer_list came within \(timeout)")
        }
        return opened
    }

    /// Stops reconnecting and closes the signaling connection (after the loop closed the peers).
    func stopSession() async {
        supervisor?.cancel()
        supervisor = nil
        let connection = self.connection
        self.connection = nil
        await connection?.close()
    }

    /// Drops the signaling connection and never reconnects, leaving the
    /// PeerConnections up: what the others see of a killed agent (tests).
    func abandonSignaling() async {
        supervisor?.cancel()
        supervisor = nil
        session += 1  // frames still in flight belong to no session now
        let connection = self.connection
        self.connection = nil
        await connection?.close()
    }

    /// Ends the wait for `peer_list` of session `id` unsuccessfully (if still waiting).
    func registrationFailed(_ id: Int) {
        registrationWaiters.removeValue(forKey: id)?.resume(returning: false)
    }

    /// Watches the connection; when it ends, reports the loss and reconnects with
    /// backoff until it works or the agent stops.
    func supervise(from first: any SignalingConnection) async {
        var current = first
        while !Task.isCancelled, !shared.stopped {
            let reason = await current.ended()
            guard !Task.isCancelled, !shared.stopped else { return }
            // Frames of the old connection still queued are ignored (their session is over).
            session += 1
            connection = nil
            shared.emit(.signalingLost(reason: reason))
            let backoff = MeshBackoff(range: configuration.reconnectBackoff)
            var failures = 0
            while true {
                try? await Task.sleep(for: backoff.delay(afterFailures: failures, jitter: jitter()))
                guard !Task.isCancelled, !shared.stopped else { return }
                do {
                    current = try await openSession(restoring: true)
                    break
                } catch {
                    failures += 1
                    shared.emit(.error(code: "reconnect_failed", message: "reconnect attempt \(failures): \(error.description)"))
                }
            }
        }
    }

    /// `SIGNALING_URL?token=JWT`, the token percent-encoded (a JWT is URL-safe
    /// base64 and dots, but a hand-made token might not be).
    static func signalingURL(_ base: String, token: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = token.addingPercentEncoding(withAllowedCharacters: allowed) ?? token
        return base + (base.contains("?") ? "&" : "?") + "token=" + encoded
    }
}
