import DTLS
import SCTP
import Wire

/// SCTP over DTLS as one sans-IO endpoint: datagrams and the time in, datagrams
/// and merged DTLS + SCTP events out (see DataTransport.swift for the design).
///
/// ```swift
/// let transport = try SCTPTransport(dtls: DTLSEndpoint(configuration: dtlsConfig))
/// transport.start(at: now)                         // DTLS client sends its ClientHello
/// transport.handle(.datagram(received, at: now))   // then drain poll()
/// while let output = transport.poll() { ... }      // .transmit(datagram) / .event(.sctp(.message(...)))
/// try transport.send(bytes, stream: 0, ppid: 51)   // once .sctp(.associationUp) was reported
/// ```
///
/// Not thread-safe: drive it from one thread. Only `onOutputReady` is called
/// from elsewhere (the SCTP runtime's timer thread), and it only signals.
public final class SCTPTransport: DatagramEndpoint {
    /// DTLS and SCTP events, merged.
    public typealias Event = DataTransportEvent

    /// The DTLS layer (its configuration names the addresses and the MTU).
    public let dtls: DTLSEndpoint
    /// The SCTP layer, created with the transport; `connect()` is called once DTLS is up.
    public let association: SCTPAssociation
    /// How often `nextTimeout` asks to be polled while the association lives, to
    /// pick up output the SCTP runtime's timer thread produced. usrsctp itself
    /// ticks every ~10 ms, so polling faster gains nothing.
    public var sctpPollInterval: Duration = .milliseconds(10)
    /// A second receiver that decides which of usrsctp's messages the application
    /// sees (the lab's exercise 12 hook, see `SCTPReceiveGate`); nil: all of them.
    /// Set it before the first datagram.
    public var receiveGate: (any SCTPReceiveGate)?
    /// SCTP packets DTLS could not carry (the association treats them as lost).
    public private(set) var undeliverablePacketCount = 0

    private var outputs = OutputQueue<DataTransportEvent>()
    private var lastNow = Instant.zero
    private var sctpStarted = false
    private var sctpEnded = false
    private var dtlsEnded = false
    /// `close()` was called: DTLS closes once SCTP's SHUTDOWN completes.
    private var closing = false

    /// Pairs `dtls` with a new association configured by `sctp`.
    /// - Throws: `.invalidConfiguration` when SCTP packets (`sctp.pathMTU`) could not
    ///   fit one DTLS record of a `dtls.configuration.mtu`-byte datagram, or SCTP
    ///   refuses `sctp` (its reason is kept); `.sctpUnavailable` when the SCTP
    ///   runtime cannot create the association.
    public init(dtls: DTLSEndpoint, sctp: SCTPConfiguration = SCTPConfiguration()) throws(DataTransportError) {
        // The costliest record among the suites DTLSEndpoint offers is AES-CBC with
        // SHA-1: 13 header + 16 IV + 20 MAC + up to 16 padding bytes. The exact limit
        // is checked again once the cipher suite is known (`startSCTP`).
        let recordOverhead = 65
        // Subtracted on the DTLS side: `sctp.pathMTU` is caller input and `Int.max + 65`
        // would trap before SCTP's own validation could refuse it.
        guard sctp.pathMTU <= dtls.configuration.mtu - recordOverhead else {
            throw DataTransportError(.invalidConfiguration,
                "SCTP path MTU \(sctp.pathMTU) + \(recordOverhead) bytes of DTLS record overhead exceeds the DTLS MTU \(dtls.configuration.mtu)")
        }
        self.dtls = dtls
        do {
            association = try SCTPAssociation(configuration: sctp)
        } catch {
            let code: DataTransportError.Code = error.code == .invalidArgument ? .invalidConfiguration : .sctpUnavailable
            throw DataTransportError(code, "cannot create the SCTP association: \(error.reason)", sctpError: error)
        }
    }

    /// Called on the SCTP runtime's timer thread when SCTP produced output between
    /// two calls (a retransmission, an abandonment, a heartbeat): wake the driver
    /// so it calls `poll()`. It must only signal; never call the transport from it.
    public var onOutputReady: (@Sendable () -> Void)? {
        get { association.onOutputReady }
        set { association.onOutputReady = newValue }
    }

    // MARK: - DatagramEndpoint

    /// Starts the DTLS handshake (a client sends its ClientHello); SCTP follows
    /// on its own once DTLS is connected.
    public func start(at now: Instant) {
        lastNow = now
        dtls.start(at: now)
        pump()
    }

    /// Feeds a received datagram (to DTLS, then its records to SCTP) or the time.
    public func handle(_ input: EndpointInput) {
        lastNow = input.now
        switch input {
        case .datagram:
            dtls.handle(input)
        case let .timeout(now):
            if let due = dtls.nextTimeout, due <= now { dtls.handle(input) }
        }
        pump()
    }

    /// The next datagram or event; nil when drained. Also collects what the SCTP
    /// timer thread produced since the last call.
    public func poll() -> EndpointOutput<DataTransportEvent>? {
        if outputs.isEmpty { pump() }
        return outputs.pop()
    }

    /// The earlier of DTLS's timer and the next SCTP poll (while SCTP runs).
    public var nextTimeout: Instant? {
        let sctpPoll = sctpStarted && !sctpEnded ? lastNow + sctpPollInterval : nil
        switch (dtls.nextTimeout, sctpPoll) {
        case let (a?, b?): return min(a, b)
        case let (a, b): return a ?? b
        }
    }

    // MARK: - Application API

    /// True once the association is up and until it closes.
    public var isEstablished: Bool { sctpStarted && !sctpEnded && association.state == .established }

    /// Sends one message on `stream` (see `SCTPAssociation.send` for the options).
    /// Drain `poll()` afterwards: the first packets are ready at once. Between DTLS
    /// connecting and `.associationUp` the message is accepted and waits in SCTP's queue.
    /// (To match `.sendFailed` reports to messages, send through `association.send`,
    /// which returns the id a report carries as `messageID`.)
    /// - Throws: `.notConnected` before DTLS connected (SCTP not started) or after the association closed;
    ///   `.sctpRefused` with SCTP's reason (message too large, buffer full, stream
    ///   resetting...).
    public func send(_ bytes: [UInt8], stream: UInt16, ppid: UInt32,
                     options: SCTPSendOptions = SCTPSendOptions()) throws(DataTransportError) {
        guard sctpStarted, !sctpEnded else {
            throw DataTransportError(.notConnected, "the SCTP association is not up (DTLS connected: \(dtls.isConnected))")
        }
        do {
            try association.send(bytes, stream: stream, ppid: ppid, options: options)
        } catch {
            throw DataTransportError(.sctpRefused, error.reason, sctpError: error)
        }
        pump()
    }

    /// Receive back-pressure: while paused no `.message` is reported; what arrives waits
    /// in SCTP's receive buffer, whose free space is the window the peer may fill, so a
    /// receiver that stops reading stops the sender (its `bufferedAmount` grows) instead
    /// of growing memory. See `SCTPAssociation.pauseReceiving()`.
    public var isReceivingPaused: Bool {
        get { association.isReceivingPaused }
        set {
            if newValue {
                association.pauseReceiving()
            } else {
                association.resumeReceiving()
                pump()   // what waited, and the window update, are ready at once
            }
        }
    }

    /// Closes gracefully: SCTP SHUTDOWN after the queued data, then DTLS close_notify.
    public func close() {
        closing = true
        if sctpStarted, !sctpEnded, (try? association.shutdown()) != nil {
            pump()
            return
        }
        closeDTLS()
    }

    /// Ends both layers now: SCTP ABORT, then DTLS close_notify.
    public func abort() {
        if !sctpEnded {
            association.abort()
            pump()
        }
        closeDTLS()
    }

    // MARK: - Moving data between the layers

    /// Runs both layers until neither has anything left: DTLS output goes out or
    /// feeds SCTP; SCTP packets go into DTLS, whose records go out.
    private func pump() {
        var progressed = true
        while progressed {
            progressed = false
            while let output = dtls.poll() {
                progressed = true
                switch output {
                case let .transmit(datagram): outputs.transmit(datagram)
                case let .event(event): receive(event)
                }
            }
            while let output = association.poll() {
                progressed = true
                switch output {
                case let .transmit(packet): carry(packet)
                case let .event(event): receive(event)
                }
            }
        }
    }

    private func receive(_ event: DTLSEvent) {
        switch event {
        case .applicationData(let packet):
            guard sctpStarted, !sctpEnded else { return }
            if let gate = receiveGate {
                for message in gate.packetArrived(packet) { outputs.emit(.sctp(.message(message))) }
            }
            association.handle(packet: packet)
        case .connected:
            outputs.emit(.dtls(event))
            startSCTP()
        case .closed, .failed:
            dtlsEnded = true
            outputs.emit(.dtls(event))
            // Nothing reaches the peer any more: end SCTP here instead of letting it time out.
            if sctpStarted, !sctpEnded { association.abort() }
        case .alert, .keyLog, .retransmitted:
            outputs.emit(.dtls(event))
        }
    }

    private func receive(_ event: SCTPEvent) {
        if let gate = receiveGate, case let .message(message) = event {
            for released in gate.usrsctpDelivered(message) { outputs.emit(.sctp(.message(released))) }
            return
        }
        if case .associationClosed = event {
            sctpEnded = true
            if closing { closeDTLS() }
        }
        outputs.emit(.sctp(event))
    }

    /// Sends one SCTP packet as one DTLS record (RFC 8261 §3).
    private func carry(_ packet: [UInt8]) {
        guard dtls.isConnected else {
            undeliverablePacketCount += 1
            return
        }
        do {
            try dtls.send(packet)
        } catch {
            undeliverablePacketCount += 1
        }
    }

    private func startSCTP() {
        guard !sctpStarted else { return }
        let room = dtls.maximumApplicationDataSize
        guard association.configuration.pathMTU <= room else {
            fail(DataTransportError(.invalidConfiguration,
                "SCTP path MTU \(association.configuration.pathMTU) exceeds the \(room) bytes one DTLS record can carry"))
            return
        }
        sctpStarted = true
        do {
            try association.connect()
        } catch {
            fail(DataTransportError(.sctpUnavailable, "SCTP cannot connect: \(error)", sctpError: error))
        }
    }

    private func fail(_ error: DataTransportError) {
        outputs.emit(.failed(error))
        if !sctpEnded { association.abort() }
        sctpEnded = true
        closeDTLS()
    }

    private func closeDTLS() {
        guard !dtlsEnded else { return }
        dtlsEnded = true
        dtls.close()
    }
}
