import STUN
import Wire

/// A full ICE agent (RFC 8445) for one component, sans-IO: a Wire
/// `DatagramEndpoint` that may own several local bases (one bound UDP port
/// each); every datagram it emits names the base it leaves from.
///
/// Life of an agent:
/// 1. `init` forms the host candidates from the configured bases; `start(at:)`
///    reports them (`.candidateGathered`) and asks the STUN servers for
///    server-reflexive ones (§5.1.1.2), then `.gatheringComplete`.
/// 2. The application signals candidates and credentials both ways; remote
///    ones arrive through `setRemoteCredentials`, `addRemoteCandidate` (any
///    time: trickle, RFC 8838) and `endOfRemoteCandidates`.
/// 3. One new check leaves every Ta (§14.2): the nomination first, then
///    triggered checks, then ordinary ones (`ICEChecklist.nextCheck()`).
///    Checks retransmit with the §14.3 RTO; responses are judged by
///    `ICEPendingCheck.judge`; 487 repairs the roles (§7.2.5.1).
/// 4. Regular nomination (§8.1.1): the controlling agent repeats the check of
///    the best valid pair with USE-CANDIDATE once no better pair can still
///    succeed (or after `nominationDelay`); both agents then select that pair.
/// 5. On the selected pair: application data (`send`), Binding-indication
///    keepalives (§11) and consent checks (RFC 7675) whose absence leads to
///    `disconnected`, then `failed`.
/// `restart(credentials:at:)` begins a new generation (§9). With TURN servers
/// configured, relayed candidates are gathered and used too (ICEAgent+Relay);
/// `close(at:)` deletes the allocations.
public struct ICEAgent: DatagramEndpoint {
    /// The events this endpoint reports.
    public typealias Event = ICEAgentEvent

    /// Why a transaction of ours is outstanding.
    enum CheckKind: Sendable { case ordinary, nominating, consent }

    /// A check we sent and still expect an answer to.
    struct InFlight: Sendable {
        var pending: ICEPendingCheck
        /// The checklist pair it checks (for nominations: the key of the valid pair).
        var pairID: Int
        var kind: CheckKind
        var transaction: any ICECheckTransaction
        var datagram: Datagram
        /// A triggered check replaced it (§7.3.1.4): no retransmission, no
        /// failure on timeout, but a success that still arrives counts.
        var cancelled = false
    }

    /// What the agent was configured with.
    public let configuration: ICEAgentConfiguration
    /// Our tie-breaker (§7.1.3).
    public let tieBreaker: UInt64
    /// Our current credentials (new ones after a restart).
    public internal(set) var localCredentials: ICECredentials
    /// The peer's credentials, once signaled.
    public internal(set) var remoteCredentials: ICECredentials?
    /// Our current role (a role conflict may change it).
    public internal(set) var role: ICERole
    /// The overall state.
    public internal(set) var state: ICEAgentState = .new
    /// The checklist of the current generation.
    public internal(set) var checklist: ICEChecklist
    /// The candidates to signal: host, then server-reflexive as they are found.
    public internal(set) var gatheredCandidates: [ICECandidate]
    /// Valid pairs, keyed by the id of the checklist pair whose check produced them.
    public internal(set) var validPairs: [Int: ICECandidatePair] = [:]
    /// The pair data flows over, once one is nominated.
    public internal(set) var selectedPair: ICECandidatePair?
    /// True once the peer signaled end-of-candidates (this generation).
    public internal(set) var remoteEndOfCandidates = false
    /// True once gathering finished (STUN answers and TURN allocations included).
    public internal(set) var isGatheringComplete = false
    /// True once `close(at:)` was called.
    public internal(set) var isClosed = false
    /// The configured `ICEChecklistStrategy`, with what it has learnt so far (nil: the library's rules).
    public internal(set) var checklistStrategy: (any ICEChecklistStrategy)?
    /// The round-trip time of the latest check (or consent check) answered
    /// without a retransmission (W3C RTCIceCandidatePairStats.currentRoundTripTime).
    public internal(set) var latestRoundTripTime: Duration?

    let pacing: ICEPacing
    var random: any RandomNumberGenerator & Sendable
    var foundations = ICEFoundations()
    var outputs = OutputQueue<Event>()
    var now: Instant = .zero
    var started = false
    var hostPreferences: [TransportAddress: UInt16] = [:]
    var inFlight: [TransactionID: InFlight] = [:]
    var gatherers: [STUNClient] = []
    var relays: [Relay] = []
    var lastCheckAt: Instant?
    var firstValidAt: Instant?
    /// A nominated pair exists in this generation: ordinary and triggered checks stop (§8.1.2).
    var nominated = false
    var nominationTarget: Int?
    var nominationInFlight = false
    var nominateOnSuccess: Set<Int> = []
    var learntRemoteCount = 0
    var lastConsentAt: Instant?
    var nextConsentAt: Instant?
    var nextKeepaliveAt: Instant?
    /// The strategy formed its checklist for this generation.
    var strategyFormed = false

    /// Creates an agent and its host candidates. `random` draws the tie-breaker
    /// (unless configured), transaction ids and consent jitter: inject a seeded
    /// generator in tests. A Ta below 5 ms, no base, or a base of the wrong
    /// kind is `.invalidArgument`.
    public init(configuration: ICEAgentConfiguration,
                random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) throws {
        guard !configuration.hostAddresses.isEmpty else {
            throw ICEError(.invalidArgument, "an agent needs at least one host base address")
        }
        guard Set(configuration.hostAddresses).count == configuration.hostAddresses.count else {
            throw ICEError(.invalidArgument, "host base addresses must be distinct")
        }
        var random = random
        self.configuration = configuration
        self.pacing = try ICEPacing(ta: configuration.ta)
        self.tieBreaker = configuration.tieBreaker ?? random.next()
        self.random = random
        self.localCredentials = configuration.credentials
        self.role = configuration.role
        let preferences = ICEHostGathering.localPreferences(for: configuration.hostAddresses.map(\.ip))
        var foundations = ICEFoundations()
        var hosts: [ICECandidate] = []
        for (base, preference) in zip(configuration.hostAddresses, preferences) {
            let priority = try ICECandidatePriority.compute(type: .host, localPreference: preference,
                                                            componentID: configuration.componentID)
            let key = ICEFoundationKey(type: .host, baseIP: base.ip, server: nil)
            hosts.append(ICECandidate(type: .host, address: base, componentID: configuration.componentID,
                                      foundation: foundations.foundation(for: key), priority: priority))
            hostPreferences[base] = preference
        }
        self.foundations = foundations
        self.gatheredCandidates = hosts
        self.checklist = ICEChecklist(local: hosts, remote: [], role: configuration.role)
        self.checklistStrategy = configuration.checklistStrategy
        checklist.unfreezesPairs = configuration.checklistStrategy == nil
    }

    // MARK: - Application API

    /// Starts gathering at `now`: reports the host candidates and sends a
    /// Binding request from every base to every STUN server of its family.
    /// A second call does nothing.
    public mutating func start(at now: Instant) {
        guard !started else { return }
        started = true
        self.now = now
        for candidate in gatheredCandidates { outputs.emit(.candidateGathered(candidate)) }
        startGathering(at: now)
        settle()
    }

    /// Sets the peer's ufrag and password (from its SDP); checks may start.
    public mutating func setRemoteCredentials(_ credentials: ICECredentials, at now: Instant) {
        self.now = max(self.now, now)
        remoteCredentials = credentials
        settle()
    }

    /// Adds a remote candidate, at any time (trickle ICE, RFC 8838 §11): it is
    /// paired with our candidates and its pairs join the checklist Frozen (the
    /// scheduler unfreezes them when nothing else waits). Other components are ignored.
    public mutating func addRemoteCandidate(_ candidate: ICECandidate, at now: Instant) {
        self.now = max(self.now, now)
        guard candidate.componentID == configuration.componentID else { return }
        // The valid list and the selected pair hold copies of their pairs: keep them in step.
        for id in checklist.adoptSignaledIdentity(of: candidate) {
            guard let remote = checklist.pair(id)?.remote else { continue }
            validPairs[id]?.remote = remote
            if selectedPair?.id == id { selectedPair?.remote = remote }
        }
        for id in checklist.addRemoteCandidate(candidate) { emitPairState(id) }
        settle()
    }

    /// The peer signaled end-of-candidates: once every pair failed, the agent fails.
    public mutating func endOfRemoteCandidates(at now: Instant) {
        self.now = max(self.now, now)
        remoteEndOfCandidates = true
        settle()
    }

    /// The pair application data leaves on: the selected pair once nomination
    /// finished, before that the highest-priority valid pair. RFC 8445 §12.1
    /// lets an agent send on a valid pair before one is selected, and WebRTC
    /// needs it: the DTLS handshake starts as soon as ICE is connected, and
    /// the controlled side answers a ClientHello before it learns the nomination.
    public var sendingPair: ICECandidatePair? {
        selectedPair ?? validPairs.values.max { ($0.priority, -$0.id) < ($1.priority, -$1.id) }
    }

    /// Sends application data (DTLS records) over `sendingPair`.
    /// No valid pair yet, or consent expired (RFC 7675 §5.1: stop sending), is `.notConnected`.
    public mutating func send(_ payload: [UInt8]) throws {
        guard let pair = sendingPair, state != .failed, !isClosed else {
            throw ICEError(.notConnected, isClosed ? "the agent is closed"
                           : state == .failed ? "consent expired or ICE failed" : "no pair is valid yet")
        }
        // From a relayed candidate this goes through the TURN client (ChannelData once bound).
        transmit(Datagram(from: pair.local.base, to: pair.remote.address, payload: payload))
        drainRelays()
    }

    /// ICE restart (§9): new local credentials, the remote ones forgotten until
    /// signaled again, the checklist rebuilt from our host and srflx
    /// candidates. The selected pair keeps carrying data (and consent) until
    /// the new generation nominates one.
    public mutating func restart(credentials: ICECredentials, at now: Instant) {
        self.now = max(self.now, now)
        localCredentials = credentials
        remoteCredentials = nil
        remoteEndOfCandidates = false
        checklist = ICEChecklist(local: gatheredCandidates, remote: [], role: role)
        checklist.unfreezesPairs = checklistStrategy == nil
        strategyFormed = false
        validPairs = [:]
        inFlight = inFlight.filter { $0.value.kind == .consent }
        firstValidAt = nil
        lastCheckAt = nil
        nominated = false
        nominationTarget = nil
        nominationInFlight = false
        nominateOnSuccess = []
        if selectedPair == nil || state == .failed { setState(.checking) }
        settle()
    }

    // MARK: - DatagramEndpoint

    /// Feeds a received datagram or the news that time has passed.
    public mutating func handle(_ input: EndpointInput) {
        now = max(now, input.now)
        switch input {
        case let .datagram(datagram, _): receive(datagram)
        case .timeout: advanceTimers()
        }
        settle()
    }

    /// The next datagram to send or event to report; nil when drained.
    public mutating func poll() -> EndpointOutput<Event>? { outputs.pop() }

    /// The earliest of: a check retransmission or give-up, a gathering
    /// transaction, the next Ta slot when a check is waiting, the nomination
    /// deadline, and the keepalive/consent timers of the selected pair.
    public var nextTimeout: Instant? {
        var times = inFlight.values.compactMap { $0.transaction.deadline }
        times += gatherers.compactMap(\.nextTimeout)
        times += relays.compactMap(\.client.nextTimeout)
        if hasCheckWork { times.append(lastCheckAt.map { $0 + pacing.ta } ?? now) }
        if let deadline = nominationDeadline { times.append(deadline) }
        times += consentTimers
        return times.min()
    }

    // MARK: - Helpers shared by the extensions

    mutating func setState(_ next: ICEAgentState) {
        guard next != state else { return }
        state = next
        outputs.emit(.stateChanged(next))
    }

    mutating func emitPairState(_ id: Int) {
        if let pair = checklist.pair(id) { outputs.emit(.pairStateChanged(pairID: id, state: pair.state)) }
    }

    mutating func drop(_ datagram: Datagram, _ reason: String) {
        outputs.emit(.dropped(from: datagram.source, reason: reason))
    }

    /// Runs after every input: time-driven decisions, then at most one new check.
    mutating func settle() {
        guard started else { return }
        evaluateConsent()
        chooseNomination()
        installRelayPermissions()
        formStrategyChecklist()
        runScheduler()
        drainRelays()
        evaluateFailure()
    }
}
