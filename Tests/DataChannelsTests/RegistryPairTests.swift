import DataChannels
import Testing
import Wire

/// Two registries back to back (RegistryPair): what one does, the other sees.
@Suite("DataChannelRegistry pair: open, ack, messages and close between two peers")
struct RegistryPairTests {
    static let chatOpen: [UInt8] = [0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x63, 0x68, 0x61, 0x74]

    @Test("an OPEN crosses, the peer's channel arrives open with the same parameters, the ACK comes back")
    func openAndAck() throws {
        var pair = RegistryPair()
        let id = try pair.open(DataChannelParameters(label: "chat"), on: .a)
        #expect(pair.sentA == [OutboundMessage(stream: 0, ppid: .dcep, bytes: Self.chatOpen)])
        let remote = try #require(pair.b.channel(onStream: 0))
        #expect(pair.eventsB == [.incoming(remote, DataChannelParameters(label: "chat"), stream: 0)])
        #expect(pair.sentB == [OutboundMessage(stream: 0, ppid: .dcep, bytes: [0x02])])
        #expect(pair.eventsA == [.stateChanged(id, .open), .acknowledged(id)])
        #expect(pair.b.state(of: remote) == .open && pair.b.parameters(of: remote) == DataChannelParameters(label: "chat"))

        try pair.send(.text("hello"), on: id, from: .a)
        try pair.send(.binary([0xDE, 0xAD]), on: remote, from: .b)
        #expect(pair.messages(.b) == [.text("hello")])
        #expect(pair.messages(.a) == [.binary([0xDE, 0xAD])])
    }

    @Test("the server opens odd ids and the client's channel answers on them; both sides can open at once", arguments: [true, false])
    func bothSidesOpen(pumpBetween: Bool) throws {
        var pair = RegistryPair()
        let fromA = try pair.open(DataChannelParameters(label: "a"), on: .a, pump: pumpBetween)
        let fromB = try pair.open(DataChannelParameters(label: "b", reliability: .maxPacketLifeTime(milliseconds: 250)), on: .b, pump: pumpBetween)
        pair.pump()
        #expect(pair.a.stream(of: fromA) == 0 && pair.b.stream(of: fromB) == 1)
        let aOnB = try #require(pair.b.channel(onStream: 0)), bOnA = try #require(pair.a.channel(onStream: 1))
        #expect(pair.eventsA.contains(.incoming(bOnA, DataChannelParameters(label: "b", reliability: .maxPacketLifeTime(milliseconds: 250)), stream: 1)))
        #expect(pair.eventsB.contains(.incoming(aOnB, DataChannelParameters(label: "a"), stream: 0)))
        #expect(pair.eventsA.contains(.acknowledged(fromA)) && pair.eventsB.contains(.acknowledged(fromB)))
        #expect(try pair.send(.text("x"), on: bOnA, from: .a).reliability == .maxPacketLifeTime(milliseconds: 250))
    }

    @Test("messages sent before the ACK arrive after the OPEN; on an unordered channel they go ordered until the ACK")
    func preAckMessages() throws {
        var pair = RegistryPair()
        pair.holdToA = true     // the ACK is on its way back, slowly
        let id = try pair.open(DataChannelParameters(label: "fast", ordered: false), on: .a)
        let first = try pair.send(.text("one"), on: id, from: .a)
        let second = try pair.send(.binary([2]), on: id, from: .a)
        #expect(first.ordered && second.ordered)
        let remote = try #require(pair.b.channel(onStream: 0))
        #expect(pair.eventsB == [.incoming(remote, DataChannelParameters(label: "fast", ordered: false), stream: 0),
                                 .message(remote, .text("one")), .message(remote, .binary([2]))])
        #expect(pair.eventsA == [.stateChanged(id, .open)])

        pair.holdToA = false
        pair.pump()
        #expect(pair.eventsA == [.stateChanged(id, .open), .acknowledged(id)])
        #expect(try !pair.send(.text("three"), on: id, from: .a).ordered)
        #expect(pair.messages(.b).last == .text("three"))
    }

    @Test("negotiated channels open on both sides at transportUp without any DCEP, on any parity")
    func negotiated() throws {
        var pair = RegistryPair(up: false)
        let onA = try pair.open(DataChannelParameters(label: "n", negotiatedID: 3), on: .a)
        let onB = try pair.open(DataChannelParameters(label: "n", negotiatedID: 3), on: .b)
        #expect(pair.a.state(of: onA) == .connecting)
        pair.transportUp()
        #expect(pair.eventsA == [.stateChanged(onA, .open)] && pair.eventsB == [.stateChanged(onB, .open)])
        #expect(pair.sentA.isEmpty && pair.sentB.isEmpty)
        try pair.send(.text("ping"), on: onA, from: .a)
        try pair.send(.text("pong"), on: onB, from: .b)
        #expect(pair.messages(.b) == [.text("ping")] && pair.messages(.a) == [.text("pong")])
        // An in-band channel skips the negotiated id's neighbours only by parity: A still gets 0.
        let inBand = try pair.open(DataChannelParameters(), on: .b)
        #expect(pair.b.stream(of: inBand) == 1)
    }

    @Test("close from the opener: closing on both sides, both streams reset, closed, and the id is reused", arguments: [RegistryPair.Side.a, .b])
    func closeFromEitherSide(closer: RegistryPair.Side) throws {
        var pair = RegistryPair()
        let local = try pair.open(DataChannelParameters(label: "c"), on: .a)
        let remote = try #require(pair.b.channel(onStream: 0))
        pair.clearRecords()
        let (closing, other) = closer == .a ? (local, remote) : (remote, local)
        let otherSide: RegistryPair.Side = closer == .a ? .b : .a

        pair.close(closing, on: closer, pump: false)
        #expect(pair.registry(closer).state(of: closing) == .closing)
        #expect(pair.registry(otherSide).state(of: other) == .open)
        #expect(pair.resets(closer) == [[0]])
        pair.pump()
        #expect(pair.resets(otherSide) == [[0]])
        #expect(pair.events(closer) == [.stateChanged(closing, .closing), .stateChanged(closing, .closed)])
        #expect(pair.events(otherSide) == [.stateChanged(other, .closing), .stateChanged(other, .closed)])
        #expect(pair.a.channel(onStream: 0) == nil && pair.b.channel(onStream: 0) == nil)
        #expect(pair.a.state(of: local) == .closed && pair.b.state(of: remote) == .closed)

        let again = try pair.open(DataChannelParameters(label: "again"), on: .a)
        #expect(pair.a.stream(of: again) == 0)
        #expect(pair.b.parameters(of: try #require(pair.b.channel(onStream: 0)))?.label == "again")
    }

    @Test("the peer keeps delivering while it has not reset its side; both closing at once still ends closed")
    func simultaneousClose() throws {
        var pair = RegistryPair()
        let local = try pair.open(DataChannelParameters(), on: .a)
        let remote = try #require(pair.b.channel(onStream: 0))
        pair.holdToB = true
        pair.close(local, on: .a)
        try pair.send(.text("still"), on: remote, from: .b)    // B has not seen the reset yet
        #expect(pair.messages(.a) == [.text("still")])
        #expect(pair.a.state(of: local) == .closing)
        pair.close(remote, on: .b)
        pair.holdToB = false
        pair.pump()
        #expect(Self.states(pair.eventsA) == [.open, .closing, .closed])
        #expect(Self.states(pair.eventsB) == [.closing, .closed])
        #expect(pair.a.channels.isEmpty && pair.b.channels.isEmpty)
    }

    @Test("a malformed DCEP message closes only its channel; the other channels keep working")
    func malformedClosesOneChannel() throws {
        var pair = RegistryPair()
        let keep = try pair.open(DataChannelParameters(label: "keep"), on: .a)
        let doomed = try pair.open(DataChannelParameters(label: "doomed"), on: .a)
        let keepOnB = try #require(pair.b.channel(onStream: 0)), doomedOnB = try #require(pair.b.channel(onStream: 2))
        pair.clearRecords()

        pair.inject(to: .b, stream: 2, ppid: .dcep, bytes: [0x03, 0x00, 0x01])
        guard case let .protocolError(channel, error)? = pair.eventsB.first else { Issue.record("\(pair.eventsB)"); return }
        #expect(channel == doomedOnB && error.code == .truncated && error.origin == .peer)
        pair.pump()
        #expect(pair.eventsB.dropFirst() == [.stateChanged(doomedOnB, .closing), .stateChanged(doomedOnB, .closed)])
        #expect(pair.eventsA == [.stateChanged(doomed, .closing), .stateChanged(doomed, .closed)])

        try pair.send(.text("still here"), on: keep, from: .a)
        try pair.send(.text("me too"), on: keepOnB, from: .b)
        #expect(pair.messages(.b) == [.text("still here")] && pair.messages(.a) == [.text("me too")])
        #expect(pair.a.state(of: keep) == .open && pair.b.state(of: keepOnB) == .open)
    }

    @Test("a malformed OPEN on an unused stream is refused with a reset, no ACK; the id is busy until both sides reset")
    func malformedOnUnusedStream() throws {
        var pair = RegistryPair()
        var bad = DataChannelOpen(label: "bad").bytes
        bad[12] = 0xFF      // not UTF-8
        pair.inject(to: .a, stream: 1, ppid: .dcep, bytes: bad)
        guard case let .protocolError(nil, error)? = pair.eventsA.first else { Issue.record("\(pair.eventsA)"); return }
        #expect(error.code == .invalidUTF8)
        #expect(pair.resetsA == [[1]] && pair.sentA.isEmpty)
        pair.pump()
        // B never had a channel there; its answering reset is what frees the id on A.
        #expect(pair.b.channel(onStream: 1) == nil)
        #expect(pair.eventsB.isEmpty)
    }

    @Test("an OPEN with an unknown channel type opens nothing: refused with a reset, no ACK, no incoming channel")
    func unknownChannelType() throws {
        var pair = RegistryPair()
        let open = DataChannelOpen(channelType: DataChannelType(rawValue: 0x05), label: "future")
        pair.inject(to: .b, stream: 0, ppid: .dcep, bytes: open.bytes)
        guard case let .protocolError(nil, error)? = pair.eventsB.first else { Issue.record("\(pair.eventsB)"); return }
        #expect(error.code == .unknownChannelType && error.origin == .peer)
        #expect(pair.eventsB.count == 1 && pair.resetsB == [[0]] && pair.sentB.isEmpty)
        #expect(pair.b.channel(onStream: 0) == nil && pair.b.channels.isEmpty)
    }

    @Test("an OPEN on a stream of the receiver's own parity is a peer protocol error: refused, no ACK, id kept busy")
    func wrongParity() throws {
        var pair = RegistryPair()
        pair.holdToA = true
        pair.inject(to: .b, stream: 1, ppid: .dcep, bytes: DataChannelOpen(label: "odd").bytes)
        guard case let .protocolError(nil, error)? = pair.eventsB.first else { Issue.record("\(pair.eventsB)"); return }
        #expect(error.code == .wrongParity && error.origin == .peer)
        #expect(pair.eventsB.count == 1 && pair.resetsB == [[1]] && pair.sentB.isEmpty)
        // Until the reset finishes both ways, B's own next channel skips stream 1.
        let next = try pair.open(DataChannelParameters(), on: .b, pump: false)
        #expect(pair.b.stream(of: next) == 3)
        let now = pair.now
        pair.on(.b) { $0.streamsReset(incoming: false, streams: [1], succeeded: true, at: now) }
        pair.on(.b) { $0.streamsReset(incoming: true, streams: [1], succeeded: true, at: now) }
        let reused = try pair.open(DataChannelParameters(), on: .b, pump: false)
        #expect(pair.b.stream(of: reused) == 1)
    }

    @Test("a second OPEN on a stream in use closes the channel on it")
    func openOnBusyStream() throws {
        var pair = RegistryPair()
        _ = try pair.open(DataChannelParameters(label: "first"), on: .a)
        let remote = try #require(pair.b.channel(onStream: 0))
        pair.clearRecords()
        pair.inject(to: .b, stream: 0, ppid: .dcep, bytes: DataChannelOpen(label: "second").bytes)
        guard case let .protocolError(channel, error)? = pair.eventsB.first else { Issue.record("\(pair.eventsB)"); return }
        #expect(channel == remote && error.code == .streamInUse && error.origin == .peer)
        #expect(pair.eventsB.dropFirst() == [.stateChanged(remote, .closing)])
        #expect(pair.sentB.isEmpty)
    }

    @Test("an ACK for a channel that sent no OPEN is reported and ignored; the channel stays open")
    func unexpectedAck() throws {
        var pair = RegistryPair()
        _ = try pair.open(DataChannelParameters(), on: .a)
        let remote = try #require(pair.b.channel(onStream: 0))
        pair.clearRecords()
        pair.inject(to: .b, stream: 0, ppid: .dcep, bytes: [0x02])
        guard case let .protocolError(channel, error)? = pair.eventsB.first else { Issue.record("\(pair.eventsB)"); return }
        #expect(channel == remote && error.code == .unexpectedMessage)
        #expect(pair.eventsB.count == 1 && pair.b.state(of: remote) == .open && pair.resetsB.isEmpty)
    }

    @Test("deprecated PPIDs 52 and 54 are delivered as messages and reported once per channel")
    func deprecatedPPIDs() throws {
        var pair = RegistryPair()
        let id = try pair.open(DataChannelParameters(), on: .a)
        pair.clearRecords()
        pair.inject(to: .a, stream: 0, ppid: .stringPartial, bytes: Array("old".utf8))
        pair.inject(to: .a, stream: 0, ppid: .binaryPartial, bytes: [1, 2, 3])
        pair.inject(to: .a, stream: 0, ppid: .stringPartial, bytes: Array("again".utf8))
        #expect(pair.eventsA == [
            .deprecatedPPID(id, .stringPartial), .message(id, .text("old")),
            .deprecatedPPID(id, .binaryPartial), .message(id, .binary([1, 2, 3])),
            .message(id, .text("again")),
        ])
    }

    @Test("empty string and binary messages travel as one zero byte with PPID 56/57 and arrive empty")
    func emptyMessages() throws {
        var pair = RegistryPair()
        let id = try pair.open(DataChannelParameters(), on: .a)
        let text = try pair.send(.text(""), on: id, from: .a)
        let binary = try pair.send(.binary([]), on: id, from: .a)
        #expect(text.bytes == [0x00] && text.ppid == .stringEmpty)
        #expect(binary.bytes == [0x00] && binary.ppid == .binaryEmpty)
        #expect(pair.messages(.b) == [.text(""), .binary([])])
        #expect(pair.messages(.b).allSatisfy { $0.byteCount == 0 && $0.isEmpty })
    }

    @Test("a message with an unknown PPID, or on a stream without a channel, is reported and dropped")
    func strayMessages() throws {
        var pair = RegistryPair()
        let id = try pair.open(DataChannelParameters(), on: .a)
        pair.clearRecords()
        pair.inject(to: .a, stream: 0, ppid: PayloadProtocolIdentifier(rawValue: 99), bytes: [1])
        pair.inject(to: .a, stream: 5, ppid: .string, bytes: Array("lost".utf8))
        let errors = pair.eventsA.compactMap { event -> (DataChannelID?, DataChannelError.Code)? in
            if case let .protocolError(channel, error) = event { return (channel, error.code) }
            return nil
        }
        #expect(errors.count == 2 && pair.eventsA.count == 2)
        #expect(errors.first?.0 == id && errors.first?.1 == .unknownPPID)
        #expect(errors.last?.0 == nil && errors.last?.1 == .unknownStream)
        #expect(pair.a.state(of: id) == .open)
    }

    @Test("invalid UTF-8 in a text message is delivered with U+FFFD, as a browser's decoder does")
    func lossyText() throws {
        var pair = RegistryPair()
        let id = try pair.open(DataChannelParameters(), on: .a)
        pair.inject(to: .a, stream: 0, ppid: .string, bytes: [0x61, 0xFF, 0x62])
        #expect(pair.messages(.a) == [.text("a\u{FFFD}b")])
        #expect(pair.a.state(of: id) == .open)
    }

    /// The states a side's channels went through, in order.
    static func states(_ events: [DataChannelEvent]) -> [DataChannelState] {
        events.compactMap { if case let .stateChanged(_, state) = $0 { return state }; return nil }
    }
}
