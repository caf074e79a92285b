import Wire

// Messages from the peer: DCEP (PPID 50) opens and acknowledges channels, the other
// WebRTC PPIDs carry the application's messages (RFC 8831 §6.6, §8; RFC 8832 §6).

extension DataChannelRegistry {
    /// An SCTP message arrived on `stream` with `ppid`. DCEP opens or acknowledges
    /// channels; a string or binary message is delivered on its channel. A peer's
    /// mistake never throws: it is reported as `.protocolError`, and a DCEP fault also
    /// closes the channel on that stream (or resets a stream that carries none).
    public mutating func receive(stream: UInt16, ppid: UInt32, bytes: [UInt8], at now: Instant) {
        guard association != nil else {
            emit(.protocolError(nil, .caller(.invalidState, "a message arrived on stream \(stream) before transportUp")))
            return
        }
        let ppid = PayloadProtocolIdentifier(rawValue: ppid)
        if ppid == .dcep {
            receiveDCEP(bytes, on: stream)
        } else {
            receiveData(bytes, ppid: ppid, on: stream)
        }
    }

    private mutating func receiveDCEP(_ bytes: [UInt8], on stream: UInt16) {
        let message: DCEPMessage
        do {
            message = try DCEPMessage(parsing: bytes)
        } catch {
            refuse(stream, error)
            return
        }
        switch message {
        case let .open(open): receiveOpen(open, on: stream)
        case .ack: receiveAck(on: stream)
        }
    }

    /// RFC 8832 §6: a valid OPEN on an unused stream of the peer's parity opens a
    /// channel and is answered by an ACK; any other OPEN closes the stream instead.
    private mutating func receiveOpen(_ open: DataChannelOpen, on stream: UInt16) {
        if channelOnStream[stream] != nil || rejectedStreams[stream] != nil || retiredStreams.contains(stream) {
            refuse(stream, .peer(.streamInUse, "a DATA_CHANNEL_OPEN arrived on stream \(stream), which is in use"))
            return
        }
        guard let association, association.contains(stream) else {
            // SCTP delivered it, so it fits the inbound count; there is no outbound
            // stream to answer or reset on.
            emit(.protocolError(nil, .peer(.streamOutOfRange, "a DATA_CHANNEL_OPEN arrived on stream \(stream), beyond our \(association?.outbound ?? 0) outbound streams")))
            return
        }
        guard let role else {
            emit(.protocolError(nil, .caller(.invalidState, "a DATA_CHANNEL_OPEN arrived on stream \(stream) before setRole")))
            return
        }
        guard role.peer.opens(stream: stream) else {
            refuse(stream, .peer(.wrongParity, "the DTLS \(role.peer.rawValue) opened stream \(stream), but it opens \(role.peer == .client ? "even" : "odd") ids (RFC 8832 §6)"))
            return
        }
        let parameters: DataChannelParameters
        do {
            parameters = try DataChannelParameters(open: open)
        } catch {
            refuse(stream, error)
            return
        }
        let id = makeHandle()
        records[id] = ChannelRecord(parameters: parameters, opener: .remote, stream: stream, phase: .established)
        channelOnStream[stream] = id
        var acknowledges = true
        if let driver = makeDriver(on: stream) {
            records[id]?.driver = driver
            acknowledges = drive(id, .receivedOpen(open))?.sendsAck ?? true
        }
        if acknowledges {
            pending.append(.action(.send(OutboundMessage(stream: stream, ppid: .dcep, bytes: DataChannelAck().bytes))))
        }
        emit(.incoming(id, parameters, stream: stream))
    }

    private mutating func receiveAck(on stream: UInt16) {
        guard let id = channelOnStream[stream], let record = records[id] else {
            if !isBusy(stream) {
                emit(.protocolError(nil, .peer(.unknownStream, "a DATA_CHANNEL_ACK arrived on stream \(stream), which carries no channel")))
            }
            return
        }
        let driven = drive(id, .receivedAck)
        switch (record.opener, record.phase) {
        case (.local, .awaitingAck):
            if let driven, !driven.opens { return }   // the channel's DCEP state machine keeps waiting
            transition(id, to: .established)
            emit(.acknowledged(id))
        case (.local, .established), (.local, .awaitingResets):
            // Late: a data message already stood for it, or the close began first.
            return
        default:
            emit(.protocolError(id, .peer(.unexpectedMessage, "a DATA_CHANNEL_ACK arrived for \(id), which did not send an OPEN; ignored")))
        }
    }

    /// A string or binary message (PPIDs 51-57). The first one on a channel we opened
    /// stands for the ACK (RFC 8832 §6). Text is decoded as a browser's TextDecoder
    /// does: invalid UTF-8 becomes U+FFFD rather than a lost message.
    private mutating func receiveData(_ bytes: [UInt8], ppid: PayloadProtocolIdentifier, on stream: UInt16) {
        guard ppid.isString || ppid.isBinary else {
            emit(.protocolError(channelOnStream[stream], .peer(.unknownPPID, "\(ppid) on stream \(stream) is not a WebRTC PPID; the message is dropped")))
            return
        }
        guard let id = channelOnStream[stream], let record = records[id] else {
            // A refused stream's messages are expected until the peer sees the reset.
            if !isBusy(stream) {
                emit(.protocolError(nil, .peer(.unknownStream, "a message arrived on stream \(stream), which carries no channel; dropped")))
            }
            return
        }
        let driven = drive(id, .receivedData(ppid, bytes))
        switch record.phase {
        case .awaitingAck:
            if driven?.opens ?? true {
                transition(id, to: .established)
                emit(.acknowledged(id))
            }
        case .established:
            break
        case let .awaitingResets(closing) where !closing.incomingDone:
            break   // the peer may send until it resets its own side
        default:
            emit(.protocolError(id, .peer(.unexpectedMessage, "a message arrived on \(id) while it is \(record.phase.publicState.rawValue); dropped")))
            return
        }
        guard let driven else {
            deliver(bytes, ppid: ppid, on: id)
            return
        }
        for case let .deliver(ppid, bytes) in driven where ppid.isString || ppid.isBinary {
            deliver(bytes, ppid: ppid, on: id)
        }
    }

    /// Gives one string or binary message to the application.
    private mutating func deliver(_ bytes: [UInt8], ppid: PayloadProtocolIdentifier, on id: DataChannelID) {
        if ppid.isDeprecated, records[id]?.reportedDeprecated.insert(ppid).inserted == true {
            emit(.deprecatedPPID(id, ppid))
        }
        let message: DataChannelMessage
        switch ppid {
        case .stringEmpty: message = .text("")
        case .binaryEmpty: message = .binary([])
        case .string, .stringPartial: message = .text(String(decoding: bytes, as: UTF8.self))
        default: message = .binary(bytes)
        }
        emit(.message(id, message))
    }

    /// A DCEP fault on `stream`: reported, and the channel there (or, without one, our
    /// side of the stream) is closed. Only that channel: the association goes on.
    private mutating func refuse(_ stream: UInt16, _ error: DataChannelError) {
        if let id = channelOnStream[stream] {
            emit(.protocolError(id, error))
            startClosing(id)
        } else {
            emit(.protocolError(nil, error))
            rejectStream(stream)
        }
    }
}
