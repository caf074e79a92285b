// dcep-fuzz: one SCTP message in, every reader of the DataChannels module
// exercised, nothing may trap (docs/FUZZING.md).
//
// The input is used three ways:
// - as one DCEP message: `DCEPMessage(parsing:)` and the two codecs; what parses must
//   re-encode to the same bytes (the 4-byte ACK to the 1-byte one) and parse back
//   equal, and the parameters an OPEN announces must announce the same OPEN;
// - as one inbound message on each of several streams (a fresh one of the peer's
//   parity, one of ours waiting for its ACK, one of ours unused, a negotiated one),
//   with PPIDs 50, 51, 53, 56 and 57, to a registry with live channels, which is then
//   closed down by stream resets both ways;
// - as a script of registry inputs (FuzzTarget+Script.swift), so sequences of opens,
//   messages, resets and closes are explored, with the registry's invariants checked
//   after every step.
import DataChannels
import Wire

enum FuzzTarget {
    static func run(_ bytes: [UInt8]) {
        checkCodecs(bytes)
        feedRegistry(bytes)
        var script = RegistryScript(bytes)
        script.run()
    }

    /// A parsed message re-encodes to its input and parses back to itself; errors are
    /// always the peer's.
    static func checkCodecs(_ bytes: [UInt8]) {
        let message: DCEPMessage
        do {
            message = try DCEPMessage(parsing: bytes)
        } catch {
            guard error.origin == .peer else { fatalError("a parse error blamed the caller: \(error) for \(Hex.encode(bytes))") }
            return
        }
        let encoded = message.bytes
        let paddedAck = message == .ack(DataChannelAck()) && bytes == [0x02, 0, 0, 0]
        guard encoded == bytes || (paddedAck && encoded == [0x02]) else {
            fatalError("re-encoding changed a parsed message: \(Hex.encode(bytes)) -> \(Hex.encode(encoded))")
        }
        guard (try? DCEPMessage(parsing: encoded)) == message else {
            fatalError("an encoded message does not parse back to itself: \(Hex.encode(encoded))")
        }
        var writer = ByteWriter()
        message.encode(into: &writer)
        guard writer.bytes == encoded else { fatalError("encode(into:) and bytes disagree for \(Hex.encode(bytes))") }

        guard case let .open(open) = message else { return }
        guard let parameters = try? DataChannelParameters(open: open) else {
            guard !open.channelType.isKnown else { fatalError("a known channel type was refused: \(Hex.encode(bytes))") }
            return
        }
        guard open.channelType.isKnown else { fatalError("an unknown channel type opened a channel: \(Hex.encode(bytes))") }
        var expected = open
        // RFC 8832 §5.1: the parameter of a reliable type is ignored on receipt.
        if parameters.reliability == .reliable { expected.reliabilityParameter = 0 }
        guard parameters.openMessage == expected, (try? parameters.validate()) != nil else {
            fatalError("the parameters of an OPEN announce another OPEN: \(Hex.encode(bytes))")
        }
    }

    /// The PPIDs the input is delivered with.
    static let ppids: [UInt32] = [50, 51, 53, 56, 57]

    /// A server-side registry (odd ids ours) with our in-band channel on stream 1
    /// (waiting for its ACK), a negotiated one on 6, and the peer's channel on 2;
    /// the input arrives on 0 (fresh, the peer's parity), 1, 2, 3 (ours, unused) and 6.
    static func feedRegistry(_ bytes: [UInt8]) {
        var registry = DataChannelRegistry()
        var checker = ActionChecker(outboundStreams: 16)
        guard let ours = try? registry.open(DataChannelParameters(label: "ours", ordered: false), at: .zero),
              let negotiated = try? registry.open(DataChannelParameters(label: "negotiated", negotiatedID: 6), at: .zero) else {
            fatalError("opening two channels before the transport failed")
        }
        registry.setRole(.server)
        registry.transportUp(outboundStreams: 16, inboundStreams: 16, at: .zero)
        checker.drain(&registry)
        let peerOpen = DataChannelOpen(channelType: .reliable, label: "theirs").bytes
        registry.receive(stream: 2, ppid: 50, bytes: peerOpen, at: .zero)
        checker.drain(&registry)
        guard registry.stream(of: ours) == 1, registry.stream(of: negotiated) == 6, registry.channel(onStream: 2) != nil else {
            fatalError("the fixture's channels are not where they should be")
        }

        var time = Instant.zero
        for ppid in ppids {
            for stream: UInt16 in [0, 1, 2, 3, 6] {
                let before = registry.channel(onStream: stream)
                time += .milliseconds(1)
                registry.receive(stream: stream, ppid: ppid, bytes: bytes, at: time)
                let actions = checker.drain(&registry)
                // A valid OPEN of a known type on a fresh stream of the peer's parity opens a channel.
                if ppid == 50, stream == 0, before == nil, case let .open(open)? = try? DCEPMessage(parsing: bytes), open.channelType.isKnown {
                    guard actions.contains(where: { if case .event(.incoming(_, _, stream: 0)) = $0 { return true }; return false }) else {
                        fatalError("a valid OPEN on a fresh stream opened no channel: \(Hex.encode(bytes))")
                    }
                }
            }
        }
        closeEverything(&registry, &checker, at: time)
    }

    /// Closes every channel and plays both sides' stream resets; nothing may remain.
    static func closeEverything(_ registry: inout DataChannelRegistry, _ checker: inout ActionChecker, at time: Instant) {
        for id in registry.channels { registry.close(id, at: time) }
        checker.drain(&registry)
        // Every reset asked for so far (some while the input was fed) is answered: ours
        // succeed, and the peer resets its side of the same streams.
        for _ in 0..<4 where !checker.unansweredResets.isEmpty {
            let resets = checker.unansweredResets
            checker.unansweredResets = []
            registry.streamsReset(incoming: false, streams: resets, succeeded: true, at: time)
            registry.streamsReset(incoming: true, streams: resets, succeeded: true, at: time)
            checker.drain(&registry)
        }
        checker.drain(&registry)
        guard registry.channels.isEmpty else {
            fatalError("channels left after closing and resetting every stream: \(registry.channels.map { ($0, registry.state(of: $0), registry.stream(of: $0)) })")
        }
    }
}
