import Wire

// Stream resets (RFC 8831 §6.7, RFC 6525): each side resets its outgoing stream and
// a channel is closed when both directions are; the peer's reset is answered with
// ours. A refused reset of ours is asked again, then the stream id is retired.

extension DataChannelRegistry {
    /// SCTP finished a stream reset. `incoming`: the peer reset its outgoing streams
    /// (our incoming ones), so their channels start closing and we reset our side in
    /// turn. Otherwise our own request finished (`succeeded` false: refused, asked
    /// again up to `maximumResetAttempts` times). An empty list means every stream.
    public mutating func streamsReset(incoming: Bool, streams: [UInt16], succeeded: Bool, at now: Instant) {
        let affected = streams.isEmpty ? Set(channelOnStream.keys).union(rejectedStreams.keys).sorted() : streams
        if incoming {
            if succeeded { peerReset(affected) }
        } else {
            ourResetFinished(affected, succeeded: succeeded)
        }
    }

    private mutating func peerReset(_ streams: [UInt16]) {
        var answer: [UInt16] = [], closing: [DataChannelID] = []
        for stream in streams {
            if let id = channelOnStream[stream], let record = records[id] {
                switch record.phase {
                case .awaitingAck, .established:
                    // With a DCEP state machine hook, ours is reset only if it says so.
                    if drive(id, .incomingStreamReset)?.resetsOutgoingStream ?? true { answer.append(stream) }
                    closing.append(id)
                case var .awaitingResets(progress):
                    _ = drive(id, .incomingStreamReset)
                    progress.incomingDone = true
                    advance(id, progress)
                case .awaitingOpenSent:
                    // Our OPEN has not left: nothing of ours to reset.
                    startClosing(id)
                case .awaitingTransport, .closed:
                    break
                }
            } else if var progress = rejectedStreams[stream] {
                progress.incomingDone = true
                rejectedStreams[stream] = progress.isComplete ? nil : progress
            }
        }
        if !answer.isEmpty { pending.append(.action(.resetStreams(answer))) }
        for id in closing { transition(id, to: .awaitingResets(StreamClosing(incomingDone: true))) }
    }

    private mutating func ourResetFinished(_ streams: [UInt16], succeeded: Bool) {
        var retry: [UInt16] = []
        for stream in streams {
            if let id = channelOnStream[stream], case var .awaitingResets(progress)? = records[id]?.phase, !progress.outgoingDone {
                if succeeded {
                    _ = drive(id, .outgoingResetDone)
                    progress.outgoingDone = true
                    advance(id, progress)
                } else if progress.outgoingAttempts < Self.maximumResetAttempts {
                    progress.outgoingAttempts += 1
                    retry.append(stream)
                    advance(id, progress)
                } else {
                    retiredStreams.insert(stream)
                    emit(.protocolError(id, retirement(of: stream)))
                    transition(id, to: .closed)
                }
            } else if var progress = rejectedStreams[stream], !progress.outgoingDone {
                if succeeded {
                    progress.outgoingDone = true
                    rejectedStreams[stream] = progress.isComplete ? nil : progress
                } else if progress.outgoingAttempts < Self.maximumResetAttempts {
                    progress.outgoingAttempts += 1
                    rejectedStreams[stream] = progress
                    retry.append(stream)
                } else {
                    rejectedStreams[stream] = nil
                    retiredStreams.insert(stream)
                    emit(.protocolError(nil, retirement(of: stream)))
                }
            }
        }
        if !retry.isEmpty { pending.append(.action(.resetStreams(retry))) }
    }

    private func retirement(of stream: UInt16) -> DataChannelError {
        .peer(.resetFailed, "the reset of stream \(stream) was refused \(Self.maximumResetAttempts) times; the id is retired for this association")
    }
}
