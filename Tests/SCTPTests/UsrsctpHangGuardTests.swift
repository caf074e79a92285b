import Dispatch
import Testing
import Wire
@testable import SCTP

/// sctp-fuzz found that usrsctp 0.9.5.0 spins forever on an INIT that carries a
/// zero-length parameter when it reaches an existing association (building the INIT
/// ACK, sctplab/usrsctp#570), holding the runtime's serial section: every association
/// of the process would freeze. `handle(packet:)` drops such packets before usrsctp.
@Suite("Hostile input: the usrsctp endless-loop guard")
struct UsrsctpHangGuardTests {
    /// A real INIT (fuzz/sctp-corpus/01-init.bin): tag 0, then forward-TSN-supported,
    /// supported-extensions (at offset 36), random, HMAC algorithms, chunk list.
    static let initPacket: [UInt8] = [
        0x13, 0x88, 0x13, 0x88, 0x00, 0x00, 0x00, 0x00, 0x91, 0xE1, 0x3C, 0x42,
        0x01, 0x00, 0x00, 0x56, 0x3B, 0xE0, 0x72, 0x23, 0x00, 0x10, 0x00, 0x00,
        0x04, 0x00, 0x04, 0x00, 0x8B, 0x0A, 0xD9, 0x5D, 0xC0, 0x00, 0x00, 0x04,
        0x80, 0x08, 0x00, 0x09, 0xC0, 0x0F, 0xC1, 0x80, 0x82, 0x00, 0x00, 0x00,
        0x80, 0x02, 0x00, 0x24, 0xE2, 0x20, 0x89, 0x0C, 0x2B, 0x08, 0xD6, 0x1C,
        0xC7, 0x88, 0x6B, 0x02, 0xDB, 0xD9, 0x07, 0x3F, 0x57, 0xAF, 0x96, 0x4F,
        0x15, 0x68, 0xA1, 0x30, 0xD5, 0x69, 0x09, 0x15, 0x4E, 0x3B, 0x9C, 0x40,
        0x80, 0x04, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x80, 0x03, 0x00, 0x06,
        0x80, 0xC1, 0x00, 0x00,
    ]

    /// The INIT with its supported-extensions parameter's type and length replaced.
    static func initWithParameter(type: UInt16, length: UInt16) -> [UInt8] {
        var packet = initPacket
        packet.replaceSubrange(36..<40, with: [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(length >> 8), UInt8(length & 0xFF)])
        return packet
    }

    @Test("the captured INIT carries a valid checksum and well-formed parameters")
    func capturedInit() {
        #expect(SCTPChecksum.isValid(Self.initPacket))
        #expect(!SCTPChunkScan.hasMalformedInitParameter(in: Self.initPacket))
        #expect(!SCTPChecksum.isValid(Self.initWithParameter(type: 0x8008, length: 0)))
    }

    @Test("an INIT or INIT ACK parameter shorter than its header is malformed, other chunks are not looked into")
    func detection() {
        for length: UInt16 in 0..<4 {
            #expect(SCTPChunkScan.hasMalformedInitParameter(in: Self.initWithParameter(type: 0x8007, length: length)))
        }
        #expect(!SCTPChunkScan.hasMalformedInitParameter(in: Self.initWithParameter(type: 0x8007, length: 4)))
        var initAck = Self.initWithParameter(type: 0x0007, length: 0)
        initAck[12] = SCTPChunkScan.initiationAck
        #expect(SCTPChunkScan.hasMalformedInitParameter(in: initAck))
        // The same bytes in a HEARTBEAT are usrsctp's to judge.
        var heartbeat = Self.initWithParameter(type: 0x8007, length: 0)
        heartbeat[12] = 4
        #expect(!SCTPChunkScan.hasMalformedInitParameter(in: heartbeat))
        // Truncated INITs end the walk quietly.
        for cut in 0...Self.initPacket.count {
            _ = SCTPChunkScan.hasMalformedInitParameter(in: Array(Self.initPacket[..<cut]))
        }
    }

    @Test("an INIT with a zero-length parameter is dropped and counted; the association keeps working")
    func zeroLengthParameterDropped() throws {
        let pair = try SCTPPair()
        try pair.connect()
        let dropped = pair.b.statistics.packetsDropped
        // Without the guard this call never returns: run it off the test's thread and
        // fail after a deadline instead of hanging the suite.
        let returned = DispatchSemaphore(value: 0)
        let hostile = SCTPChecksum.sealed(Self.initWithParameter(type: 0x8007, length: 0))
        let b = pair.b
        DispatchQueue.global().async {
            b.handle(packet: hostile)
            returned.signal()
        }
        try #require(returned.wait(timeout: .now() + .seconds(5)) == .success, "handle(packet:) is stuck inside usrsctp")
        #expect(pair.b.statistics.packetsDropped == dropped + 1)
        try pair.a.send(indexedPayload(7), stream: 1, ppid: 53)
        #expect(pair.run(timeout: .seconds(5)) { pair.messagesB.count == 1 })
        #expect(pair.b.state == .established)
    }
}
