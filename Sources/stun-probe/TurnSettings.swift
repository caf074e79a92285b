import ArgumentParser
import STUN
import Wire

/// What `--turn` runs with, read from the command line once it validated.
struct TurnSettings {
    /// The embedded server's one user, realm and password; also the defaults of
    /// --username/--password, so `stun-probe --turn` works as typed and the lab's
    /// coturn (scripts, lessons) takes the same credentials.
    static let defaultUsername = "lab"
    static let defaultPassword = "secret"
    static let realm = "webrtc-lab"
    /// 24 bytes: a multiple of 4, so DATA needs no padding and the overhead reads cleanly.
    static let defaultMessage = "hello through the relay!"
    /// How long to wait for the peer's echo: indications are not retransmitted, so
    /// nothing but a cap ends the wait when the peer is silent.
    static let defaultEchoWait = Duration.seconds(2)

    /// The TURN server argument (nil: start one in this process).
    var server: String?
    var username: String
    var password: String
    /// The peer to relay to (nil: start an echo peer in this process).
    var peer: TransportAddress?
    var message: [UInt8]
    var json: Bool
    var pcap: String?
    var policy: STUNRetransmissionPolicy
    /// --timeout: caps every step (a request's retransmissions, the wait for an echo).
    var timeout: Duration?

    init(command: ProbeCommand) throws {
        server = command.server
        username = command.username ?? Self.defaultUsername
        password = command.password ?? Self.defaultPassword
        peer = try command.peer.map(Self.parsePeer)
        message = Array((command.message ?? Self.defaultMessage).utf8)
        json = command.json
        pcap = command.pcap
        policy = command.policy
        timeout = command.timeout.map { .nanoseconds(Int64($0 * 1_000_000_000)) }
    }

    /// The wait for an echo from the peer.
    var echoWait: Duration { timeout ?? Self.defaultEchoWait }

    /// Rejects options that mean nothing with --turn, and bad --peer/--message values (exit 2).
    static func validate(_ command: ProbeCommand) throws {
        if command.serve { throw ValidationError("--turn and --serve are different modes: give one") }
        if command.useExercise { throw ValidationError("--use-exercise applies to the Binding probe, not to --turn") }
        if command.dropRequests != 0 { throw ValidationError("--drop-requests applies to the Binding probe, not to --turn") }
        if command.count != 1 { throw ValidationError("--count applies to the Binding probe, not to --turn") }
        if let message = command.message {
            guard !message.isEmpty, message.utf8.count <= 1200 else {
                throw ValidationError("--message must be 1 to 1200 bytes (one datagram, well under the path MTU)")
            }
        }
        if let username = command.username, username.isEmpty || username.utf8.count > 509 {
            throw ValidationError("--username must be 1 to 509 bytes (STUN's USERNAME limit)")
        }
        if let password = command.password, password.isEmpty {
            throw ValidationError("--password must not be empty")
        }
        if let peer = command.peer { _ = try parsePeer(peer) }
    }

    /// A peer is an IP literal and a port: it is where the relay sends, so no name lookup.
    static func parsePeer(_ text: String) throws -> TransportAddress {
        guard let address = try? TransportAddress(parsing: text), address.port != 0 else {
            throw ValidationError("--peer '\(text)' is not IPv4:PORT or [IPv6]:PORT with a port from 1 to 65535")
        }
        return address
    }
}
