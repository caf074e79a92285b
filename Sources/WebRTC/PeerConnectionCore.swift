import DataChannels
import DataTransport
import DTLS
import ICE
import SCTP
import SDP
import Wire

/// One peer connection, sans-IO (see WebRTC.swift for the composition): fed
/// datagrams and time, commanded through JSEP and channel calls, drained of
/// datagrams to send and `PeerConnectionEvent`s.
///
/// ```swift
/// let core = try PeerConnectionCore(configuration: config, hostAddresses: [socket.localAddress])
/// let channel = try core.createDataChannel(DataChannelParameters(label: "chat"), at: now)
/// let offer = try core.createOffer()
/// try core.setLocalDescription(offer, at: now)          // gathering starts: drain poll()
/// try core.setRemoteDescription(answer, at: now)        // checks start, then DTLS, SCTP, DCEP
/// while let output = core.poll() { ... }                // .transmit(datagram) / .event(...)
/// ```
///
/// A class, because its DTLS and SCTP layers are objects anyway; drive it from
/// one thread (`PeerConnectionHost` does).
public final class PeerConnectionCore: DatagramEndpoint {
    /// The events this endpoint reports.
    public typealias Event = PeerConnectionEvent

    /// What the connection was created with.
    public let configuration: PeerConnectionConfiguration
    /// Our DTLS certificate (its fingerprint is in every local description).
    public let certificate: DTLSCertificate
    /// The bases host candidates are gathered on (one bound socket each).
    public let hostAddresses: [TransportAddress]
    /// Our ICE credentials, kept across offers (no ICE restart yet).
    public let localCredentials: ICECredentials

    /// W3C signalingState.
    public internal(set) var signalingState: SignalingState = .stable
    /// W3C connectionState.
    public internal(set) var connectionState: PeerConnectionState = .new
    /// W3C iceGatheringState.
    public internal(set) var gatheringState: GatheringState = .new
    /// The description we applied last (W3C currentLocalDescription / pending).
    public internal(set) var localDescription: SessionDescription?
    /// Whether `localDescription` is an offer or an answer.
    public internal(set) var localDescriptionKind: DescriptionKind?
    /// The `a=setup` of the offer we applied (its answer fixes the DTLS role).
    var localSetup: SetupRole?
    /// The peer's description, as applied.
    public internal(set) var remoteDescription: SessionDescription?
    /// What we read from the peer's description.
    public internal(set) var remote: RemoteDataChannelDescription?
    /// Our DTLS role, once both descriptions are known.
    public internal(set) var dtlsRole: DTLSRole?

    /// The ICE agent (from the first description that fixes our ICE role).
    public internal(set) var ice: ICEAgent?
    /// SCTP over DTLS (from the moment DTLS can start).
    public internal(set) var transport: SCTPTransport?
    /// The channels (DCEP).
    public internal(set) var channels = DataChannelRegistry()

    var random: AnyRandomNumberGenerator
    var outputs = OutputQueue<PeerConnectionEvent>()
    var now: Instant = .zero
    /// Remote candidates signaled before the ICE agent could take them.
    var pendingRemoteCandidates: [ICECandidate] = []
    var pendingEndOfCandidates = false
    /// The peer's credentials, until the agent runs.
    var pendingRemoteCredentials: ICECredentials?
    var iceStarted = false
    /// DTLS records that arrived before the transport could exist (role unknown).
    var earlyRecords: [Datagram] = []
    static let earlyRecordLimit = 32
    /// DTLS datagrams ICE could not send yet (no valid pair): sent once one exists.
    var unsentRecords: [[UInt8]] = []
    /// Per-channel `bufferedAmountLowThreshold` (W3C: 0 by default).
    var lowThresholds: [DataChannelID: Int] = [:]
    /// Receive back-pressure: the application's channel queues are full (see `setReceivingPaused`).
    var receivingPaused = false
    /// Messages SCTP gave up on, per channel (`.sendFailed`; see `abandonedMessageCount(of:)`).
    var abandonedMessages: [DataChannelID: Int] = [:]
    var dtlsConnected = false
    /// The cipher suite DTLS negotiated.
    public internal(set) var dtlsCipherSuite: String?
    var sctpUp = false
    var isClosed = false
    /// Every local address is loopback: nothing outside 127.0.0.0/8 and ::1 is ever
    /// contacted or answered (the project's network rule, kept by the core itself).
    var loopbackOnly: Bool { hostAddresses.allSatisfy(\.ip.isLoopback) }

    /// Called from the SCTP runtime's timer thread when SCTP produced output between
    /// two calls (a retransmission, a SACK): the driver should drain `poll()` soon.
    /// It must only signal.
    public var onOutputReady: (@Sendable () -> Void)? {
        didSet { transport?.onOutputReady = onOutputReady }
    }

    /// Creates a connection over sockets already bound at `hostAddresses`.
    /// `random` draws ICE credentials, tie-breakers and transaction ids: inject a
    /// seeded generator in tests.
    /// - Throws: `.invalidArgument` for a bad configuration, `.localFailure` when
    ///   no certificate can be made.
    public init(configuration: PeerConnectionConfiguration, hostAddresses: [TransportAddress],
                random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) throws(PeerConnectionError) {
        try configuration.validate()
        guard !hostAddresses.isEmpty else {
            throw PeerConnectionError(.invalidArgument, "a peer connection needs at least one bound local address")
        }
        self.configuration = configuration
        self.hostAddresses = hostAddresses
        channels.channelDrivers = configuration.dcepChannelDrivers
        var random = AnyRandomNumberGenerator(random)
        localCredentials = ICECredentials.random(using: &random)
        self.random = random
        if let certificate = configuration.certificate {
            self.certificate = certificate
        } else {
            do {
                certificate = try DTLSCertificate.generateSelfSigned()
            } catch {
                throw PeerConnectionError(.localFailure, "cannot generate a certificate: \(error)")
            }
        }
    }

    // MARK: - DatagramEndpoint

    /// Feeds a datagram (to ICE, which hands DTLS records on) or the time.
    public func handle(_ input: EndpointInput) {
        now = max(now, input.now)
        guard !isClosed else { return }
        switch input {
        case let .datagram(datagram, _):
            // A loopback-only connection answers nothing that comes from elsewhere
            // (a browser's check from its LAN address): no reply leaves loopback.
            if loopbackOnly, !datagram.source.ip.isLoopback { return }
            ice?.handle(input)
        case let .timeout(time):
            if let due = ice?.nextTimeout, due <= time { ice?.handle(input) }
            if let transport, let due = transport.nextTimeout, due <= time { transport.handle(input) }
        }
        pump()
    }

    /// The next datagram or event; nil when drained (also collects what the
    /// SCTP runtime's timer produced since the last call).
    public func poll() -> EndpointOutput<PeerConnectionEvent>? {
        if outputs.isEmpty, transport != nil, !isClosed { pump() }
        return outputs.pop()
    }

    /// The earliest of the ICE agent's, the transport's and the channels' timers.
    public var nextTimeout: Instant? {
        guard !isClosed else { return nil }
        return [ice?.nextTimeout, transport?.nextTimeout, channels.nextTimeout].compactMap { $0 }.min()
    }

    // MARK: - Closing

    /// W3C close(): every channel closes, SCTP is aborted, DTLS sends
    /// close_notify, ICE stops (its TURN allocations are released). Idempotent.
    public func close(at now: Instant) {
        guard !isClosed else { return }
        self.now = max(self.now, now)
        transport?.abort()
        pump()
        channels.transportClosed(at: self.now)
        drainChannels()
        ice?.close(at: self.now)
        drainICE()
        isClosed = true
        setSignalingState(.closed)
        setConnectionState(.closed)
    }

    // MARK: - Moving data between the layers

    /// Runs ICE, the transport and the channels until none has anything left.
    func pump() {
        var progressed = true
        while progressed {
            progressed = drainICE()
            progressed = drainTransport() || progressed
            progressed = drainChannels() || progressed
        }
    }

    @discardableResult
    func drainICE() -> Bool {
        guard ice != nil else { return false }
        var progressed = false
        while let output = ice?.poll() {
            progressed = true
            switch output {
            case let .transmit(datagram): outputs.transmit(datagram)
            case let .event(event): receive(event)
            }
        }
        return progressed
    }

    func setSignalingState(_ state: SignalingState) {
        guard signalingState != state else { return }
        signalingState = state
        outputs.emit(.signalingStateChanged(state))
    }

    func setConnectionState(_ state: PeerConnectionState) {
        guard connectionState != state, connectionState != .closed else { return }
        connectionState = state
        outputs.emit(.connectionStateChanged(state))
    }

    func fail(_ error: PeerConnectionError) {
        guard connectionState != .failed, connectionState != .closed else { return }
        outputs.emit(.failed(error))
        setConnectionState(.failed)
    }
}

/// A type-erased random generator, so the core can keep the one it was given.
struct AnyRandomNumberGenerator: RandomNumberGenerator, Sendable {
    private var base: any RandomNumberGenerator & Sendable

    init(_ base: some RandomNumberGenerator & Sendable) { self.base = base }

    mutating func next() -> UInt64 { base.next() }
}
