import ArgumentParser
import Dispatch
import Foundation
import Logging
import MeshProtocol
import MeshRegistry
import ToolSupport

/// `datachannel-chat serve`: the mesh's signaling registry (chatixia-mesh's), with
/// the chat page at `/`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the mesh's signaling registry (WebSocket + JWT, chatixia-mesh compatible) and the chat page.",
        discussion: """
        ENDPOINTS:
          POST /api/token   a token: {"token","peer_id","role"}, or 401
                            (keys mode: x-api-key: KEY; lab mode: x-peer-name: NAME)
          GET  /ws?token=T  the signaling WebSocket (bad token: 401 before the upgrade)
          GET  /            the chat page: a browser joins the mesh
          GET  /healthz     {"ok":true,"mode":...,"peers":N}

        Signaling frames are chatixia's {"type","peer_id","target_id"?,"payload"}: `register` is answered with \
        peer_list; offer, answer and ice_candidate are relayed to target_id unchanged; heartbeat gets no reply; a \
        frame whose peer_id is not the token's sub is refused. Beyond chatixia: peer_joined/peer_left presence, \
        error frames {"code","message","ref_type"} for refused frames (the connection stays up), a frame size \
        limit (--max-frame-bytes; frames over 4x that are refused by the WebSocket layer with close code 1009), a \
        rate limit per connection (--rate, --burst; a sustained flood is closed with 1008), ping/pong keepalive \
        (--ping-interval), and a second connection under the same peer id replacing the first (close 4000 \
        "replaced").

        MODES: with an API key file ({"keys":{"KEY":{"peer_id":...,"role":...}}}, chatixia's format) only \
        x-api-key gets tokens. Without one the registry runs in lab mode: POST /api/token with x-peer-name: NAME \
        (1-64 of [A-Za-z0-9._-]) gets a token for NAME. No secret given: a random one is made for the run (the \
        log says so; `datachannel-chat token` cannot mint for it then).

        When ready it prints one line on stdout: {"listening":"HOST:PORT","mode":"lab"|"keys"}. Logs go to \
        stderr; no secret, API key or token is ever logged. SIGINT or SIGTERM closes every WebSocket (1001) and \
        exits 0.

        ENVIRONMENT (flags override):
          SIGNALING_SECRET   the HS256 secret, at least 32 bytes (--secret-file)
          API_KEYS_FILE      the API key file: keys mode (--keys)
          PORT               the port on 127.0.0.1 (--listen)

        EXAMPLES:
          # lab mode on 127.0.0.1:8080, then a token for alice:
          datachannel-chat serve
          curl -s -X POST -H 'x-peer-name: alice' http://127.0.0.1:8080/api/token
          # any free port (read it from the JSON line):
          datachannel-chat serve --listen 127.0.0.1:0
          # chatixia's way: API keys and a fixed secret, on every interface:
          export SIGNALING_SECRET=$(openssl rand -hex 32)
          datachannel-chat serve --keys api_keys.json --listen 0.0.0.0:8080

        EXIT CODES:
        \(ChatExit.helpTable([
            .success: "stopped by SIGTERM or SIGINT",
            .usage: "bad arguments or settings (a short secret, a bad PORT or --listen)",
            .localFailure: "cannot listen, or the key or secret file is unreadable or invalid",
        ]))
        """
    )

    @Option(help: ArgumentHelp("The address to listen on (default 127.0.0.1:$PORT, else 127.0.0.1:8080; port 0: any).",
                               valueName: "host:port"))
    var listen: String?

    @Option(help: ArgumentHelp("The API key file (keys mode); overrides API_KEYS_FILE.", valueName: "file"))
    var keys: String?

    @Option(name: .customLong("secret-file"),
            help: ArgumentHelp("A file holding the signing secret (32+ bytes); overrides SIGNALING_SECRET.", valueName: "file"))
    var secretFile: String?

    @Option(name: .customLong("token-lifetime"), help: ArgumentHelp("Seconds a minted token lives (1...86400).", valueName: "s"))
    var tokenLifetime: Int = Int(MeshDefaults.tokenLifetime.components.seconds)

    @Option(name: .customLong("max-frame-bytes"),
            help: ArgumentHelp("The largest signaling frame handled (1024...16777216); larger ones get an error frame.",
                               valueName: "n"))
    var maxFrameBytes: Int = SignalingMessage.defaultMaxBytes

    @Option(help: ArgumentHelp("Frames per second each connection may send on average.", valueName: "n"))
    var rate: Double = RegistryLimits.standard.framesPerSecond

    @Option(help: ArgumentHelp("Frames each connection may send at once.", valueName: "n"))
    var burst: Double = RegistryLimits.standard.burst

    @Option(name: .customLong("ping-interval"),
            help: ArgumentHelp("Seconds between WebSocket pings; no pong within one more period closes (0.1...3600).",
                               valueName: "s"))
    var pingInterval: Double = 30

    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning, error.", valueName: "level"))
    var logLevel: String = "info"

    func validate() throws {
        guard (1...86_400).contains(tokenLifetime) else { throw ValidationError("--token-lifetime must be 1...86400 seconds") }
        guard (1024...(16 << 20)).contains(maxFrameBytes) else { throw ValidationError("--max-frame-bytes must be 1024...16777216") }
        guard rate > 0, rate <= 1_000_000 else { throw ValidationError("--rate must be a positive number of frames per second") }
        guard burst >= 1, burst <= 1_000_000 else { throw ValidationError("--burst must be at least 1") }
        guard pingInterval >= 0.1, pingInterval <= 3600 else { throw ValidationError("--ping-interval must be 0.1...3600 seconds") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// The settings: the environment, then the flags over it.
    func settings(environment: [String: String]) throws -> RegistrySettings {
        do {
            var environment = environment
            // A flag replaces its variable, so a bad variable it replaces is not an error.
            if secretFile != nil { environment["SIGNALING_SECRET"] = nil }
            if keys != nil { environment["API_KEYS_FILE"] = nil }
            if listen != nil { environment["PORT"] = nil }
            var settings = try RegistrySettings.fromEnvironment(environment)
            if let listen { try settings.setListen(listen) }
            if let secretFile { settings.secret = try RegistrySecret(file: secretFile) }
            if let keys { settings.apiKeys = try APIKeyFile(path: keys) }
            settings.tokenLifetime = .seconds(tokenLifetime)
            settings.limits = RegistryLimits(maxFrameBytes: maxFrameBytes, framesPerSecond: rate, burst: burst)
            settings.pingInterval = .milliseconds(Int64((pingInterval * 1000).rounded()))
            if let problem = settings.problem { throw RegistryError(.setting, problem) }
            return settings
        } catch let error as RegistryError {
            throw Self.failure(error)
        }
    }

    /// A registry error as this tool's failure: a bad value is a usage error, a file
    /// or socket that fails is a local failure.
    static func failure(_ error: RegistryError) -> ChatFailure {
        switch error.code {
        case .setting, .secretTooShort: return ChatFailure(.usage, error.reason)
        default: return ChatFailure(.localFailure, error.reason)
        }
    }

    func run() async throws {
        let settings = try settings(environment: ProcessInfo.processInfo.environment)
        let level = Logger.Level(rawValue: logLevel) ?? .info
        // Everything the libraries log goes to stderr too: stdout carries only the JSON line.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "registry")
        logger.logLevel = level
        let stop = StopSignals()
        let server = RegistryServer(settings: settings, logger: logger)
        let port: Int
        do {
            port = try await server.start()
        } catch {
            throw Self.failure(error)
        }
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        let line: JSONValue = ["listening": .string("\(host):\(port)"), "mode": .string(settings.mode.rawValue)]
        print(line.jsonText)
        fflush(nil)
        let signal = await stop.next()
        logger.info("signal \(signal): stopping")
        await server.stop()
    }
}

/// SIGINT and SIGTERM as an async wait: the default action (death) is replaced by
/// dispatch sources, as swift-service-lifecycle does.
final class StopSignals {
    private let stream: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init() {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        self.stream = stream
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Waits for the first signal; returns its name.
    func next() async -> String {
        for await number in stream {
            return number == SIGINT ? "SIGINT" : "SIGTERM"
        }
        return "end"
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
