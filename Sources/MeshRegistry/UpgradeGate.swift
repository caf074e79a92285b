import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// Answers a WebSocket upgrade with a bad token by 401 before the upgrade.
///
/// Why this exists: hummingbird-websocket 2.8.1 answers every refused upgrade
/// (its `shouldUpgrade` saying `.dontUpgrade`, or throwing) with 400 Bad Request,
/// whatever the route returned; the status cannot be chosen. chatixia-mesh's
/// registry answers 401, and clients tell "get a fresh token" from "broken
/// request" by it. So this handler sits in the connection's pipeline between
/// NIO's HTTP request decoder and the upgrade handler, looks at the first request
/// head, and when it is an upgrade to the WebSocket path whose token does not
/// verify, writes the 401 itself and closes; otherwise it hands the request on
/// untouched and removes itself. The route's own `shouldUpgrade` checks the token
/// again, so nothing depends on this handler for safety, only for the status.
final class UpgradeGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Checks a request URI: nil to let it through, else the reason for the 401.
    typealias Check = @Sendable (_ uri: String) async -> String?

    private enum State {
        /// Waiting for the first request head.
        case idle
        /// The token is being checked; parts are held until it is.
        case checking([NIOAny])
        /// Refused: everything that follows is dropped while the 401 goes out.
        case refused
    }

    private let path: String
    private let check: Check
    private var state = State.idle

    /// A gate for upgrades to `path`.
    init(path: String, check: @escaping Check) {
        self.path = path
        self.check = check
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .refused:
            return
        case var .checking(held):
            held.append(data)
            state = .checking(held)
            return
        case .idle:
            break
        }
        guard case let .head(head) = unwrapInboundIn(data), Self.isUpgrade(head),
              URI(head.uri).path == path else {
            // Not ours to judge: a plain request, or an upgrade elsewhere.
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        state = .checking([data])
        let check = self.check
        let uri = head.uri
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.makeFutureWithTask { await check(uri) }.whenSuccess { refusal in
            let (gate, context) = bound.value
            if let refusal {
                gate.refuse(context: context, reason: refusal)
            } else {
                gate.pass(context: context)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .idle = state { context.fireChannelReadComplete() }
    }

    private func pass(context: ChannelHandlerContext) {
        guard case let .checking(held) = state else { return }
        state = .idle
        for part in held { context.fireChannelRead(part) }
        context.fireChannelReadComplete()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func refuse(context: ChannelHandlerContext, reason: String) {
        state = .refused
        var body = context.channel.allocator.buffer(capacity: reason.utf8.count + 16)
        body.writeString("unauthorized: \(reason)\n")
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        headers.add(name: "content-length", value: String(body.readableBytes))
        headers.add(name: "connection", value: "close")
        headers.add(name: "www-authenticate", value: #"Bearer realm="mesh registry""#)
        let head = HTTPResponseHead(version: .http1_1, status: .unauthorized, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        // The upgrade handler behind us has seen nothing and waits for a request;
        // "input closed" makes it close the channel and end its wait quietly
        // (a plain close would end it with an error that Hummingbird logs as one).
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            let context = bound.value
            context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
            context.close(promise: nil)
        }
    }

    /// Whether a request head asks for a WebSocket upgrade.
    static func isUpgrade(_ head: HTTPRequestHead) -> Bool {
        head.headers["upgrade"].contains { $0.lowercased().contains("websocket") }
    }
}

/// hummingbird-websocket's HTTP/1 + WebSocket child channel with an `UpgradeGate`
/// in front of the upgrade handler (see `UpgradeGate` for why).
struct GatedWebSocketChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    let inner: HTTP1WebSocketUpgradeChannel
    let path: String
    let check: UpgradeGate.Check

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            // The pipeline is [response encoder, request decoder, upgrade handler];
            // the gate goes right after the decoder, so it sees parsed request parts
            // and its 401 goes out through the encoder.
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try operations.addHandler(UpgradeGate(path: path, check: check), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with WebSocket upgrades through `webSocketRouter`, where an upgrade to
    /// `path` is first checked by `check` (a refusal is answered with 401).
    static func gatedWebSocketUpgrade<WSResponderBuilder: HTTPResponderBuilder>(
        webSocketRouter: WSResponderBuilder, configuration: HTTP1WebSocketUpgradeChannel.Configuration,
        path: String, check: @escaping UpgradeGate.Check
    ) -> HTTPServerBuilder where WSResponderBuilder.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        return HTTPServerBuilder { responder in
            GatedWebSocketChannel(
                inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder,
                                                    configuration: configuration),
                path: path, check: check)
        }
    }
}
