import CUsrsctp
import Testing
@testable import SCTP

/// Review fixes: bounded FIFO storage, overflow-safe timers, TSN accounting across a restart.
@Suite("Ledger robustness")
struct LedgerRobustnessTests {
    /// One DATA chunk (RFC 9260 §3.3.1) in a packet; the checksum is irrelevant to the scan.
    private func dataPacket(tsn: UInt32, stream: UInt16, payload: Int) -> [UInt8] {
        func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)] }
        let length = UInt16(16 + payload)
        var packet = [UInt8](repeating: 0, count: 12)
        packet += [SCTPChunkScan.data, 0x03, UInt8(length >> 8), UInt8(truncatingIfNeeded: length)]
        packet += be32(tsn) + [UInt8(stream >> 8), UInt8(truncatingIfNeeded: stream), 0, 0] + be32(51)
        packet += [UInt8](repeating: 0xAB, count: payload)
        return packet + [UInt8](repeating: 0, count: (4 - payload % 4) % 4)
    }

    @Test("a send queue that never runs dry does not keep the messages it already handed on")
    func sendQueueStorageStaysBounded() {
        var ledger = AssociationLedger(outboundStreams: 1)
        func message(_ n: Int) -> AssociationLedger.PendingMessage {
            .init(bytes: [UInt8](repeating: 7, count: 1024), stream: 0, ppid: UInt32(n), options: SCTPSendOptions())
        }
        ledger.enqueue(message(0))
        for n in 1...10_000 {
            ledger.enqueue(message(n))
            #expect(ledger.peekPending()?.ppid == UInt32(n - 1))
            ledger.dropFirstPending()
        }
        #expect(ledger.peekPending()?.ppid == 10_000)
        #expect(ledger.pendingStorageCount <= 2 * AssociationLedger.compactionMinimum)
    }

    @Test("an output FIFO polled one behind never empties yet stays small, in order")
    func outputStorageStaysBounded() {
        var ledger = AssociationLedger(outboundStreams: 1)
        ledger.emit(.senderDry)
        var popped = 0
        for n in 0..<10_000 {
            ledger.append(.transmit([UInt8(truncatingIfNeeded: n)]))
            if ledger.pop() != nil { popped += 1 }
        }
        #expect(popped == 10_000)
        #expect(ledger.outputStorageCount <= 2 * AssociationLedger.compactionMinimum)
        #expect(ledger.pop() == .transmit([UInt8(truncatingIfNeeded: 9_999)]))
        #expect(ledger.pop() == nil)
    }

    @Test("absurd timer durations clamp to usrsctp's range instead of trapping")
    func hugeDurationsClamp() throws {
        #expect(Duration.seconds(Int64.max).milliseconds == UInt32.max)
        #expect(Duration.seconds(Int64.min).milliseconds == 0)
        #expect(Duration.milliseconds(1_500).milliseconds == 1_500)
        try SCTPConfiguration(rtoMax: .seconds(Int64.max), heartbeatInterval: .seconds(Int64.max)).validate()
        #expect(throws: SCTPError.self) { try SCTPConfiguration(rtoMin: .seconds(Int64.min)).validate() }
    }

    @Test("after a restart, DATA numbered below the old association's TSNs still leaves the buffered amount")
    func restartResetsTSNAccounting() throws {
        let association = try SCTPAssociation()
        association.ledger.withLock { ledger in
            ledger.enqueue(.init(bytes: [UInt8](repeating: 1, count: 100), stream: 2, ppid: 51, options: SCTPSendOptions()))
            ledger.accountTransmission(dataPacket(tsn: 1_000_000, stream: 2, payload: 40))
        }
        #expect(association.bufferedAmount(stream: 2) == 60)
        association.apply(.associationChange(state: UInt16(SCTP_RESTART), error: 0, outboundStreams: 16, inboundStreams: 16))
        association.ledger.withLock { $0.accountTransmission(dataPacket(tsn: 5, stream: 2, payload: 60)) }
        #expect(association.bufferedAmount(stream: 2) == 0)
        association.abort()
    }
}
