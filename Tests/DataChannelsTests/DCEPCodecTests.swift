import DataChannels
import Testing
import Wire

/// DATA_CHANNEL_OPEN and DATA_CHANNEL_ACK against the RFC 8832 §5 layouts, written
/// out by hand byte by byte.
@Suite("DCEP codecs: RFC 8832 §5 byte layouts")
struct DCEPCodecTests {
    /// An OPEN for "chat" with protocol "xmpp", partially reliable by lifetime
    /// (1500 ms = 0x05DC), unordered, priority 512.
    static let timedUnorderedChat: [UInt8] = [
        0x03,                   // Message Type: DATA_CHANNEL_OPEN
        0x82,                   // Channel Type: PARTIAL_RELIABLE_TIMED_UNORDERED
        0x02, 0x00,             // Priority: 512
        0x00, 0x00, 0x05, 0xDC, // Reliability Parameter: 1500
        0x00, 0x04,             // Label Length: 4
        0x00, 0x04,             // Protocol Length: 4
        0x63, 0x68, 0x61, 0x74, // "chat"
        0x78, 0x6D, 0x70, 0x70, // "xmpp"
    ]

    @Test("an OPEN encodes field by field as the RFC 8832 §5.1 diagram lays it out")
    func openLayout() throws {
        let open = DataChannelOpen(channelType: .partialReliableTimedUnordered, priority: 512,
                                   reliabilityParameter: 1500, label: "chat", protocol: "xmpp")
        #expect(open.bytes == Self.timedUnorderedChat)
        var writer = ByteWriter()
        open.encode(into: &writer)
        #expect(writer.bytes == Self.timedUnorderedChat)
        #expect(try DataChannelOpen(parsing: Self.timedUnorderedChat) == open)
        #expect(try DCEPMessage(parsing: Self.timedUnorderedChat) == .open(open))
    }

    @Test("a reliable OPEN with an empty label and protocol is exactly the 12-byte fixed part")
    func minimalOpen() throws {
        let bytes: [UInt8] = [0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        #expect(DataChannelOpen().bytes == bytes)
        #expect(try DataChannelOpen(parsing: bytes) == DataChannelOpen(channelType: .reliable, priority: 256, label: "", protocol: ""))
    }

    @Test("every channel type has its RFC 8832 §8.2.2 byte and survives a round trip", arguments: [
        (DataChannelType.reliable, UInt8(0x00), true),
        (.reliableUnordered, 0x80, false),
        (.partialReliableRexmit, 0x01, true),
        (.partialReliableRexmitUnordered, 0x81, false),
        (.partialReliableTimed, 0x02, true),
        (.partialReliableTimedUnordered, 0x82, false),
    ])
    func everyChannelType(type: DataChannelType, byte: UInt8, ordered: Bool) throws {
        #expect(type.rawValue == byte)
        #expect(type.isOrdered == ordered)
        #expect(type.isKnown)
        let open = DataChannelOpen(channelType: type, priority: 128, reliabilityParameter: 7, label: "x", protocol: "")
        let bytes: [UInt8] = [0x03, byte, 0x00, 0x80, 0x00, 0x00, 0x00, 0x07, 0x00, 0x01, 0x00, 0x00, 0x78]
        #expect(open.bytes == bytes)
        #expect(try DataChannelOpen(parsing: bytes) == open)
    }

    @Test("an unknown channel type parses and re-encodes unchanged, but is not known")
    func unknownChannelTypeRoundTrip() throws {
        let bytes: [UInt8] = [0x03, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00]
        let open = try DataChannelOpen(parsing: bytes)
        #expect(open.channelType == DataChannelType(rawValue: 0x05))
        #expect(!open.channelType.isKnown)
        #expect(open.reliabilityParameter == 9)
        #expect(open.bytes == bytes)
        #expect(open.channelType.description == "channel type 0x05")
    }

    @Test("the 1-byte ACK is 0x02; the 4-byte form with zero padding parses too and re-encodes as 1 byte")
    func ack() throws {
        #expect(DataChannelAck().bytes == [0x02])
        #expect(try DataChannelAck(parsing: [0x02]) == DataChannelAck())
        #expect(try DCEPMessage(parsing: [0x02]) == .ack(DataChannelAck()))
        #expect(try DCEPMessage(parsing: [0x02, 0x00, 0x00, 0x00]) == .ack(DataChannelAck()))
        #expect(try DCEPMessage(parsing: [0x02, 0x00, 0x00, 0x00]).bytes == [0x02])
    }

    @Test("an ACK of another length, or with non-zero padding, is malformed", arguments: [
        [0x02, 0x00], [0x02, 0x00, 0x00], [0x02, 0x00, 0x00, 0x01], [0x02, 0x00, 0x00, 0x00, 0x00], [0x02, 0xFF, 0xFF, 0xFF],
    ] as [[UInt8]])
    func malformedAck(bytes: [UInt8]) {
        #expect(Self.code(bytes) == .malformedMessage)
    }

    @Test("every prefix of a valid OPEN (drip-fed byte by byte) throws a typed truncation, blamed on the peer")
    func dripFeed() throws {
        let bytes = Self.timedUnorderedChat
        for length in 0..<bytes.count {
            do {
                _ = try DCEPMessage(parsing: Array(bytes.prefix(length)))
                Issue.record("a \(length)-byte prefix parsed")
            } catch {
                #expect(error.code == .truncated, "prefix of \(length) bytes")
                #expect(error.origin == .peer)
            }
        }
        #expect(try DCEPMessage(parsing: bytes) == .open(try DataChannelOpen(parsing: bytes)))
    }

    @Test("a label length beyond the message is truncated; bytes after the protocol are malformed")
    func lengths() {
        var oversized = Self.timedUnorderedChat
        oversized[9] = 0x40   // Label Length: 64, only 8 bytes follow
        #expect(Self.code(oversized) == .truncated)
        var maximal = Self.timedUnorderedChat
        maximal[8] = 0xFF; maximal[9] = 0xFF; maximal[10] = 0xFF; maximal[11] = 0xFF
        #expect(Self.code(maximal) == .truncated)
        #expect(Self.code(Self.timedUnorderedChat + [0x00]) == .malformedMessage)
        var short = Self.timedUnorderedChat
        short[11] = 0x03      // Protocol Length 3: one byte too many in the message
        #expect(Self.code(short) == .malformedMessage)
    }

    @Test("a label or protocol that is not UTF-8 is refused with invalidUTF8", arguments: [
        (16, [0xC3, 0x28, 0x61, 0x74]),   // label: invalid continuation
        (20, [0x78, 0x6D, 0x70, 0xFF]),   // protocol: 0xFF never appears in UTF-8
        (16, [0xED, 0xA0, 0x80, 0x74]),   // label: an encoded surrogate (U+D800)
    ] as [(Int, [UInt8])])
    func invalidUTF8(end: Int, field: [UInt8]) {
        var bytes = Self.timedUnorderedChat
        bytes.replaceSubrange((end - 4)..<end, with: field)
        #expect(Self.code(bytes) == .invalidUTF8)
    }

    @Test("multi-byte UTF-8 labels round trip, with their lengths counted in bytes")
    func utf8Label() throws {
        let open = DataChannelOpen(label: "聊天 🎉", protocol: "é")
        let bytes = open.bytes
        #expect(bytes[8...11] == [0x00, 0x0B, 0x00, 0x02])
        #expect(try DataChannelOpen(parsing: bytes) == open)
    }

    @Test("empty input is truncated; a first byte other than 0x02 or 0x03 is an unknown message type")
    func messageTypes() {
        #expect(Self.code([]) == .truncated)
        for type: UInt8 in [0x00, 0x01, 0x04, 0xFF] {
            #expect(Self.code([type, 0x00, 0x00, 0x00]) == .unknownMessageType)
        }
        #expect(DCEPMessageType.open.rawValue == 0x03 && DCEPMessageType.ack.rawValue == 0x02)
    }

    @Test("a label over 65 535 UTF-8 bytes is cut at a character boundary when encoded, and still parses")
    func overlongLabel() throws {
        let label = String(repeating: "a", count: 65_534) + "é"   // 65 536 bytes: é would straddle the limit
        let bytes = DataChannelOpen(label: label).bytes
        #expect(bytes[8...9] == [0xFF, 0xFE])
        #expect(try DataChannelOpen(parsing: bytes).label == String(repeating: "a", count: 65_534))
    }

    /// The code `DCEPMessage(parsing:)` throws, nil if it parses; every error must be the peer's.
    static func code(_ bytes: [UInt8]) -> DataChannelError.Code? {
        do { _ = try DCEPMessage(parsing: bytes); return nil } catch { return error.origin == .peer ? error.code : nil }
    }
}

@Suite("Payload protocol identifiers and channel types: the RFC 8831 §8 and RFC 8832 §8 registries")
struct CodePointTests {
    @Test("the WebRTC PPIDs have their registered values")
    func ppids() {
        let expected: [(PayloadProtocolIdentifier, UInt32)] = [
            (.dcep, 50), (.string, 51), (.binaryPartial, 52), (.binary, 53), (.stringPartial, 54), (.stringEmpty, 56), (.binaryEmpty, 57),
        ]
        for (ppid, value) in expected { #expect(ppid.rawValue == value) }
        #expect([PayloadProtocolIdentifier.binaryPartial, .stringPartial].allSatisfy { $0.isDeprecated })
        #expect(![PayloadProtocolIdentifier.dcep, .string, .binary, .stringEmpty, .binaryEmpty].contains { $0.isDeprecated })
        #expect([PayloadProtocolIdentifier.string, .stringPartial, .stringEmpty].allSatisfy { $0.isString })
        #expect([PayloadProtocolIdentifier.binary, .binaryPartial, .binaryEmpty].allSatisfy { $0.isBinary })
        #expect(!PayloadProtocolIdentifier.dcep.isString && !PayloadProtocolIdentifier.dcep.isBinary)
        #expect(PayloadProtocolIdentifier(rawValue: 55).description == "PPID 55")
    }

    @Test("only the six registered channel types are known")
    func knownTypes() {
        let known = (0...255).map { DataChannelType(rawValue: UInt8($0)) }.filter { $0.isKnown }
        #expect(known.map(\.rawValue).sorted() == [0x00, 0x01, 0x02, 0x80, 0x81, 0x82])
        #expect(DataChannelType.partialReliableRexmitUnordered.description == "DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED")
    }
}
