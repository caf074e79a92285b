import Foundation
import MeshProtocol

/// How tokens are handed out.
public enum RegistryMode: String, Hashable, Sendable {
    /// No API key file: `POST /api/token` with `x-peer-name: NAME` mints a token for
    /// NAME (role `agent`); `x-api-key` gets 401. For the lab and demos on one machine.
    case lab
    /// An API key file: only `x-api-key` with a listed key gets a token (chatixia's way).
    case keys
}

/// Everything the registry needs to run. Built from the environment as
/// chatixia-mesh's registry reads it (`SIGNALING_SECRET`, `API_KEYS_FILE`, `PORT`),
/// then overridden by the caller (the `serve` flags, a test, the demo).
public struct RegistrySettings: Sendable {
    /// The address to listen on. Loopback by default: a registry reachable from the
    /// network is a choice (`--listen 0.0.0.0:8080`), not an accident.
    public var host: String = "127.0.0.1"
    /// The port; 0 lets the kernel pick (read it back from `RegistryServer.start()`).
    public var port: Int = MeshDefaults.port
    /// The signing secret; nil makes a random one for the run.
    public var secret: RegistrySecret?
    /// The API keys; nil is lab mode.
    public var apiKeys: APIKeyFile?
    /// How long minted tokens live.
    public var tokenLifetime: Duration = MeshDefaults.tokenLifetime
    /// Frame size and rate limits per connection.
    public var limits: RegistryLimits = .standard
    /// How often the registry pings each WebSocket; a peer that does not answer
    /// within the next period is closed (hummingbird-websocket's autoPing).
    public var pingInterval: Duration = .seconds(30)
    /// Frames each connection may have waiting to be written; a reader that falls
    /// this far behind is closed (1008) rather than buffered without bound.
    public var sendQueueLimit: Int = 1024

    /// The defaults: lab mode, a generated secret, 127.0.0.1:8080.
    public init() {}

    /// Lab mode or keys mode.
    public var mode: RegistryMode { apiKeys == nil ? .lab : .keys }

    /// The largest WebSocket frame or message accepted at all. Between
    /// `limits.maxFrameBytes` and this, a frame reaches the registry and gets a
    /// `too_large` error frame (the connection stays up); beyond it the WebSocket
    /// layer refuses it and closes the connection with 1009 (message too big),
    /// without reading it into memory.
    public var webSocketMaxFrameBytes: Int { max(4 * limits.maxFrameBytes, 1 << 16) }

    /// The settings the environment gives: `SIGNALING_SECRET` (the secret's text),
    /// `API_KEYS_FILE` (a key file path: keys mode) and `PORT`. Unset or empty
    /// variables leave the defaults. A bad value is an error naming the variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(RegistryError) -> RegistrySettings {
        var settings = RegistrySettings()
        if let text = environment["SIGNALING_SECRET"], !text.isEmpty {
            do {
                settings.secret = try RegistrySecret(text: text)
            } catch {
                throw RegistryError(.secretTooShort, "SIGNALING_SECRET is \(text.utf8.count) bytes; HS256 needs at least "
                    + "\(MeshDefaults.minimumSecretBytes) (e.g. export SIGNALING_SECRET=$(openssl rand -hex 32))")
            }
        }
        if let path = environment["API_KEYS_FILE"], !path.isEmpty {
            settings.apiKeys = try APIKeyFile(path: path)
        }
        if let text = environment["PORT"], !text.isEmpty {
            guard let port = Int(text), (0...65_535).contains(port) else {
                throw RegistryError(.setting, "PORT must be a port number (0-65535), got '\(text)'")
            }
            settings.port = port
        }
        return settings
    }

    /// Reads `HOST:PORT` (`127.0.0.1:0`, `0.0.0.0:8080`, `[::1]:8080`) into `host` and `port`.
    public mutating func setListen(_ text: String) throws(RegistryError) {
        let bad = RegistryError(.setting, "--listen must be HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:0), got '\(text)'")
        guard let colon = text.lastIndex(of: ":") else { throw bad }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(portText), (0...65_535).contains(port) else { throw bad }
        guard host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) || host == "localhost" else {
            throw RegistryError(.setting, "--listen takes an IP address (or localhost), got '\(host)'")
        }
        self.host = host
        self.port = port
    }

    /// What is wrong with these settings, or nil.
    public var problem: String? {
        if !(0...65_535).contains(port) { return "the port must be 0-65535, got \(port)" }
        if tokenLifetime < .seconds(1) || tokenLifetime > .seconds(86_400) {
            return "the token lifetime must be 1-86400 seconds"
        }
        if pingInterval < .milliseconds(100) { return "the ping interval must be at least 0.1 s" }
        if sendQueueLimit < 16 { return "the send queue limit must be at least 16 frames" }
        return limits.problem
    }
}
