import Testing
import Wire
@testable import STUN

/// Every parser treats its input as hostile: these tests feed it truncations
/// and thousands of seeded random mutations; a trap would kill the test run.
@Suite("Robustness: truncation and mutation never trap")
struct RobustnessTests {
    @Test("every prefix of every vector parses or throws a typed STUNError", arguments: RFC5769.all.map(\.name))
    func everyPrefix(name: String) throws {
        let bytes = try #require(RFC5769.all.first { $0.name == name }).bytes
        for length in 0...bytes.count {
            let prefix = Array(bytes.prefix(length))
            do {
                _ = try STUNMessage(parsing: prefix)
                #expect(length == bytes.count, "only the whole message parses")
            } catch let error as STUNError {
                #expect(error.isPeerViolation)
                #expect([.truncated, .badLength].contains(error.code))
            }
            let tree = STUNDissector.dissect(prefix, integrityKey: RFC5769.shortTermKey)
            #expect(length == bytes.count || Self.containsError(tree), "a broken prefix shows an error node")
            _ = STUNMessage.verifyIntegrity(of: prefix, key: RFC5769.shortTermKey)
            _ = STUNMessage.verifyFingerprint(of: prefix)
        }
    }

    @Test("20 000 seeded random mutations of the vectors: parse, dissect, verify, serve, never trap")
    func mutations() throws {
        var random = SplitMix64(seed: 0x5354_554E)
        var parsed = 0, rejected = 0
        var server = STUNServer(configuration: .init(authentication: .shortTerm(users: ["evtj:h6vY": RFC5769.shortTermPassword])),
                                random: &random)
        let from = TransportAddress(.v4(127, 0, 0, 1), 5000), to = TransportAddress(.v4(127, 0, 0, 1), 3478)
        for round in 0..<20_000 {
            var bytes = RFC5769.all[round % RFC5769.all.count].bytes
            Self.mutate(&bytes, using: &random)
            do {
                let message = try STUNMessage(parsing: bytes)
                parsed += 1
                for attribute in message.attributes {
                    _ = try? attribute.decode(as: XORMappedAddress.self, transactionID: message.transactionID)
                    _ = try? attribute.decode(as: ErrorCodeAttribute.self, transactionID: message.transactionID)
                    _ = try? attribute.decode(as: Username.self, transactionID: message.transactionID)
                }
                if message.ignoredAttributes.isEmpty {
                    #expect(try message.encode() == bytes, "a parsed message re-encodes to its bytes")
                }
            } catch let error as STUNError {
                #expect(error.isPeerViolation)
                rejected += 1
            }
            _ = STUNDissector.dissect(bytes, integrityKey: RFC5769.shortTermKey).render(bytes: bytes)
            _ = STUNMessage.verifyIntegrity(of: bytes, key: RFC5769.shortTermKey)
            _ = STUNMessage.verifyFingerprint(of: bytes)
            server.handle(.datagram(Datagram(from: from, to: to, payload: bytes), at: .milliseconds(Int64(round))))
            var events = 0
            while let output = server.poll() { if case .event = output { events += 1 } }
            #expect(events == 1, "every datagram gets exactly one event")
        }
        #expect(parsed > 1000 && rejected > 1000, "the mutations exercise both paths (parsed \(parsed), rejected \(rejected))")
    }

    /// Flips bits, overwrites bytes, truncates, extends or rewrites a length field.
    static func mutate(_ bytes: inout [UInt8], using random: inout SplitMix64) {
        let operations = Int.random(in: 1...3, using: &random)
        for _ in 0..<operations {
            switch Int.random(in: 0..<6, using: &random) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            case 1 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            case 2:
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
            case 3:
                bytes += (0..<Int.random(in: 1...8, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 4 where bytes.count >= 26:
                // Rewrite an attribute length field (attributes start at 20 in every vector).
                let offset = 22 + 4 * Int.random(in: 0..<(bytes.count - 22) / 4, using: &random)
                if offset + 1 < bytes.count { bytes[offset + 1] = UInt8.random(in: 0...255, using: &random) }
            case 5 where bytes.count >= 4:
                bytes[3] = UInt8.random(in: 0...255, using: &random) & 0xFC // a plausible message length
            default:
                break
            }
        }
    }

    static func containsError(_ field: DissectedField) -> Bool {
        field.isError || field.children.contains { containsError($0) }
    }
}
