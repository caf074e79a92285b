import SocketDriver
import STUN
import Wire

/// The TURN server `--turn` starts when no SERVER is given: the library's sans-IO
/// `TURNServer` on two loopback sockets, one it listens on and one relayed address.
///
/// Both sockets bind port 0 (the kernel picks free ports), so the relay "pool" is
/// the single port the relay socket got: enough for the one allocation of a run,
/// and no fixed port can clash with another program.
enum EmbeddedTURNServer {
    /// Starts the server in `loop` and returns the address it listens on.
    static func start(in loop: EventLoop, onEvent: @escaping (TURNServerEvent) -> Void) throws -> TransportAddress {
        let listening = try TurnMode.bind(TransportAddress(.loopbackV4, 0))
        let relay = try TurnMode.bind(TransportAddress(.loopbackV4, 0))
        let port = relay.localAddress.port
        let configuration = TURNServer.Configuration(
            realm: TurnSettings.realm, users: [TurnSettings.defaultUsername: TurnSettings.defaultPassword],
            relayIP: .loopbackV4, relayPorts: port...port, software: "webrtc-lab stun-probe TURN server")
        // The loop keeps both sockets (and the server on them) for the whole run.
        loop.attach(TURNServer(configuration: configuration), sockets: [listening, relay]) { event, _ in onEvent(event) }
        return listening.localAddress
    }
}

/// A UDP peer that sends every datagram back to where it came from: on the far
/// side of the relay, it shows that data made the whole trip.
struct EchoPeer: DatagramEndpoint {
    typealias Event = Int
    private var outputs = OutputQueue<Int>()
    private var echoed = 0

    mutating func handle(_ input: EndpointInput) {
        guard case let .datagram(datagram, _) = input else { return }
        echoed += 1
        outputs.transmit(Datagram(from: datagram.destination, to: datagram.source, payload: datagram.payload))
        outputs.emit(echoed)
    }

    mutating func poll() -> EndpointOutput<Int>? { outputs.pop() }
    var nextTimeout: Instant? { nil }
}
