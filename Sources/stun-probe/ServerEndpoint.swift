import STUN

/// stun-probe's server is `STUNServer` itself: RFC 3489 clients (Debian's
/// `stun`) get classic answers from it when no credentials are required
/// (`STUNServer.Configuration.answersClassicClients`). These names keep the
/// tool's call sites (serve mode, the embedded server of probe mode) short.
typealias ServerEndpoint = STUNServer

/// What the server part of stun-probe reports: one line per datagram.
typealias ServerLogEvent = STUNServerEvent

extension STUNServer {
    /// A configuration for this tool: SOFTWARE names it, short-term credentials when given.
    static func configuration(credentials: (username: String, password: String)?) -> Configuration {
        var configuration = Configuration(software: "webrtc-lab stun-probe")
        if let credentials {
            configuration.authentication = .shortTerm(users: [credentials.username: credentials.password])
        }
        return configuration
    }
}
