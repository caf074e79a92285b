import SCTP
import Wire

/// The ledger half: hostile sequences of receive pieces and hostile transmitted
/// packets against a fresh `AssociationLedger`, compared with what must come out.
extension FuzzTarget {
    /// The largest message the reassembly ledger accepts here: small, so that inputs
    /// of a few hundred bytes reach the discard paths too.
    static let ledgerMaxMessageSize = 300

    /// Reads the input as receive-callback pieces and checks the ledger's events
    /// against a plain model: a message is the concatenation of its pieces up to the
    /// end of record, delivered whole when it fits and reported discarded (with its
    /// full size) when it does not; an aborted partial delivery forgets both halves
    /// (ordered and unordered) of its stream.
    ///
    /// Each piece: one control byte `c`, then (unless `c & 0x10`, an aborted partial
    /// delivery of stream `c & 3`) a length byte and up to that many bytes. Stream
    /// `c & 3`, unordered `c & 4`, end of record `c & 8`, PPID `c`.
    static func checkReassembly(_ bytes: [UInt8]) {
        var ledger = AssociationLedger(outboundStreams: 4)
        var expected: [SCTPEvent] = []
        var partial: [UInt32: (bytes: [UInt8], total: Int)] = [:]
        var reader = ByteReader(bytes)
        while let control = try? reader.readUInt8() {
            let stream = UInt16(control & 3)
            if control & 0x10 != 0 {
                ledger.abortPartialDelivery(stream: stream)
                partial[UInt32(stream) << 1] = nil
                partial[UInt32(stream) << 1 | 1] = nil
                expected.append(.partialDeliveryAborted(stream: stream))
                continue
            }
            guard let length = try? reader.readUInt8() else { break }
            let piece = (try? reader.readBytes(min(Int(length), reader.remaining))) ?? []
            let unordered = control & 4 != 0, endOfRecord = control & 8 != 0
            piece.withUnsafeBytes { raw in
                ledger.receive(raw, stream: stream, ppid: UInt32(control), unordered: unordered,
                               endOfRecord: endOfRecord, maxMessageSize: ledgerMaxMessageSize)
            }
            let key = UInt32(stream) << 1 | (unordered ? 1 : 0)
            var message = partial[key] ?? ([], 0)
            message.total += piece.count
            if message.total <= ledgerMaxMessageSize { message.bytes += piece }
            guard endOfRecord else {
                partial[key] = message
                continue
            }
            partial[key] = nil
            expected.append(message.total <= ledgerMaxMessageSize
                ? .message(SCTPMessage(stream: stream, ppid: UInt32(control), bytes: message.bytes, unordered: unordered))
                : .messageDiscarded(stream: stream, byteCount: message.total))
        }
        var events: [SCTPEvent] = []
        while let output = ledger.pop() {
            guard case let .event(event) = output else { fatalError("the ledger queued a packet while receiving") }
            events.append(event)
        }
        guard events == expected else {
            fatalError("reassembly produced \(events), expected \(expected): \(Hex.encode(bytes))")
        }
    }

    /// Reads the input as a packet usrsctp transmitted: the buffered amounts only go
    /// down, stay consistent with their total, and reach zero when the association ends.
    static func checkTransmitAccounting(_ bytes: [UInt8]) {
        var ledger = AssociationLedger(outboundStreams: 4)
        for stream: UInt16 in 0..<4 {
            ledger.enqueue(.init(bytes: [UInt8](repeating: 0, count: 100 * Int(stream + 1)), stream: stream, ppid: 0,
                                 options: SCTPSendOptions()))
            ledger.streamThresholds[stream] = 50
        }
        ledger.associationThreshold = 500
        func consistent(atMost limit: Int) -> Bool {
            ledger.bufferedTotal == ledger.buffered.values.reduce(0, +) && ledger.buffered.values.allSatisfy { $0 > 0 }
                && ledger.bufferedTotal <= limit
        }
        ledger.accountTransmission(bytes)
        let afterFirst = ledger.bufferedTotal
        ledger.accountTransmission(bytes)   // a retransmission
        guard consistent(atMost: afterFirst) else {
            fatalError("buffered amounts inconsistent after accounting: \(Hex.encode(bytes))")
        }
        ledger.failAllPending()
        guard ledger.bufferedTotal == 0, ledger.buffered.isEmpty else {
            fatalError("buffered amounts left after the association ended: \(Hex.encode(bytes))")
        }
    }
}
