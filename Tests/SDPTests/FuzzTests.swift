import SDP
import Testing
import Wire

@Suite("Hostile input never traps")
struct FuzzTests {
    @Test("every prefix of every fixture parses or throws a typed error", arguments: FixtureLoader.names)
    func prefixes(name: String) throws {
        let bytes = Array(try FixtureLoader.text(name).utf8)
        var parsed = 0
        for length in 0...bytes.count {
            do {
                let description = try SessionDescription(parsing: String(decoding: bytes[..<length], as: UTF8.self))
                parsed += 1
                _ = description.media.flatMap(\.candidates)
                _ = try? RemoteDataChannelDescription(validating: description, as: .offer)
            } catch {
                #expect(error.line != nil, "\(error)")
            }
        }
        // Prefixes that end just after a complete line still parse.
        #expect(parsed > 0)
    }

    @Test("seeded byte mutations of every fixture never trap and errors carry a line number",
          arguments: FixtureLoader.names)
    func mutations(name: String) throws {
        let original = Array(try FixtureLoader.text(name).utf8)
        var rng = SplitMix64(seed: 0x5D9 ^ UInt64(original.count))
        let interesting: [UInt8] = [0x00, 0x0A, 0x0D, 0x20, 0x3A, 0x3D, 0x2F, 0x2E, 0x2D, 0x30, 0x39, 0x61, 0x7F, 0xFF]
        var failures = 0
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let position = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 4 {
                case 0: bytes[position] = interesting[Int(rng.next() % UInt64(interesting.count))]
                case 1: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
                case 2: bytes.remove(at: position)
                default: bytes.insert(contentsOf: bytes[position..<min(bytes.count, position + 8)], at: position)
                }
                if bytes.isEmpty { bytes = [0x76] }
            }
            do {
                let description = try SessionDescription(parsing: String(decoding: bytes, as: UTF8.self))
                _ = description.serialized()
                _ = description.media.flatMap(\.candidates)
                _ = try? RemoteDataChannelDescription(validating: description, as: .answer)
            } catch {
                failures += 1
                #expect(error.line != nil, "\(error)")
            }
        }
        #expect(failures > 0)
    }

    @Test("random candidate strings never trap")
    func candidateNoise() {
        var rng = SplitMix64(seed: 77)
        let alphabet = Array("0123456789 .:abcdef-typhostrelayudpTCP/+x".utf8)
        for _ in 0..<3000 {
            let length = Int(rng.next() % 80)
            let bytes = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            _ = try? Candidate(parsing: "candidate:" + String(decoding: bytes, as: UTF8.self))
        }
    }
}
