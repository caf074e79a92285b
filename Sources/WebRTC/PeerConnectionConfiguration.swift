import DataChannels
import DataTransport
import DTLS
import ICE
import SCTP
import STUN
import Wire

/// How a peer connection is set up (W3C RTCConfiguration, plus the layer
/// settings a lab wants to turn). The defaults work offline on one machine.
public struct PeerConnectionConfiguration: Sendable {
    /// Which local addresses to gather host candidates on.
    public enum Interfaces: Hashable, Sendable {
        /// 127.0.0.1 only (the default: the network rule of this project).
        case loopback
        /// 127.0.0.1 and ::1.
        case loopbackDualStack
        /// Exactly these IP addresses (each bound on an ephemeral port). Naming a
        /// real interface address is the explicit opt-in to leave the machine.
        case addresses([IPAddress])
    }

    /// Where host candidates come from.
    public var interfaces: Interfaces
    /// STUN servers for server-reflexive candidates (none by default).
    public var stunServers: [TransportAddress]
    /// TURN servers for relayed candidates (none by default).
    public var turnServers: [ICETURNServer]
    /// Our certificate; nil generates a fresh ECDSA P-256 one per connection
    /// (W3C: RTCCertificate, generated when none is given).
    public var certificate: DTLSCertificate?
    /// The largest message we accept, advertised as `a=max-message-size`
    /// (RFC 8841 §6). It also bounds what SCTP reassembles.
    public var maxMessageSize: Int
    /// The most bytes queued for sending before `send` throws `.bufferFull`.
    public var maxBufferedAmount: Int
    /// SCTP streams we offer in each direction (RFC 8831 §6.2: up to 65535).
    public var streamCount: UInt16
    /// DTLS's first retransmission timeout (RFC 6347: 1 s).
    public var dtlsInitialRetransmitTimeout: Duration
    /// SCTP's initial RTO (RFC 9260: 1 s).
    public var sctpInitialRTO: Duration
    /// Emit `.keyLog` events (NSS key-log lines) so tshark can decrypt a capture.
    /// Off by default: the lines are secrets.
    public var keyLogging: Bool
    /// ICE Ta, the pacing of new checks (RFC 8445 §14.2).
    public var iceTa: Duration
    /// How long the controlling agent waits at most before nominating.
    public var nominationDelay: Duration
    /// A replacement codec for DATA_CHANNEL_OPEN (the lab's exercise hook); nil uses ours.
    public var dcepOpenCodec: DCEPOpenCodec?
    /// A replacement DCEP state machine per channel (the lab's exercise 11 hook); nil uses ours.
    public var dcepChannelDrivers: DCEPChannelDrivers?
    /// A replacement for the ICE checklist's rules about ordinary checks (the lab's
    /// exercise 10 hook, `ICEAgentConfiguration.checklistStrategy`); nil uses ours.
    public var iceChecklistStrategy: (any ICEChecklistStrategy)?
    /// A replacement for the retransmission timer of ICE's own STUN transactions (the
    /// lab's exercise 09 hook, `ICEAgentConfiguration.checkTransactions`); nil uses ours.
    public var iceCheckTransactions: (any ICECheckTransactionFactory)?
    /// Makes a second receiver that every inbound SCTP packet also goes through and
    /// that decides which messages reach the channels (the lab's exercise 12 hook,
    /// `SCTPTransport.receiveGate`), one gate per connection; nil: usrsctp's alone.
    public var sctpReceiveGates: (any SCTPReceiveGateFactory)?
    /// Receive back-pressure: unread bytes a channel's `messages` may hold before the
    /// connection stops reading from SCTP (all channels: SCTP has one receive window);
    /// reading resumes once that channel is read down to half. 16 MiB by default, a
    /// default `maxBufferedAmount`: an application that reads a burst only after
    /// sending or waiting (as browsers let it) does not stall; one that never reads
    /// holds at most this plus SCTP's 1 MiB receive buffer per connection.
    public var channelReceiveQueueLimit: Int = 16 << 20

    /// Creates a configuration; every default works on loopback, offline.
    public init(interfaces: Interfaces = .loopback, stunServers: [TransportAddress] = [],
                turnServers: [ICETURNServer] = [], certificate: DTLSCertificate? = nil,
                maxMessageSize: Int = 262_144, maxBufferedAmount: Int = 16 << 20, streamCount: UInt16 = 1024,
                dtlsInitialRetransmitTimeout: Duration = .seconds(1), sctpInitialRTO: Duration = .seconds(1),
                keyLogging: Bool = false, iceTa: Duration = .milliseconds(50),
                nominationDelay: Duration = .milliseconds(200)) {
        self.interfaces = interfaces
        self.stunServers = stunServers
        self.turnServers = turnServers
        self.certificate = certificate
        self.maxMessageSize = maxMessageSize
        self.maxBufferedAmount = maxBufferedAmount
        self.streamCount = streamCount
        self.dtlsInitialRetransmitTimeout = dtlsInitialRetransmitTimeout
        self.sctpInitialRTO = sctpInitialRTO
        self.keyLogging = keyLogging
        self.iceTa = iceTa
        self.nominationDelay = nominationDelay
    }

    /// The IP addresses to bind, one UDP socket each.
    public var bindAddresses: [IPAddress] {
        switch interfaces {
        case .loopback: return [.loopbackV4]
        case .loopbackDualStack: return [.loopbackV4, .loopbackV6]
        case let .addresses(list): return list
        }
    }

    /// The SCTP settings these choices imply (ports come from the SDP).
    func sctpConfiguration(localPort: UInt16, remotePort: UInt16) -> SCTPConfiguration {
        var sctp = SCTPConfiguration(localPort: localPort, remotePort: remotePort,
                                     outboundStreams: streamCount, maxInboundStreams: streamCount)
        sctp.maxMessageSize = maxMessageSize
        sctp.sendBufferSize = max(sctp.sendBufferSize, maxMessageSize)
        sctp.maxBufferedAmount = max(maxBufferedAmount, maxMessageSize)
        sctp.rtoInitial = sctpInitialRTO
        sctp.rtoMin = min(sctp.rtoMin, sctpInitialRTO)
        return sctp
    }

    /// Checks the values the layers would otherwise refuse later.
    func validate() throws(PeerConnectionError) {
        guard maxMessageSize >= 1, maxMessageSize <= 16 << 20 else {
            throw PeerConnectionError(.invalidArgument, "maxMessageSize must be 1 byte to 16 MiB, got \(maxMessageSize)")
        }
        guard channelReceiveQueueLimit >= 1 else {
            throw PeerConnectionError(.invalidArgument, "channelReceiveQueueLimit must be at least 1 byte, got \(channelReceiveQueueLimit)")
        }
        guard streamCount >= 1 else { throw PeerConnectionError(.invalidArgument, "streamCount must be at least 1") }
        guard !bindAddresses.isEmpty else { throw PeerConnectionError(.invalidArgument, "no address to bind") }
    }
}
