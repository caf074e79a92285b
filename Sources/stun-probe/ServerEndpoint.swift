import STUN
import Wire

/// What the server part of stun-probe reports: the RFC 8489 server's events,
/// plus answers given to classic RFC 3489 clients.
enum ServerLogEvent: CustomStringConvertible {
    case server(STUNServerEvent)
    case legacy(LegacyBindingResponder.Answer)

    var description: String {
        switch self {
        case let .server(event): return "\(event)"
        case let .legacy(answer): return "answered \(answer)"
        }
    }
}

/// `STUNServer` with `LegacyBindingResponder` in front: cookie-less Binding
/// requests get a classic answer, everything else goes to the RFC 8489 server.
struct ServerEndpoint: DatagramEndpoint {
    typealias Event = ServerLogEvent
    private var server: STUNServer
    private var outputs: [EndpointOutput<ServerLogEvent>] = []
    /// Classic clients cannot authenticate the RFC 8489 way, so they are only
    /// answered by an open server; one that requires credentials ignores them.
    private let answersLegacyClients: Bool

    init(configuration: STUNServer.Configuration) {
        server = STUNServer(configuration: configuration)
        if case .none = configuration.authentication { answersLegacyClients = true } else { answersLegacyClients = false }
    }

    /// A configuration for this tool: SOFTWARE names it, short-term credentials when given.
    static func configuration(credentials: (username: String, password: String)?) -> STUNServer.Configuration {
        var configuration = STUNServer.Configuration(software: "webrtc-lab stun-probe")
        if let credentials {
            configuration.authentication = .shortTerm(users: [credentials.username: credentials.password])
        }
        return configuration
    }

    mutating func handle(_ input: EndpointInput) {
        if case let .datagram(datagram, _) = input, LegacyBindingResponder.isLegacyBindingRequest(datagram.payload) {
            if !answersLegacyClients {
                outputs.append(.event(.server(.dropped(from: datagram.source,
                                                       reason: "RFC 3489 request (no magic cookie): this server requires credentials"))))
            } else if let (bytes, answer) = LegacyBindingResponder.answer(datagram) {
                outputs.append(.transmit(Datagram(from: datagram.destination, to: datagram.source, payload: bytes)))
                outputs.append(.event(.legacy(answer)))
            } else {
                outputs.append(.event(.server(.dropped(from: datagram.source,
                                                       reason: "RFC 3489 request with badly framed attributes"))))
            }
            return
        }
        server.handle(input)
        while let output = server.poll() {
            switch output {
            case let .transmit(datagram): outputs.append(.transmit(datagram))
            case let .event(event): outputs.append(.event(.server(event)))
            }
        }
    }

    mutating func poll() -> EndpointOutput<ServerLogEvent>? {
        outputs.isEmpty ? nil : outputs.removeFirst()
    }

    var nextTimeout: Instant? { server.nextTimeout }
}
