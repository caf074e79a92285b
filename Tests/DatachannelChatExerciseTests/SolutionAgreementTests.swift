import DataChannels
import ExerciseInterfaces
import Solutions
import Testing
@testable import datachannel_chat

/// The reference solution of exercise 07 against the library's own DCEP codec
/// (`DataChannelOpen`): the same bytes for every OPEN, the same verdict on every
/// malformed one. The exercise checks compare the solution with hand-written RFC
/// layouts; this closes the loop to the code that runs on the wire.
@Suite("exercise 07's reference solution agrees with the DataChannels module")
struct SolutionAgreementTests {
    /// A tiny seeded generator (SplitMix64), so a failure reproduces.
    struct Seeded {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// Characters of one to four UTF-8 bytes, and the ones that trip naive code (NUL, quotes, tab).
    static let alphabet: [Character] = ["a", "Z", "0", " ", "\t", "\"", "\u{0}", "é", "ß", "ч", "€", "☀", "字", "📈", "🇫🇷", "e\u{301}"]

    static func text(_ generator: inout Seeded, upTo length: Int) -> String {
        String((0..<generator.below(length + 1)).map { _ in alphabet[generator.below(alphabet.count)] })
    }

    static func fields(of open: DataChannelOpen) -> DCEPOpenFields { DCEPExercise.fields(of: open) }

    @Test("encodeOpen gives DataChannelOpen.bytes, and decodeOpen reads them back, on 5000 random OPENs")
    func randomOpens() throws {
        var generator = Seeded(state: 0x07_DCE9)
        for _ in 0..<5000 {
            let open = DataChannelOpen(channelType: DataChannelType(rawValue: UInt8(truncatingIfNeeded: generator.next())),
                                       priority: UInt16(truncatingIfNeeded: generator.next()),
                                       reliabilityParameter: UInt32(truncatingIfNeeded: generator.next()),
                                       label: Self.text(&generator, upTo: 12), protocol: Self.text(&generator, upTo: 6))
            let fields = Self.fields(of: open)
            #expect(try Solutions.DCEPOpen.encodeOpen(fields) == open.bytes, "\(fields)")
            #expect(try Solutions.DCEPOpen.decodeOpen(open.bytes) == fields, "\(fields)")
        }
    }

    @Test("decodeOpen refuses exactly what DataChannelOpen(parsing:) refuses, on 20000 damaged OPENs")
    func damagedOpens() throws {
        var generator = Seeded(state: 0x07_BAD)
        var refused = 0
        for _ in 0..<20_000 {
            let open = DataChannelOpen(channelType: DataChannelType.allKnown[generator.below(6)],
                                       priority: 256, reliabilityParameter: UInt32(generator.below(2000)),
                                       label: Self.text(&generator, upTo: 6), protocol: Self.text(&generator, upTo: 3))
            var bytes = open.bytes
            switch generator.below(4) {
            case 0: bytes = Array(bytes.prefix(generator.below(bytes.count + 1)))         // truncated
            case 1: bytes.append(UInt8(truncatingIfNeeded: generator.next()))             // one byte too many
            case 2:                                                                       // one byte changed
                bytes[generator.below(bytes.count)] = UInt8(truncatingIfNeeded: generator.next())
            default:                                                                      // a length changed
                bytes[8 + generator.below(4)] = UInt8(truncatingIfNeeded: generator.next())
            }
            let library = try? DataChannelOpen(parsing: bytes)
            let solution = try Solutions.DCEPOpen.decodeOpen(bytes)
            #expect(solution == library.map(Self.fields(of:)), "\(bytes)")
            if library == nil { refused += 1 }
        }
        #expect(refused > 5000)
    }

    @Test("labels up to the 16-bit limit encode like the library's; one byte more is refused")
    func limits() throws {
        let longest = DataChannelOpen(label: String(repeating: "€", count: 21_845))   // 65535 bytes
        #expect(try Solutions.DCEPOpen.encodeOpen(Self.fields(of: longest)) == longest.bytes)
        #expect(throws: ExerciseError.self) {
            try Solutions.DCEPOpen.encodeOpen(Self.fields(of: DataChannelOpen(protocol: String(repeating: "p", count: 65_536))))
        }
    }
}
