// MeshRegistry: the signaling registry of the mesh, chatixia-mesh's design, on
// Hummingbird 2 (HTTP and WebSocket) and jwt-kit (HS256 tokens).
//
// Theory of operation. An agent asks `POST /api/token` for a JWT (with an API key
// from the key file, or in lab mode with just a name), then opens `GET /ws?token=JWT`.
// A missing, forged or expired token is answered 401 before the upgrade
// (`UpgradeGate`). Each upgraded connection is a `RegistrySession`: its frames go
// into one shared `RegistryCore` (MeshProtocol, sans-IO: who is registered, what
// is relayed where, presence, error frames, rate limits, replacement) through the
// `RegistryHub`, which turns the core's actions into frames on the other
// connections' outgoing queues. The WebSocket layer pings every peer
// (`pingInterval`) and refuses frames beyond `webSocketMaxFrameBytes` with 1009;
// frames between the core's limit and that get an error frame instead.
//
// The server is embeddable: `start()` binds (port 0 for tests), returns the port
// once connections are accepted, and `stop()` closes every WebSocket with 1001 and
// shuts the listener. `datachannel-chat serve` is this plus signals and a log.
import Foundation
import Wire
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import MeshProtocol
import ServiceLifecycle

/// The signaling registry, embeddable: start it, read its port, stop it.
///
/// ```swift
/// var settings = RegistrySettings()
/// settings.port = 0                       // the kernel picks
/// let registry = RegistryServer(settings: settings)
/// let port = try await registry.start()   // accepting connections from here on
/// // ... agents use "http://127.0.0.1:\(port)" ...
/// await registry.stop()
/// ```
public final class RegistryServer: Sendable {
    /// The WebSocket path.
    public static let webSocketPath = "/ws"

    /// The settings it runs with.
    public let settings: RegistrySettings
    private let logger: Logger
    private let running: Locked<Running?>

    private struct Running: Sendable {
        let task: Task<Void, Never>
        let group: ServiceGroup
        let hub: RegistryHub
        let port: Int
    }

    /// A registry with `settings` (from `RegistrySettings.fromEnvironment()` or made
    /// in code), logging to `logger`. Nothing happens until `start()`.
    public init(settings: RegistrySettings, logger: Logger = Logger(label: "mesh.registry")) {
        self.settings = settings
        self.logger = logger
        running = Locked(nil)
    }

    /// The bound port while running, else nil.
    public var port: Int? { running.withLock { $0?.port } }

    /// `http://HOST:PORT` while running (the base for `/api/token`; `ws://` the same for `/ws`).
    public var baseURL: String? {
        guard let port else { return nil }
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        return "http://\(host):\(port)"
    }

    /// The registered peers now, sorted (empty when stopped).
    public var registeredPeers: [String] { running.withLock { $0?.hub.registeredPeers } ?? [] }

    /// The connections and outgoing queues the hub holds now (none when stopped): for load tests.
    package var heldSessions: RegistryHeldSessions {
        running.withLock { $0?.hub.heldSessions } ?? RegistryHeldSessions(connections: 0, queues: 0)
    }

    /// Binds and starts serving; returns the bound port once connections are
    /// accepted. Throws `RegistryError` for bad settings or a listener that cannot
    /// start (address in use...). Calling it while running returns the port.
    @discardableResult
    public func start() async throws(RegistryError) -> Int {
        if let port { return port }
        if let problem = settings.problem { throw RegistryError(.setting, problem) }
        let secret: RegistrySecret
        if let given = settings.secret {
            secret = given
        } else {
            secret = .generated()
            logger.notice("""
                no signing secret given (SIGNALING_SECRET or --secret-file): generated a random one for this run; \
                tokens minted elsewhere (datachannel-chat token) will not verify here
                """)
        }
        let authority = await TokenAuthority(secret: secret, lifetime: settings.tokenLifetime)
        let hub = RegistryHub(limits: settings.limits, queueLimit: settings.sendQueueLimit, logger: logger)
        if let keys = settings.apiKeys {
            logger.info("mode: keys (\(keys.count) API keys from \(keys.path) for peers \(keys.peerIDs.joined(separator: ", ")))")
        } else {
            logger.info("mode: lab (no API key file): POST /api/token with x-peer-name: NAME mints a token for NAME")
        }

        let router = Router()
        RegistryRoutes(authority: authority, apiKeys: settings.apiKeys, hub: hub, logger: logger).add(to: router)
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        let maxMessageBytes = settings.webSocketMaxFrameBytes
        let sessionLogger = logger
        webSocketRouter.ws("/ws", shouldUpgrade: { request, _ in
            let token = request.uri.queryParameters["token"].map(String.init)
            do {
                _ = try await authority.verify(token)
                return .upgrade([:])
            } catch {
                return .dontUpgrade
            }
        }, onUpgrade: { inbound, outbound, context in
            let token = context.request.uri.queryParameters["token"].map(String.init)
            await RegistrySession.run(inbound: inbound, outbound: outbound, token: token, authority: authority,
                                      hub: hub, maxMessageBytes: maxMessageBytes, logger: sessionLogger)
        })
        let gateLogger = logger
        let server = HTTPServerBuilder.gatedWebSocketUpgrade(
            webSocketRouter: webSocketRouter,
            configuration: .init(ws: .init(maxFrameSize: maxMessageBytes, autoPing: .enabled(timePeriod: settings.pingInterval),
                                           closeTimeout: .seconds(5), validateUTF8: true)),
            path: Self.webSocketPath,
            check: { uri in
                do {
                    _ = try await authority.verify(URI(uri).queryParameters["token"].map(String.init))
                    return nil
                } catch {
                    gateLogger.info("WebSocket upgrade refused (401)", metadata: ["reason": "\(error)"])
                    return "\(error)"
                }
            })

        let (ready, readyContinuation) = AsyncStream.makeStream(of: Result<Int, any Error>.self)
        let requestedPort = settings.port
        var hummingbirdLogger = logger
        // Hummingbird reports every request at debug; the registry's own lines say what matters.
        if hummingbirdLogger.logLevel < .notice { hummingbirdLogger.logLevel = .notice }
        let app = Application(
            router: router, server: server,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "mesh-registry"),
            onServerRunning: { channel in
                readyContinuation.yield(.success(channel.localAddress?.port ?? requestedPort))
            },
            logger: hummingbirdLogger)
        // Our own service group, without signal handling (the embedding program owns
        // its signals), so that `stop()` can shut the server down gracefully.
        let group = ServiceGroup(configuration: .init(services: [app], logger: hummingbirdLogger))
        let task = Task {
            do {
                try await group.run()
                readyContinuation.yield(.failure(CancellationError()))
            } catch {
                readyContinuation.yield(.failure(error))
            }
            readyContinuation.finish()
        }
        var outcome: Result<Int, any Error> = .failure(CancellationError())
        for await result in ready {
            outcome = result
            break
        }
        switch outcome {
        case let .success(port):
            running.withLock { $0 = Running(task: task, group: group, hub: hub, port: port) }
            logger.info("listening on \(settings.host):\(port)")
            return port
        case let .failure(error):
            task.cancel()
            await task.value
            throw RegistryError(.listener, "cannot listen on \(settings.host):\(settings.port): \(error)")
        }
    }

    /// Closes every WebSocket (1001, "registry stopping"), waits briefly for the
    /// close frames to go out, and shuts the listener down gracefully (cancelled
    /// after 5 s if something lingers). Idempotent.
    public func stop() async {
        guard let current = running.withLock({ state -> Running? in
            defer { state = nil }
            return state
        }) else { return }
        current.hub.closeAll(code: RegistryCloseCode.goingAway, reason: "registry stopping")
        let deadline = ContinuousClock.now + .seconds(2)
        while current.hub.connectionCount > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        await current.group.triggerGracefulShutdown()
        // A connection that will not finish its close handshake must not hold the
        // registry up: after a grace period the server is cancelled.
        let task = current.task
        let watchdog = Task {
            try await Task.sleep(for: .seconds(5))
            task.cancel()
        }
        await task.value
        watchdog.cancel()
        logger.info("stopped")
    }
}
