import CUsrsctp
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// What usrsctp's callbacks (and what `readReceivedLocked` reads) do to an association.
// They run inside the runtime's serial section: they only update the ledger, never call
// usrsctp, and park sockets to close in the runtime's graveyard.
extension SCTPAssociation {
    /// conn_output landed a packet for this association.
    func queueTransmit(_ packet: [UInt8]) {
        ledger.withLock { ledger in
            ledger.accountTransmission(packet)
            ledger.append(.transmit(packet))
        }
    }

    /// Queues the FORWARD-TSN repeat that is due, if any (from the tick; see ForwardTSNWatch).
    /// Not through `accountTransmission`: a repeat must not restart its own timer.
    func repeatForwardTSN(now: ContinuousClock.Instant) {
        ledger.withLock { ledger in
            guard ledger.phase == .established || ledger.phase == .shuttingDown,
                  let packet = ledger.forwardTSN?.repeatIfDue(now: now) else { return }
            ledger.statistics.packetsSent += 1
            ledger.append(.transmit(packet))
        }
    }

    /// Tells the owner that output appeared off its thread (from the tick).
    func wakeIfOutputArrived() {
        let callback = ledger.withLock { ledger -> (@Sendable () -> Void)? in
            guard ledger.outputArrived else { return nil }
            ledger.outputArrived = false
            return ledger.onOutputReady
        }
        callback?()
    }

    /// Turns one notification into events and state changes.
    package func apply(_ notification: SCTPNotification) {
        ledger.withLock { ledger in
            switch notification {
            case let .associationChange(state, _, outbound, inbound):
                switch Int32(state) {
                case SCTP_COMM_UP:
                    ledger.outboundStreams = outbound
                    ledger.hasBeenUp = true
                    if ledger.phase == .connecting || ledger.phase == .idle { ledger.phase = .established }
                    ledger.emit(.associationUp(inboundStreams: inbound, outboundStreams: outbound))
                case SCTP_RESTART:
                    ledger.outboundStreams = outbound
                    // The restarted association numbers its DATA from a fresh random
                    // initial TSN (RFC 9260 §5.2.4): half of those compare as "older" than
                    // the last TSN seen and would never leave the buffered amount.
                    ledger.highestTSN = nil
                    ledger.forwardTSN?.forget()
                    ledger.zeroWindow.forget()
                    ledger.emit(.associationRestarted(inboundStreams: inbound, outboundStreams: outbound))
                case SCTP_COMM_LOST:
                    close(&ledger, ledger.inputCarriesAbort ? .peerAborted : .peerUnreachable)
                case SCTP_SHUTDOWN_COMP:
                    close(&ledger, .shutdown)
                case SCTP_CANT_STR_ASSOC:
                    close(&ledger, .cannotStart)
                default:
                    break
                }
            case let .peerAddressChange(state):
                // Only transitions are news: usrsctp also says ADDR_CONFIRMED (and may say
                // ADDR_AVAILABLE) for a path that was never lost, at every set-up.
                if state == UInt32(SCTP_ADDR_UNREACHABLE), !ledger.pathUnreachable {
                    ledger.pathUnreachable = true
                    ledger.emit(.pathReachability(reachable: false))
                }
                if state == UInt32(SCTP_ADDR_AVAILABLE) || state == UInt32(SCTP_ADDR_CONFIRMED), ledger.pathUnreachable {
                    ledger.pathUnreachable = false
                    ledger.emit(.pathReachability(reachable: true))
                }
            case let .remoteError(cause):
                ledger.emit(.remoteError(cause: cause))
            case let .sendFailed(flags, stream, ppid, length, context):
                ledger.reportFragmentFailure(SCTPSendFailure(stream: stream, ppid: ppid, byteCount: length,
                                                             wasTransmitted: flags & UInt16(SCTP_DATA_SENT) != 0,
                                                             messageID: context),
                                             context: context)
            case .shutdown:
                if ledger.phase == .established { ledger.phase = .shuttingDown }
                ledger.emit(.peerShutdown)
            case let .partialDelivery(indication, stream):
                if indication == UInt32(SCTP_PARTIAL_DELIVERY_ABORTED) {
                    ledger.abortPartialDelivery(stream: UInt16(truncatingIfNeeded: stream))
                }
            case .senderDry:
                ledger.senderDry()
            case let .streamReset(flags, streams):
                let failed = flags & UInt16(SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED) != 0
                if flags & UInt16(SCTP_STREAM_RESET_OUTGOING_SSN) != 0 {
                    // Success or not, the request is over: the ids may be used again.
                    if streams.isEmpty { ledger.resetting.removeAll() } else { ledger.resetting.subtract(streams) }
                    ledger.emit(.streamReset(SCTPStreamReset(direction: .outgoing, streams: streams, succeeded: !failed)))
                }
                if flags & UInt16(SCTP_STREAM_RESET_INCOMING_SSN) != 0 {
                    ledger.emit(.streamReset(SCTPStreamReset(direction: .incoming, streams: streams, succeeded: !failed)))
                }
            case .other:
                break
            }
        }
    }

    /// The association ended: fail what is queued, report, and park the socket.
    private func close(_ ledger: inout AssociationLedger, _ reason: SCTPCloseReason) {
        if case .closed = ledger.phase { return }
        ledger.phase = .closed(reason)
        ledger.failAllPending()
        ledger.resetting.removeAll()
        ledger.resetWaiting.removeAll()
        ledger.emit(.associationClosed(reason))
        if let socket = ledger.socket {
            ledger.socket = nil
            runtime.bury(.close(socket, abortive: false))
        }
    }
}
