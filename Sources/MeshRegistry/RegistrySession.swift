import HummingbirdWebSocket
import Logging
import MeshProtocol
import NIOWebSocket

/// One peer's WebSocket, from the upgrade to the close: a reader that feeds every
/// frame to the hub, and a writer that drains the connection's outgoing queue.
/// Whichever ends first ends the other: the peer closing ends the reader; the
/// registry closing the connection (replaced, flood, too slow, stopping) ends the
/// writer after its close frame is out.
enum RegistrySession {
    /// Serves one upgraded connection whose request carried `token`.
    static func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, token: String?,
                    authority: TokenAuthority, hub: RegistryHub, maxMessageBytes: Int, logger: Logger) async {
        let claims: RegistryClaims
        do {
            claims = try await authority.verify(token)
        } catch {
            // The gate and shouldUpgrade checked the token a moment ago; it can
            // only have expired in between.
            logger.info("token refused after the upgrade", metadata: ["reason": "\(error)"])
            try? await outbound.close(.policyViolation, reason: "unauthorized: \(error)")
            return
        }
        let (id, queue) = hub.open(peerID: claims.sub)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await write(queue, to: outbound) }
            group.addTask { await read(inbound, id: id, hub: hub, maxMessageBytes: maxMessageBytes, logger: logger) }
            await group.next()
            group.cancelAll()
        }
        hub.closed(id)
    }

    /// Feeds every message to the hub until the peer closes (or the task is cancelled).
    private static func read(_ inbound: WebSocketInboundStream, id: RegistryConnectionID, hub: RegistryHub,
                             maxMessageBytes: Int, logger: Logger) async {
        do {
            for try await message in inbound.messages(maxSize: maxMessageBytes) {
                switch message {
                case let .text(text): hub.received(text: text, on: id)
                case .binary: hub.receivedBinary(on: id)
                }
            }
        } catch {
            logger.debug("connection read ended", metadata: ["connection": "\(id)", "error": "\(error)"])
        }
    }

    /// Writes the queue's frames in order; a close ends it. A queue that ends
    /// without a close was cut off by the hub for overflowing: close with 1008.
    private static func write(_ queue: AsyncStream<RegistryHub.Outgoing>, to outbound: WebSocketOutboundWriter) async {
        for await item in queue {
            switch item {
            case let .text(text):
                do { try await outbound.write(.text(text)) } catch { return }
            case let .close(code, reason):
                try? await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: reason)
                return
            }
        }
        guard !Task.isCancelled else { return }
        try? await outbound.close(WebSocketErrorCode(codeNumber: Int(RegistryCloseCode.policyViolation)),
                                  reason: "too slow: send queue full")
    }
}
