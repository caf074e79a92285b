import Testing
import Wire
@testable import STUN

/// A `TURNServer` wired by hand to a real `TURNClient` (in-process, no network),
/// plus helpers to build raw signed requests for the error paths a well-behaved
/// client never takes.
struct TURNServerRig {
    static let serverAddress = TransportAddress(.v4(127, 0, 0, 1), 3478)
    static let clientAddress = TransportAddress(.v4(127, 0, 0, 1), 50000)
    static let relayIP = IPAddress.v4(127, 0, 0, 2)
    static let peer = TransportAddress(.v4(127, 0, 0, 3), 7000)
    static let realm = "webrtc-lab"
    static let users = ["lab": "secret", "eve": "hunter2"]

    var server: TURNServer
    var client: TURNClient
    var now = Instant.zero
    var serverEvents: [TURNServerEvent] = []
    var clientEvents: [TURNClientEvent] = []
    /// Datagrams the server sent anywhere but to the client (to peers).
    var toPeers: [Datagram] = []
    /// Datagrams the server sent to the client.
    var toClient: [Datagram] = []

    init(ports: ClosedRange<UInt16> = 49_152...49_153, password: String = "secret",
         requestedLifetime: UInt32? = nil, clientAddress: TransportAddress = TURNServerRig.clientAddress) {
        server = TURNServer(configuration: .init(realm: Self.realm, users: Self.users, relayIP: Self.relayIP, relayPorts: ports),
                            random: SplitMix64(seed: 7))
        client = TURNClient(localAddress: clientAddress, server: Self.serverAddress, username: "lab", password: password,
                            requestedLifetime: requestedLifetime, random: SplitMix64(seed: 8))
    }

    /// Runs `body` on the client at `now`, then passes datagrams back and forth until quiet.
    mutating func act(_ body: (inout TURNClient, Instant) throws -> Void) throws {
        try body(&client, now)
        pump()
    }

    /// Moves time to `time`, firing both endpoints' timers in order on the way.
    mutating func advance(to time: Instant) {
        while let due = [client.nextTimeout, server.nextTimeout].compactMap({ $0 }).min(), due <= time {
            now = due
            client.handle(.timeout(now))
            server.handle(.timeout(now))
            pump()
        }
        now = time
    }

    /// Drains the client; its datagrams to the server go in; the server's answers to the client come back.
    mutating func pump() {
        var progressed = true
        while progressed {
            progressed = false
            while let output = client.poll() {
                progressed = true
                switch output {
                case let .event(event): clientEvents.append(event)
                case let .transmit(datagram): deliverToServer(datagram)
                }
            }
        }
    }

    /// Feeds the server one datagram (from the client or a peer) and routes its output.
    mutating func deliverToServer(_ datagram: Datagram) {
        server.handle(.datagram(datagram, at: now))
        drainServer()
    }

    mutating func drainServer() {
        while let output = server.poll() {
            switch output {
            case let .event(event): serverEvents.append(event)
            case let .transmit(datagram):
                if datagram.destination == client.localAddress {
                    toClient.append(datagram)
                    client.handle(.datagram(datagram, at: now))
                } else {
                    toPeers.append(datagram)
                }
            }
        }
    }

    /// A peer sends `payload` to `relayed`; the answer (if any) reaches the client.
    mutating func peerSends(_ payload: [UInt8], from peer: TransportAddress = TURNServerRig.peer, to relayed: TransportAddress) {
        deliverToServer(Datagram(from: peer, to: relayed, payload: payload))
        pump()
    }

    var relayed: TransportAddress? { client.allocation?.relayedAddress }

    var dropReasons: [String] {
        serverEvents.compactMap { if case let .dropped(_, _, reason) = $0 { return reason } else { return nil } }
    }

    var answers: [STUNServerAnswer] {
        serverEvents.compactMap { if case let .answered(answer) = $0 { return answer } else { return nil } }
    }

    var failures: [TURNFailure] {
        clientEvents.compactMap { if case let .failed(failure) = $0 { return failure } else { return nil } }
    }

    var received: [(data: [UInt8], path: TURNDataPath)] {
        clientEvents.compactMap { if case let .dataReceived(_, data, path, _) = $0 { return (data, path) } else { return nil } }
    }

    /// A rig whose client already holds an allocation.
    static func allocated(requestedLifetime: UInt32? = nil) throws -> TURNServerRig {
        var rig = TURNServerRig(requestedLifetime: requestedLifetime)
        try rig.act { try $0.allocate(at: $1) }
        guard rig.client.state == .allocated else { throw STUNError(.invalidArgument, "no allocation: \(rig.client.state)") }
        return rig
    }

    // MARK: Raw requests

    /// The NONCE of a 401 answer to an unsigned Allocate from `source`.
    mutating func freshNonce(from source: TransportAddress = TURNServerRig.clientAddress) throws -> String {
        let request = STUNMessage(type: STUNMessageType(method: .allocate, messageClass: .request),
                                  transactionID: try TransactionID(bytes: [UInt8](repeating: 0xEE, count: 12)))
        let answer = try #require(exchange(try request.encode(), from: source))
        return try #require(try answer.attribute(Nonce.self)).value
    }

    /// A request signed as `user` with the given nonce, `configure` adding the method's attributes.
    static func signed(_ method: STUNMethod, id: UInt8, nonce: String, user: String = "lab", password: String = "secret",
                       _ configure: (inout STUNMessage) -> Void = { _ in }) throws -> [UInt8] {
        var request = STUNMessage(type: STUNMessageType(method: method, messageClass: .request),
                                  transactionID: try TransactionID(bytes: [UInt8](repeating: id, count: 12)))
        configure(&request)
        request.append(try Username(user))
        request.append(try Realm(realm))
        request.append(try Nonce(nonce))
        return try request.encode(integrityKey: .longTerm(username: user, realm: realm, password: password),
                                  fingerprint: true)
    }

    /// Sends raw bytes from `source` to the server and returns the parsed answer, if any.
    mutating func exchange(_ bytes: [UInt8], from source: TransportAddress = TURNServerRig.clientAddress) throws -> STUNMessage? {
        server.handle(.datagram(Datagram(from: source, to: Self.serverAddress, payload: bytes), at: now))
        var answer: STUNMessage?
        while let output = server.poll() {
            switch output {
            case let .event(event): serverEvents.append(event)
            case let .transmit(datagram):
                if datagram.destination == source { answer = try STUNMessage(parsing: datagram.payload) } else { toPeers.append(datagram) }
            }
        }
        return answer
    }
}
