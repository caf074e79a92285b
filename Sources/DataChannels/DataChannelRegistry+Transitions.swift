// The registry's one place for state changes (h11's rule): every phase change goes
// through `transition`, which reports the W3C state it implies and frees the stream
// of a closed channel; stream ids are handed out by `freeStream` only.

extension DataChannelRegistry {
    /// Moves `id` to `phase`, reports a change of W3C state, and forgets a closed channel
    /// (its stream id is free again unless retired).
    mutating func transition(_ id: DataChannelID, to phase: ChannelPhase) {
        guard var record = records[id] else { return }
        let before = record.phase.publicState
        if phase == .closed {
            records[id] = nil
            if let stream = record.stream, channelOnStream[stream] == id { channelOnStream[stream] = nil }
        } else {
            record.phase = phase
            records[id] = record
        }
        if phase.publicState != before { emit(.stateChanged(id, phase.publicState)) }
    }

    /// Reports why `id` could not open and closes it (it never reached the peer).
    mutating func fail(_ id: DataChannelID, _ error: DataChannelError) {
        emit(.protocolError(id, error))
        transition(id, to: .closed)
    }

    /// Queues an event for the application.
    mutating func emit(_ event: DataChannelEvent) { pending.append(.action(.event(event))) }

    /// A new handle.
    mutating func makeHandle() -> DataChannelID {
        defer { nextHandle += 1 }
        return DataChannelID(rawValue: nextHandle)
    }

    /// True when `stream` carries a channel, is being closed after a refused OPEN, or is retired.
    func isBusy(_ stream: UInt16) -> Bool {
        channelOnStream[stream] != nil || rejectedStreams[stream] != nil || retiredStreams.contains(stream)
    }

    /// The lowest free stream id of `role`'s parity that fits the association both ways.
    func freeStream(for role: DataChannelDTLSRole, in association: AssociationStreams) -> UInt16? {
        let limit = Int(min(association.outbound, association.inbound))
        for candidate in stride(from: role == .client ? 0 : 1, to: limit, by: 2) where !isBusy(UInt16(candidate)) {
            return UInt16(candidate)
        }
        return nil
    }

    /// Gives the channels that wait for a stream id one, in creation order, and queues
    /// their OPENs; possible once both the role and the association are known.
    mutating func assignWaitingStreams() {
        guard let role, let association else { return }
        for id in records.keys.sorted() {
            guard let record = records[id], record.opener == .local, record.phase == .awaitingTransport else { continue }
            guard let stream = freeStream(for: role, in: association) else {
                fail(id, .caller(.noStreamAvailable, "no free \(role == .client ? "even" : "odd") stream id below \(min(association.outbound, association.inbound)) for \(id)"))
                continue
            }
            records[id]?.stream = stream
            channelOnStream[stream] = id
            queueOpen(id, on: stream)
        }
    }

    /// Queues our OPEN for `id`, followed by the marker that opens the channel once
    /// `poll()` has handed the OPEN out. DCEP is always ordered and reliable (RFC 8832 §6).
    mutating func queueOpen(_ id: DataChannelID, on stream: UInt16) {
        guard let record = records[id] else { return }
        var open = record.parameters.openMessage
        if let driver = makeDriver(on: stream) {
            records[id]?.driver = driver
            guard let chosen = drive(id, .openRequested(open))?.openToSend else {
                fail(id, .caller(.invalidState, "the DCEP state machine of \(id) did not send its DATA_CHANNEL_OPEN"))
                return
            }
            open = chosen
        }
        records[id]?.phase = .awaitingOpenSent
        pending.append(.action(.send(OutboundMessage(stream: stream, ppid: .dcep, bytes: open.bytes))))
        pending.append(.openSent(id))
    }

    /// Takes back an OPEN that `poll()` has not handed out yet.
    mutating func withdrawOpen(_ id: DataChannelID) {
        guard let stream = records[id]?.stream else { return }
        pending.removeAll { item in
            switch item {
            case let .openSent(other): return other == id
            case let .action(.send(message)): return message.stream == stream && message.ppid == .dcep
            default: return false
            }
        }
    }

    /// The closing procedure (RFC 8831 §6.7) for one channel: reset our outgoing stream
    /// and wait for both directions. A channel whose OPEN never left closes at once.
    mutating func startClosing(_ id: DataChannelID) {
        guard let record = records[id] else { return }
        switch record.phase {
        case .awaitingTransport, .awaitingOpenSent:
            withdrawOpen(id)
            emit(.stateChanged(id, .closing))
            transition(id, to: .closed)
        case .awaitingAck, .established:
            guard let stream = record.stream else { return }
            pending.append(.action(.resetStreams([stream])))
            transition(id, to: .awaitingResets(StreamClosing()))
        case .awaitingResets, .closed:
            return
        }
    }

    /// Records progress on closing `id`'s stream; closes the channel once both ways are reset.
    mutating func advance(_ id: DataChannelID, _ closing: StreamClosing) {
        transition(id, to: closing.isComplete ? .closed : .awaitingResets(closing))
    }

    /// Refuses the peer's use of a stream that carries no channel (RFC 8832 §6: a bad
    /// OPEN is answered by closing the stream, never by an ACK): resets our side of it
    /// and keeps the id busy until the peer has reset its side too.
    mutating func rejectStream(_ stream: UInt16) {
        guard let association, association.contains(stream), !isBusy(stream) else { return }
        rejectedStreams[stream] = StreamClosing()
        pending.append(.action(.resetStreams([stream])))
    }
}
