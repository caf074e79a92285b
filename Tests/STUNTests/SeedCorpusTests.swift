import Foundation
import Testing
import Wire
@testable import STUN

/// The libFuzzer seed corpus (fuzz/stun-corpus) doubles as a cross-check: the
/// non-RFC seeds were generated with Python's zlib.crc32 and hmac, so their
/// FINGERPRINT and MESSAGE-INTEGRITY values come from implementations
/// independent of this module's.
@Suite("Seed corpus: every file parses, verifies and dissects cleanly")
struct SeedCorpusTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz/stun-corpus")

    static func load(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".bin") }.sorted()
    }

    @Test("the corpus holds the four RFC 5769 vectors, byte for byte")
    func rfcVectors() throws {
        #expect(try Self.load("rfc5769-2.1-request.bin") == RFC5769.request)
        #expect(try Self.load("rfc5769-2.2-ipv4-response.bin") == RFC5769.ipv4Response)
        #expect(try Self.load("rfc5769-2.3-ipv6-response.bin") == RFC5769.ipv6Response)
        #expect(try Self.load("rfc5769-2.4-long-term-request.bin") == RFC5769.longTermRequest)
        #expect(Self.names.count >= 11)
    }

    @Test("every seed parses, re-encodes exactly, has a valid or absent FINGERPRINT and dissects without errors",
          arguments: SeedCorpusTests.names)
    func seed(name: String) throws {
        let bytes = try Self.load(name)
        let message = try STUNMessage(parsing: bytes)
        #expect(try message.encode() == bytes)
        let fingerprint = STUNMessage.verifyFingerprint(of: bytes)
        #expect(fingerprint.isValid || fingerprint == .absent)
        let tree = STUNDissector.dissect(bytes)
        #expect(!tree.all.contains { $0.isError }, "\(tree.render(bytes: bytes).joined(separator: "\n"))")
    }

    @Test("integrity computed by Python's hmac verifies here (SHA-1 and SHA-256)")
    func independentHMAC() throws {
        let sha256 = try Self.load("request-short-term-sha256.bin")
        #expect(STUNMessage.verifyIntegrity(of: sha256, key: .shortTerm(password: "secret")) == .valid(.hmacSHA256))
        let ice = try Self.load("ice-check-controlling.bin")
        #expect(STUNMessage.verifyIntegrity(of: ice, key: .shortTerm(password: "icepassword")) == .valid(.hmacSHA1))
        let iceMessage = try STUNMessage(parsing: ice)
        #expect(try iceMessage.attribute(ICEControlling.self)?.tieBreaker == 0x0123_4567_89AB_CDEF)
        #expect(iceMessage.contains(.useCandidate))
    }

    @Test("the error seeds decode their codes and lists")
    func errorSeeds() throws {
        let challenge = try STUNMessage(parsing: try Self.load("challenge-401-realm-nonce.bin"))
        #expect(challenge.errorCode?.code == .unauthenticated)
        #expect(try challenge.attribute(Realm.self)?.value == "lab.example")
        let unknown = try STUNMessage(parsing: try Self.load("error-420-unknown-attributes.bin"))
        #expect(try unknown.attribute(UnknownAttributes.self)?.types.map(\.rawValue) == [0x7F01, 0x000D, 0x0019])
        let alternate = try STUNMessage(parsing: try Self.load("error-300-alternate-server-v6.bin"))
        #expect(try alternate.attribute(AlternateServer.self)?.address == TransportAddress(.loopbackV6, 3478))
        #expect(alternate.mappedAddress == TransportAddress(.loopbackV4, 3478))
    }
}
