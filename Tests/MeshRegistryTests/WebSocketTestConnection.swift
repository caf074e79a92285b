import HummingbirdWSClient
import Logging
import NIOWebSocket

/// The connection loop `TestPeer` and `LoadClient` share: one WebSocket to the
/// registry that writes what `outgoing` yields and hands every inbound message to
/// `receive`, until the connection ends.
enum WebSocketTestConnection {
    /// What the test asks the connection to send.
    enum Outgoing: Sendable {
        case text(String)
        case close
    }

    /// Runs the connection to its end: the registry's close frame, or the error.
    static func run(url: String, logger: Logger, maxMessageSize: Int, outgoing: AsyncStream<Outgoing>,
                    receive: @escaping @Sendable (WebSocketMessage) -> Void) async -> Result<WebSocketCloseFrame?, any Error> {
        do {
            return .success(try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    group.addTask {
                        for await item in outgoing {
                            switch item {
                            case let .text(text): try await outbound.write(.text(text))
                            case .close:
                                try await outbound.close(.normalClosure, reason: nil)
                                return false
                            }
                        }
                        return false
                    }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: maxMessageSize) { receive(message) }
                        return true
                    }
                    // The reader ends when the connection does: then the writer goes too.
                    // The writer ending (we sent a close) leaves the reader to the end.
                    while let readerEnded = try await group.next() {
                        if readerEnded {
                            group.cancelAll()
                            break
                        }
                    }
                }
            })
        } catch {
            return .failure(error)
        }
    }
}
