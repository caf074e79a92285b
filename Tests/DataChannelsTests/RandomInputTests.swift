import DataChannels
import Testing
import Wire

/// Seeded random input (SplitMix64): the parser and the registry must never trap, and
/// whatever parses must round-trip.
@Suite("Random input: DCEP parsing and the registry never trap")
struct RandomInputTests {
    /// A random byte string, often starting like a DCEP message so the parser goes deep.
    static func randomInput(_ random: inout SplitMix64) -> [UInt8] {
        let length = Int(random.next() % 48)
        var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        if !bytes.isEmpty, random.chance(0.6) { bytes[0] = random.chance(0.8) ? 0x03 : 0x02 }
        if bytes.count >= 2, random.chance(0.5) { bytes[1] = DataChannelType.allKnown[Int(random.next() % 6)].rawValue }
        if bytes.count >= 12, random.chance(0.5) {
            // Plausible lengths: label and protocol that fit, or nearly.
            let rest = bytes.count - 12
            let label = Int(random.next() % UInt64(rest + 2))
            bytes[8] = 0; bytes[9] = UInt8(min(label, 255))
            bytes[10] = 0; bytes[11] = UInt8(max(0, min(rest - label + Int(random.next() % 3) - 1, 255)))
            // Mostly ASCII text, so the UTF-8 check passes often enough to go further.
            if random.chance(0.8) { for index in 12..<bytes.count { bytes[index] &= 0x7F } }
        }
        return bytes
    }

    @Test("5 000 random byte strings: DCEPMessage(parsing:) throws a peer error or round-trips exactly")
    func parser() {
        var random = SplitMix64(seed: 0xDCE9)
        var parsed = 0, opens = 0
        for _ in 0..<5_000 {
            let bytes = Self.randomInput(&random)
            do {
                let message = try DCEPMessage(parsing: bytes)
                parsed += 1
                if case .open = message { opens += 1 }
                #expect(message.bytes == bytes || (bytes == [0x02, 0, 0, 0] && message.bytes == [0x02]))
                #expect(try DCEPMessage(parsing: message.bytes) == message)
            } catch {
                #expect(error.origin == .peer)
            }
        }
        // The generator must reach the interesting paths, or this test proves little.
        #expect(parsed > 100 && opens > 100)
    }

    @Test("5 000 random messages on PPID 50 (and data PPIDs) to live registries: no trap, channels stay consistent")
    func registry() throws {
        var random = SplitMix64(seed: 0x5EED_DC)
        var pair = RegistryPair()
        // Stream 14 is beyond the random streams (0-11): its channel must come through untouched.
        let keep = try pair.open(DataChannelParameters(label: "keep", negotiatedID: 14), on: .a)
        _ = try pair.open(DataChannelParameters(label: "keep", negotiatedID: 14), on: .b)
        var incoming = 0, errors = 0, resets = 0
        for round in 0..<5_000 {
            let stream = UInt16(random.next() % 12)
            let ppid: PayloadProtocolIdentifier = random.chance(0.8) ? .dcep : [.string, .binary, .stringEmpty, .binaryEmpty, .stringPartial][Int(random.next() % 5)]
            let side: RegistryPair.Side = round % 2 == 0 ? .a : .b
            pair.inject(to: side, stream: stream, ppid: ppid, bytes: Self.randomInput(&random))
            pair.pump()
            for side in RegistryPair.Side.allCases {
                let registry = pair.registry(side)
                for id in registry.channels {
                    if let stream = registry.stream(of: id) { #expect(registry.channel(onStream: stream) == id) }
                }
            }
            for event in pair.eventsA + pair.eventsB {
                if case .incoming = event { incoming += 1 }
                if case .protocolError = event { errors += 1 }
            }
            resets += pair.resetsA.count + pair.resetsB.count
            pair.clearRecords()
        }
        // The generator must open channels, break DCEP and close streams, or this test proves little.
        #expect(incoming > 10 && errors > 500 && resets > 100, "incoming \(incoming), errors \(errors), resets \(resets)")
        try pair.send(.text("alive"), on: keep, from: .a)
        #expect(pair.messages(.b) == [.text("alive")])
    }
}
