import CUsrsctp
import Testing
@testable import SCTP

@Suite("Chunk scan (RFC 9260 §3)")
struct ChunkScanTests {
    /// Common header, a DATA chunk (TSN 0x01020304, stream 7, 3 bytes + 1 pad), a SACK header.
    static let packet: [UInt8] = [
        0x13, 0x88, 0x13, 0x88, 0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 0,          // ports 5000/5000, vtag, checksum
        0x00, 0x03, 0x00, 0x13, 0x01, 0x02, 0x03, 0x04, 0x00, 0x07, 0x00, 0x00,  // DATA B|E, length 19, TSN, SID 7, SSN 0
        0x00, 0x00, 0x00, 0x33, 0x61, 0x62, 0x63, 0x00,                      // PPID 51, "abc", pad
        0x03, 0x00, 0x00, 0x04,                                              // SACK header only
    ]

    @Test("finds DATA chunks with their TSN, stream and user-data length")
    func dataChunks() {
        #expect(SCTPChunkScan.dataChunks(in: Self.packet) == [.init(tsn: 0x0102_0304, stream: 7, userDataLength: 3)])
        #expect(SCTPChunkScan.chunks(in: Self.packet).map(\.type) == [0, 3])
        #expect(!SCTPChunkScan.contains(SCTPChunkScan.abort, in: Self.packet))
    }

    @Test("stops quietly at a truncated or malformed chunk")
    func truncated() {
        for cut in 0..<Self.packet.count {
            let chunks = SCTPChunkScan.chunks(in: Array(Self.packet[..<cut]))
            #expect(chunks.count <= 2)
        }
        var zeroLength = Self.packet
        zeroLength[14] = 0; zeroLength[15] = 0
        #expect(SCTPChunkScan.chunks(in: zeroLength).isEmpty)
        #expect(SCTPChunkScan.chunks(in: Array(Self.packet[..<24])).isEmpty)   // DATA claims 19 bytes, 12 present
    }

    @Test("compares TSNs in serial-number arithmetic across the wrap")
    func serial() {
        #expect(SCTPChunkScan.isNewer(1, than: 0))
        #expect(SCTPChunkScan.isNewer(0, than: UInt32.max))
        #expect(!SCTPChunkScan.isNewer(UInt32.max, than: 0))
        #expect(!SCTPChunkScan.isNewer(5, than: 5))
    }
}

@Suite("Notifications (RFC 6458 §6.1)")
struct NotificationTests {
    private func decode<T>(_ value: T, extra: [UInt8] = []) -> SCTPNotification? {
        var bytes = withUnsafeBytes(of: value) { Array($0) } + extra
        return bytes.withUnsafeMutableBytes { SCTPNotification(UnsafeRawBufferPointer($0)) }
    }

    @Test("decodes an association change")
    func associationChange() {
        var change = sctp_assoc_change()
        change.sac_type = UInt16(SCTP_ASSOC_CHANGE)
        change.sac_length = UInt32(MemoryLayout<sctp_assoc_change>.size)
        change.sac_state = UInt16(SCTP_COMM_UP)
        change.sac_outbound_streams = 16
        change.sac_inbound_streams = 32
        #expect(decode(change) == .associationChange(state: UInt16(SCTP_COMM_UP), error: 0, outboundStreams: 16, inboundStreams: 32))
    }

    @Test("decodes a send failure with its data length and PPID in host order")
    func sendFailed() {
        var failure = sctp_send_failed_event()
        failure.ssfe_type = UInt16(SCTP_SEND_FAILED_EVENT)
        failure.ssfe_flags = UInt16(SCTP_DATA_SENT)
        failure.ssfe_length = UInt32(MemoryLayout<sctp_send_failed_event>.size + 5)
        failure.ssfe_info.snd_sid = 9
        failure.ssfe_info.snd_ppid = UInt32(51).bigEndian
        #expect(decode(failure, extra: [1, 2, 3, 4, 5])
                == .sendFailed(flags: UInt16(SCTP_DATA_SENT), stream: 9, ppid: 51, dataLength: 5))
    }

    @Test("decodes a stream reset with its stream list")
    func streamReset() {
        var reset = sctp_stream_reset_event()
        reset.strreset_type = UInt16(SCTP_STREAM_RESET_EVENT)
        reset.strreset_flags = UInt16(SCTP_STREAM_RESET_INCOMING_SSN)
        reset.strreset_length = UInt32(MemoryLayout<sctp_stream_reset_event>.size + 4)
        let list = withUnsafeBytes(of: UInt16(3)) { Array($0) } + withUnsafeBytes(of: UInt16(700)) { Array($0) }
        #expect(decode(reset, extra: list) == .streamReset(flags: UInt16(SCTP_STREAM_RESET_INCOMING_SSN), streams: [3, 700]))
    }

    @Test("refuses notifications shorter than their struct")
    func short() {
        var change = sctp_assoc_change()
        change.sac_type = UInt16(SCTP_ASSOC_CHANGE)
        let bytes = withUnsafeBytes(of: change) { Array($0.prefix(10)) }
        #expect(bytes.withUnsafeBytes { SCTPNotification($0) } == nil)
        #expect([UInt8]([1, 2, 3]).withUnsafeBytes { SCTPNotification($0) } == nil)
    }
}

@Suite("Ledger and configuration")
struct LedgerTests {
    @Test("reassembles partial deliveries and discards messages above the limit")
    func reassembly() {
        var ledger = AssociationLedger(outboundStreams: 4)
        func piece(_ bytes: [UInt8], stream: UInt16 = 1, unordered: Bool = false, end: Bool) {
            bytes.withUnsafeBytes { ledger.receive($0, stream: stream, ppid: 53, unordered: unordered, endOfRecord: end, maxMessageSize: 6) }
        }
        piece([1, 2], end: false)
        piece([9], stream: 1, unordered: true, end: true)      // an unordered message may interleave
        piece([3, 4], end: true)
        piece([1, 2, 3, 4], stream: 2, end: false)
        piece([5, 6, 7], stream: 2, end: false)                  // 7 > 6: discarded
        piece([8], stream: 2, end: true)
        #expect(ledger.pop() == .event(.message(SCTPMessage(stream: 1, ppid: 53, bytes: [9], unordered: true))))
        #expect(ledger.pop() == .event(.message(SCTPMessage(stream: 1, ppid: 53, bytes: [1, 2, 3, 4], unordered: false))))
        #expect(ledger.pop() == .event(.messageDiscarded(stream: 2, byteCount: 8)))
        #expect(ledger.pop() == nil)
    }

    @Test("maps delivery modes to usrsctp's PR-SCTP policies (RFC 3758)")
    func policies() {
        #expect(SCTPReliability.reliable.policy == (UInt16(SCTP_PR_SCTP_NONE), 0))
        #expect(SCTPReliability.maxRetransmits(2).policy == (UInt16(SCTP_PR_SCTP_RTX), 2))
        #expect(SCTPReliability.maxLifetime(milliseconds: 150).policy == (UInt16(SCTP_PR_SCTP_TTL), 150))
    }

    @Test("rejects inconsistent configurations", arguments: [
        { (c: inout SCTPConfiguration) in c.sendBufferSize = c.maxMessageSize - 1 },
        { (c: inout SCTPConfiguration) in c.pathMTU = 100 },
        { (c: inout SCTPConfiguration) in c.rtoMin = .seconds(5) },
        { (c: inout SCTPConfiguration) in c.localPort = 0 },
        { (c: inout SCTPConfiguration) in c.delayedAck = .seconds(1) },
        { (c: inout SCTPConfiguration) in c.maxBufferedAmount = 10 },
    ] as [@Sendable (inout SCTPConfiguration) -> Void])
    func invalidConfiguration(change: @Sendable (inout SCTPConfiguration) -> Void) {
        var configuration = SCTPConfiguration()
        change(&configuration)
        let error = #expect(throws: SCTPError.self) { try SCTPAssociation(configuration: configuration) }
        #expect(error?.code == .invalidArgument)
    }

    @Test("the default configuration is valid and advertises 256 KiB")
    func defaults() throws {
        try SCTPConfiguration().validate()
        #expect(SCTPConfiguration().maxMessageSize == 262_144)
        #expect(SCTPConfiguration().pathMTU <= 1200 - 65)
    }
}
