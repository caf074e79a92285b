import DataChannels
import DataTransport
import DTLS
import ICE
import SCTP
import Wire

/// ICE below, SCTP over DTLS above: starting the transport and moving records.
extension PeerConnectionCore {
    /// True once ICE has a pair to send on.
    var iceCanSend: Bool {
        guard let ice else { return false }
        return ice.sendingPair != nil && (ice.state == .connected || ice.state == .completed || ice.state == .disconnected)
    }

    func receive(_ event: ICEAgentEvent) {
        switch event {
        case let .candidateGathered(candidate):
            outputs.emit(.localCandidate(CandidateConversion.sdp(candidate)))
        case .gatheringComplete:
            gatheringState = .complete
            outputs.emit(.gatheringStateChanged(.complete))
        case let .stateChanged(state):
            outputs.emit(.iceStateChanged(state))
            switch state {
            case .checking where connectionState == .new: setConnectionState(.connecting)
            case .connected, .completed:
                if connectionState == .disconnected { setConnectionState(dtlsConnected ? .connected : .connecting) }
                startTransportIfReady()
                flushUnsentRecords()
            case .disconnected where connectionState == .connected: setConnectionState(.disconnected)
            case .failed: fail(PeerConnectionError(.localFailure, "ICE failed: no pair works, or consent expired", origin: .peer))
            default: break
            }
        case let .selectedPairChanged(pair):
            outputs.emit(.selectedPairChanged(pair))
            flushUnsentRecords()
        case let .dataReceived(bytes, from, to):
            // RFC 7983: 20-63 is DTLS; ICE already took STUN (0-3), and nothing else is ours.
            guard let first = bytes.first, (20...63).contains(first) else { return }
            let datagram = Datagram(from: from, to: to, payload: bytes)
            if let transport {
                transport.handle(.datagram(datagram, at: now))
            } else {
                startTransportIfReady(force: true)
                if let transport {
                    transport.handle(.datagram(datagram, at: now))
                } else if earlyRecords.count < Self.earlyRecordLimit {
                    earlyRecords.append(datagram)
                }
            }
        case .peerReflexiveLearnt, .checkSent, .pairStateChanged, .pairRemoved, .roleChanged, .dropped:
            break
        }
    }

    /// Creates SCTP-over-DTLS once the DTLS role and the peer's fingerprints are
    /// known and ICE can send (or, `force`, when a DTLS record already arrived:
    /// the peer's ClientHello proves the path works).
    func startTransportIfReady(force: Bool = false) {
        guard transport == nil, !isClosed, let dtlsRole, let remote, force || iceCanSend else { return }
        // DTLS's addresses only label its output: the records leave through ICE's
        // `send` on whatever pair ICE chooses, so placeholders are enough here.
        let placeholder = ice?.sendingPair.map { ($0.local.base, $0.remote.address) }
            ?? (hostAddresses[0], hostAddresses[0])
        var dtlsConfiguration = DTLSConfiguration(
            role: dtlsRole, certificate: certificate, remoteFingerprints: remote.fingerprints,
            localAddress: placeholder.0, remoteAddress: placeholder.1,
            initialRetransmitTimeout: configuration.dtlsInitialRetransmitTimeout,
            keyLogging: configuration.keyLogging)
        // Browsers and aiortc negotiate use_srtp on every DTLS transport (aiortc fails
        // the handshake without a profile), so offer and accept the usual two.
        dtlsConfiguration.srtpProfiles = [.aeadAES128GCM, .aes128CMHMACSHA1_80]
        do {
            let dtls = try DTLSEndpoint(configuration: dtlsConfiguration)
            let sctp = configuration.sctpConfiguration(localPort: 5000, remotePort: remote.sctpPort)
            let transport = try SCTPTransport(dtls: dtls, sctp: sctp)
            // RFC 8841 §6: 0 means "no limit"; an absent attribute was read as 65536.
            transport.association.peerMaxMessageSize = remote.maxMessageSize == 0 ? nil : Int(clamping: remote.maxMessageSize)
            transport.onOutputReady = onOutputReady
            transport.receiveGate = configuration.sctpReceiveGates?.makeGate()
            if receivingPaused { transport.isReceivingPaused = true }
            self.transport = transport
            channels.setRole(dtlsRole == .client ? .client : .server)
            if connectionState == .new { setConnectionState(.connecting) }
            transport.start(at: now)
        } catch {
            fail(PeerConnectionError(.localFailure, "cannot start DTLS/SCTP: \(error)"))
            return
        }
        let early = earlyRecords
        earlyRecords = []
        for datagram in early { transport?.handle(.datagram(datagram, at: now)) }
    }

    @discardableResult
    func drainTransport() -> Bool {
        guard let transport else { return false }
        var progressed = false
        while let output = transport.poll() {
            progressed = true
            switch output {
            case let .transmit(datagram): sendRecord(datagram.payload)
            case let .event(event): receive(event)
            }
        }
        return progressed
    }

    /// DTLS output leaves through ICE, on the pair ICE chose.
    func sendRecord(_ payload: [UInt8]) {
        guard iceCanSend, (try? ice?.send(payload)) != nil else {
            // No valid pair yet (the peer's ClientHello came first): keep it for the
            // pair, a few flights' worth; DTLS retransmits anything beyond that.
            if unsentRecords.count < Self.earlyRecordLimit { unsentRecords.append(payload) }
            return
        }
    }

    func flushUnsentRecords() {
        guard iceCanSend, !unsentRecords.isEmpty else { return }
        let records = unsentRecords
        unsentRecords = []
        for record in records { sendRecord(record) }
    }

    private func receive(_ event: DataTransportEvent) {
        switch event {
        case let .dtls(.connected(info)):
            dtlsConnected = true
            dtlsCipherSuite = info.cipherSuite
            outputs.emit(.dtlsConnected(info))
        case let .dtls(.keyLog(line)):
            outputs.emit(.keyLog(line))
        case let .dtls(.failed(error)):
            fail(PeerConnectionError(.localFailure, "DTLS failed: \(error)", origin: error.origin))
        case .dtls(.closed):
            if connectionState != .closed { channels.transportClosed(at: now) }
        case .dtls(.alert), .dtls(.retransmitted), .dtls(.applicationData):
            break
        case let .sctp(event):
            receive(event)
        case let .failed(error):
            fail(PeerConnectionError(.localFailure, "SCTP over DTLS failed: \(error)"))
        }
    }

    private func receive(_ event: SCTPEvent) {
        switch event {
        case let .associationUp(inbound, outbound), let .associationRestarted(inbound, outbound):
            sctpUp = true
            channels.transportUp(outboundStreams: outbound, inboundStreams: inbound, at: now)
            setConnectionState(.connected)
        case .associationClosed:
            sctpUp = false
            channels.transportClosed(at: now)
            if connectionState != .closed, connectionState != .failed { setConnectionState(.closed) }
        case let .message(message):
            var bytes = message.bytes
            if message.ppid == PayloadProtocolIdentifier.dcep.rawValue, let codec = configuration.dcepOpenCodec {
                guard let decoded = codec.incoming(bytes) else { return }   // refused: the channel never opens
                bytes = decoded
            }
            channels.receive(stream: message.stream, ppid: message.ppid, bytes: bytes, at: now)
        case let .streamReset(reset):
            channels.streamsReset(incoming: reset.direction == .incoming, streams: reset.streams,
                                  succeeded: reset.succeeded, at: now)
        case let .bufferedAmountLow(stream):
            if let stream, let channel = channels.channel(onStream: stream) {
                outputs.emit(.bufferedAmountLow(channel))
            }
        case let .sendFailed(failure):
            // One report per message (SCTP sums a message's fragments first).
            if let channel = channels.channel(onStream: failure.stream) { abandonedMessages[channel, default: 0] += 1 }
        case .peerShutdown, .senderDry, .partialDeliveryAborted, .pathReachability,
             .messageDiscarded, .remoteError:
            break
        }
    }
}
