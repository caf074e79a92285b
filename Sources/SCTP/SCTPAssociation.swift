import CUsrsctp
import Wire

/// One SCTP association over one DTLS connection (RFC 8261, RFC 8831 §6), sans-IO
/// towards the caller: SCTP packets in (`handle(packet:)`), packets and events out
/// (`poll()`). Many may live in one process; all share `SCTPRuntime.shared`.
///
/// Driving it: after every call that may change state, drain `poll()` until nil;
/// send each `.transmit` as DTLS application data. Timers run on the runtime's tick
/// thread, which calls `onOutputReady` when they produced output; the driver then
/// drains `poll()` again. Every method is thread-safe.
public final class SCTPAssociation: Sendable {
    /// The AF_CONN id usrsctp knows this association by (unique in the process).
    public let id: UInt32
    /// What the association was created with.
    public let configuration: SCTPConfiguration
    let runtime: SCTPRuntime
    /// Lock order: the runtime's serial section first, then this (see SCTPRuntime).
    let ledger: Locked<AssociationLedger>

    /// Creates the association and its usrsctp socket (bound, options set, not yet connected).
    public init(configuration: SCTPConfiguration = SCTPConfiguration()) throws(SCTPError) {
        try configuration.validate()
        self.configuration = configuration
        runtime = SCTPRuntime.shared
        id = runtime.allocateID()
        var initial = AssociationLedger(outboundStreams: configuration.outboundStreams)
        initial.forwardTSN = ForwardTSNWatch(rtoMin: configuration.rtoMin, rtoMax: configuration.rtoMax,
                                             limit: Int(configuration.maxRetransmissions))
        // A peer silent for a whole retransmission budget at its longest is dead, window or not.
        initial.zeroWindow = ZeroWindowWatch(silence: configuration.rtoMax * Int(configuration.maxRetransmissions))
        ledger = Locked(initial)
        runtime.register(self)
        let socket = try runtime.perform { () throws(SCTPError) -> SCTPSocket in try openSocket() }
        ledger.withLock { $0.socket = socket }
    }

    deinit {
        // No usrsctp call here: deinit may run inside a usrsctp callback (which held
        // the last reference). The runtime closes the socket at its next serial section.
        runtime.unregister(id)
        if let socket = ledger.withLock({ $0.socket }) { runtime.bury(.close(socket, abortive: true)) }
        runtime.bury(.deregister(id))
    }

    // MARK: Lifecycle

    /// Starts the association: sends INIT to `configuration.remotePort`. WebRTC peers
    /// both call this once DTLS is up (neither is the SCTP "server"); the crossing INITs
    /// are resolved by RFC 9260 §5.2.1. Ends with `.associationUp` or `.associationClosed(.cannotStart)`.
    public func connect() throws(SCTPError) {
        try runtime.perform { () throws(SCTPError) in
            let socket = try ledger.withLock { ledger throws(SCTPError) -> SCTPSocket in
                guard ledger.phase == .idle, let socket = ledger.socket else {
                    throw SCTPError(.invalidState, "connect() is allowed once, before anything else (state \(ledger.phase))")
                }
                return socket
            }
            // COMM_UP needs the peer's answer, so no callback can change the phase during this call.
            try connectSocket(socket)
            let early = ledger.withLock { ledger -> [[UInt8]] in
                ledger.phase = .connecting
                defer { ledger.earlyPackets = [] }
                return ledger.earlyPackets
            }
            for packet in early { feedLocked(packet) }
        }
    }

    /// Feeds one SCTP packet that arrived as DTLS application data. Never throws:
    /// a packet too short for the common header, oversized, or arriving after close is
    /// dropped and counted, and so is an INIT or INIT ACK with a parameter shorter than
    /// its header; usrsctp drops bad checksums and malformed chunks itself.
    /// Packets that arrive before `connect()` are held (up to 16) and fed after it.
    public func handle(packet: [UInt8]) {
        // Checked here because usrsctp would hang on it (see hasMalformedInitParameter).
        let malformed = SCTPChunkScan.hasMalformedInitParameter(in: packet)
        let usable = ledger.withLock { ledger -> Bool in
            let usable = packet.count >= SCTPChunkScan.commonHeaderLength && packet.count <= 65_536
                && ledger.socket != nil && !malformed
            guard usable else {
                ledger.statistics.packetsDropped += 1
                return false
            }
            guard ledger.phase != .idle else {
                if ledger.earlyPackets.count < AssociationLedger.earlyPacketLimit {
                    ledger.earlyPackets.append(packet)
                } else {
                    ledger.statistics.packetsDropped += 1
                }
                return false
            }
            return true
        }
        guard usable else { return }
        runtime.perform { feedLocked(packet) }
    }

    /// Hands one packet to usrsctp, then moves queued messages on (in the serial section).
    private func feedLocked(_ packet: [UInt8]) {
        let carriesAbort = SCTPChunkScan.contains(SCTPChunkScan.abort, in: packet)
        let zeroWindow = ledger.withLock { ledger -> ZeroWindowWatch.Action? in
            ledger.statistics.packetsReceived += 1
            ledger.inputCarriesAbort = carriesAbort
            ledger.forwardTSN?.received(packet)
            return ledger.zeroWindow.received(packet, now: .now)
        }
        packet.withUnsafeBytes { raw in
            usrsctp_conninput(SCTPRuntime.address(of: id), raw.baseAddress, raw.count, 0)
        }
        // Read while the flag holds: the COMM_LOST an ABORT raised is read here.
        readReceivedLocked()
        ledger.withLock { $0.inputCarriesAbort = false }
        // After usrsctp read the packet: the ACK that restores the limits has reset its counters.
        if let zeroWindow { applyLocked(zeroWindow) }
        flushLocked()
    }

    /// The next packet to transmit or event to report, or nil when drained.
    public func poll() -> SCTPOutput? {
        ledger.withLock { $0.pop() }
    }

    /// Called on the runtime's tick thread (no lock held) when timers produced output
    /// (retransmissions, SACKs, abandonments, a dead peer...): drain `poll()` soon.
    /// Keep it short: wake your own loop rather than doing the work inside, and capture
    /// the association weakly (it keeps the closure alive).
    public var onOutputReady: (@Sendable () -> Void)? {
        get { ledger.withLock { $0.onOutputReady } }
        set { ledger.withLock { $0.onOutputReady = newValue } }
    }

    /// Begins a graceful shutdown (RFC 9260 §9.2) once queued messages have gone out;
    /// ends with `.associationClosed(.shutdown)`. Later sends throw `.invalidState`.
    ///
    /// Called while still connecting (after `connect()`, before `.associationUp`), it
    /// does not abort the attempt: the state becomes `.shuttingDown` at once, the
    /// association still comes up (`.associationUp` is reported), delivers what was
    /// queued, then shuts down. If it never comes up it ends with
    /// `.associationClosed(.cannotStart)` and queued messages fail as unsent.
    public func shutdown() throws(SCTPError) {
        try runtime.perform { () throws(SCTPError) in
            try ledger.withLock { ledger throws(SCTPError) in
                switch ledger.phase {
                case .connecting, .established: break
                default: throw SCTPError(.invalidState, "shutdown() needs a connecting or established association (state \(ledger.phase))")
                }
                ledger.phase = .shuttingDown
                ledger.shutdownRequested = true
            }
            flushLocked()
        }
    }

    /// Ends the association at once with ABORT (RFC 9260 §9.1): queued data is
    /// reported as `.sendFailed`, then `.associationClosed(.localAbort)`. Idempotent.
    public func abort() {
        runtime.perform { () -> Void in
            // Closed before usrsctp_close, so a notification raised by the close itself
            // finds the association already ended and reports nothing twice.
            guard let socket = ledger.withLock({ ledger -> SCTPSocket? in
                if case .closed = ledger.phase { return nil }
                defer {
                    ledger.socket = nil
                    ledger.phase = .closed(.localAbort)
                }
                return ledger.socket
            }) else { return }
            socket.setLingerAbort()
            usrsctp_close(socket.pointer)   // the ABORT goes out through conn_output, into our queue
            ledger.withLock { ledger in
                ledger.failAllPending()
                ledger.emit(.associationClosed(.localAbort))
            }
        }
    }

    /// Where the association is in its life.
    public var state: SCTPAssociationState { ledger.withLock { $0.phase } }

    /// Counters (messages, bytes, packets, abandonments).
    public var statistics: SCTPStatistics { ledger.withLock { $0.statistics } }
}
