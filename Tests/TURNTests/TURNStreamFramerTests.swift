import Testing
import Wire
import STUN

/// The TURN stream framer (RFC 8489 §6.2.2, RFC 8656 §12.5): bytes in any split,
/// whole messages out; hostile bytes a typed error, never a crash.
@Suite("TURN stream framer: STUN and ChannelData out of a TCP byte stream")
struct TURNStreamFramerTests {
    static func binding(_ seed: UInt64) throws -> [UInt8] {
        var random = SplitMix64(seed: seed)
        var message = STUNMessage(type: STUNMessageType(method: .binding, messageClass: .request),
                                  transactionID: TransactionID(using: &random))
        message.append(try Software("framer test \(seed)"))
        return try message.encode()
    }

    static func channel(_ size: Int) throws -> ChannelData {
        try ChannelData(channelNumber: 0x4001, data: (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ 7) })
    }

    @Test("a stream of STUN and padded ChannelData comes out whole and in order, however the bytes are split")
    func anySplit() throws {
        let messages: [[UInt8]] = [try Self.binding(1), try Self.channel(5).encoded(), try Self.binding(2),
                                   try Self.channel(0).encoded(), try Self.channel(8).encoded(), try Self.channel(1).encoded()]
        let stream = try Self.binding(1) + Self.channel(5).encoded(padded: true) + Self.binding(2)
            + Self.channel(0).encoded(padded: true) + Self.channel(8).encoded(padded: true) + Self.channel(1).encoded(padded: true)
        #expect(stream.count % 4 == 0)
        var random = SplitMix64(seed: 42)
        for round in 0..<200 {
            var framer = TURNStreamFramer()
            var frames: [[UInt8]] = []
            var offset = 0
            while offset < stream.count {
                // Round 0 feeds one byte at a time; the others random chunks of 1-40 bytes.
                let size = round == 0 ? 1 : 1 + Int(random.next() % 40)
                let end = min(stream.count, offset + size)
                try framer.append(Array(stream[offset..<end]))
                frames += try framer.drain()
                offset = end
            }
            try framer.finish()
            #expect(frames == messages, "round \(round)")
            #expect(framer.consumed == stream.count && framer.bufferedCount == 0)
        }
        // Every frame parses as what it is.
        #expect(try STUNMessage(parsing: messages[0]).messageType.method == .binding)
        #expect(try ChannelData(parsing: messages[1]).data.count == 5)
    }

    @Test("nothing comes out until a frame is complete; half a header is just waiting")
    func partialFrames() throws {
        var framer = TURNStreamFramer()
        let message = try Self.binding(3)
        try framer.append(Array(message.prefix(3)))
        #expect(try framer.nextFrame() == nil)
        try framer.append(Array(message[3..<message.count - 1]))
        #expect(try framer.nextFrame() == nil)
        try framer.append([message.last!])
        #expect(try framer.nextFrame() == message)
        // ChannelData of 3 bytes needs its 1 padding byte before it is released (the next frame starts after it).
        try framer.append([0x40, 0x00, 0x00, 0x03, 1, 2, 3])
        #expect(try framer.nextFrame() == nil)
        try framer.append([0])
        #expect(try framer.nextFrame() == [0x40, 0x00, 0x00, 0x03, 1, 2, 3])
    }

    @Test("garbage, a missing magic cookie, a misaligned or oversized STUN length: typed errors, and the framer stays broken")
    func hostileInput() throws {
        func error(_ bytes: [UInt8], maximum: Int = TURNStreamFramer.defaultMaximumSTUNSize) -> TURNStreamError? {
            var framer = TURNStreamFramer(maximumSTUNSize: maximum)
            do {
                try framer.append(bytes)
                _ = try framer.drain()
                return nil
            } catch let error as TURNStreamError {
                // Poisoned: later bytes, even good ones, give the same error.
                #expect(throws: error) { try framer.append((try? Self.binding(9)) ?? []) }
                #expect(throws: error) { _ = try framer.nextFrame() }
                return error
            } catch {
                Issue.record("untyped error \(error)")
                return nil
            }
        }
        // An HTTP request on the TURN port: 'P' (0x50) is neither STUN nor ChannelData.
        #expect(error(Array("POST / HTTP/1.1\r\n".utf8))?.kind == .unknownFrame)
        #expect(error([0x16, 0x03, 0x01, 0x00, 0x10, 0x01])?.kind == .badMagicCookie)  // a TLS ClientHello on the TCP port
        #expect(error([0x01, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4])?.kind == nil)  // a correct prefix is just incomplete
        var misaligned = try Self.binding(4)
        misaligned[3] += 1
        #expect(error(misaligned)?.kind == .misalignedLength)
        var huge = try Self.binding(5)
        huge[2] = 0xFF
        huge[3] = 0xFC
        #expect(error(huge)?.kind == .oversized)
        #expect(error(try Self.binding(6), maximum: 24)?.kind == .oversized)
        let second = try Self.binding(7)
        let failure = error(second + [0xC0])
        #expect(failure?.kind == .unknownFrame && failure?.streamOffset == second.count, "\(String(describing: failure))")
    }

    @Test("a stream that ends inside a frame is truncated")
    func truncation() throws {
        var framer = TURNStreamFramer()
        try framer.append([0x40, 0x01, 0x00, 0x08, 1, 2])
        #expect(try framer.drain().isEmpty)
        #expect(throws: TURNStreamError.self) { try framer.finish() }
        #expect(framer.failure?.kind == .truncated)
        var clean = TURNStreamFramer()
        try clean.append(try Self.binding(8))
        _ = try clean.drain()
        try clean.finish()
    }

    @Test("seeded random bytes and mutated valid streams never crash the framer: frames or a typed error")
    func fuzz() throws {
        var random = SplitMix64(seed: 2026)
        let valid = try Self.binding(10) + Self.channel(7).encoded(padded: true) + Self.binding(11)
        var outcomes = [String: Int]()
        for _ in 0..<5000 {
            var bytes: [UInt8]
            if random.next() % 2 == 0 {
                bytes = (0..<Int(random.next() % 96)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                bytes = valid
                for _ in 0..<(1 + Int(random.next() % 4)) {
                    bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            var framer = TURNStreamFramer(maximumSTUNSize: 512)
            do {
                try framer.append(bytes)
                let frames = try framer.drain()
                // Whatever came out is a whole frame of the announced length.
                for frame in frames {
                    let length = Int(frame[2]) << 8 | Int(frame[3])
                    #expect(frame.count == (frame[0] < 0x40 ? 20 : 4) + length)
                }
                outcomes["frames", default: 0] += 1
            } catch let error as TURNStreamError {
                outcomes[error.kind.rawValue, default: 0] += 1
            }
        }
        #expect(outcomes.count >= 4, "\(outcomes)")
    }
}
