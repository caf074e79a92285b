import Testing
@testable import SCTP

@Suite("Streams")
struct StreamTests {
    @Test("100 streams carry messages at once, each on its own stream")
    func hundredStreams() throws {
        let pair = try SCTPPair()
        try pair.connect()
        for stream in UInt16(0)..<100 {
            try pair.a.send(indexedPayload(Int(stream), size: 300), stream: stream, ppid: 50 + UInt32(stream % 3))
            try pair.b.send(indexedPayload(Int(stream), size: 30), stream: stream, ppid: 53)
        }
        #expect(pair.run(timeout: .seconds(10)) { pair.messagesB.count == 100 && pair.messagesA.count == 100 })
        #expect(Set(pair.messagesB.map(\.stream)) == Set(0..<100))
        #expect(pair.messagesB.allSatisfy { Int($0.stream) == payloadIndex($0.bytes) && $0.ppid == 50 + UInt32($0.stream % 3) })
        #expect(pair.messagesA.allSatisfy { Int($0.stream) == payloadIndex($0.bytes) && $0.bytes.count == 30 })
    }

    @Test("stream id and PPID travel in network byte order inside the DATA chunk (RFC 9260 §3.3.1)")
    func wireOrder() throws {
        let pair = try SCTPPair()
        try pair.connect()
        try pair.a.send([0xAB], stream: 0x0102, ppid: 0x0A0B_0C0D)
        var data: [UInt8]?
        while let output = pair.a.poll() {
            if case let .transmit(packet) = output,
               let chunk = SCTPChunkScan.chunks(in: packet).first(where: { $0.type == SCTPChunkScan.data }) {
                data = Array(packet[chunk.offset..<(chunk.offset + chunk.length)])
            }
        }
        let chunk = try #require(data)
        #expect(Array(chunk[8..<10]) == [0x01, 0x02])
        #expect(Array(chunk[12..<16]) == [0x0A, 0x0B, 0x0C, 0x0D])
        #expect(chunk[16] == 0xAB && chunk.count == 17)
        #expect(chunk[1] & 0x04 == 0)   // U bit clear: ordered
    }

    @Test("a stream id beyond the negotiated count is refused")
    func invalidStream() throws {
        var few = SCTPConfiguration.fast()
        few.outboundStreams = 8
        let pair = try SCTPPair(configuration: few)
        try pair.connect()
        #expect(pair.eventsA.contains(.associationUp(inboundStreams: 8, outboundStreams: 8)))
        let error = #expect(throws: SCTPError.self) { try pair.a.send([1], stream: 8, ppid: 53) }
        #expect(error?.code == .invalidStream)
    }

    @Test("resetting one stream closes it while others continue; its id is reusable only after the reset")
    func streamReset() throws {
        let pair = try SCTPPair()
        try pair.connect()
        for index in 0..<5 {
            try pair.a.send(indexedPayload(index), stream: 1, ppid: 53)
            try pair.a.send(indexedPayload(index), stream: 2, ppid: 53)
        }
        try pair.a.resetStreams([1])
        let refused = #expect(throws: SCTPError.self) { try pair.a.send([1], stream: 1, ppid: 53) }
        #expect(refused?.code == .streamResetting)
        try pair.a.send(indexedPayload(5), stream: 2, ppid: 53)

        let reset = pair.run(timeout: .seconds(5)) {
            pair.eventsA.contains(.streamReset(SCTPStreamReset(direction: .outgoing, streams: [1], succeeded: true)))
                && pair.eventsB.contains(.streamReset(SCTPStreamReset(direction: .incoming, streams: [1], succeeded: true)))
        }
        #expect(reset, "A \(pair.eventsA) B \(pair.eventsB)")
        // Everything sent on stream 1 before the reset arrived first.
        #expect(pair.messagesB.filter { $0.stream == 1 }.map { payloadIndex($0.bytes) } == Array(0..<5))

        // Stream 2 kept going; stream 1 is reusable and starts over.
        try pair.a.send(indexedPayload(100), stream: 1, ppid: 51)
        try pair.a.send(indexedPayload(6), stream: 2, ppid: 53)
        #expect(pair.run(timeout: .seconds(5)) { pair.messagesB.count == 13 })
        #expect(pair.messagesB.filter { $0.stream == 2 }.map { payloadIndex($0.bytes) } == Array(0..<7))
        #expect(pair.messagesB.last { $0.stream == 1 }.map { payloadIndex($0.bytes) } == 100)
    }

    @Test("reset before the association is up, or of no streams, is refused")
    func resetMisuse() throws {
        let association = try SCTPAssociation(configuration: .fast())
        #expect(throws: SCTPError.self) { try association.resetStreams([]) }
        let early = #expect(throws: SCTPError.self) { try association.resetStreams([1]) }
        #expect(early?.code == .invalidState)
    }
}
