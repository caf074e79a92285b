import CShims
@testable import ExerciseChecks
import ExerciseInterfaces
import Foundation
import Solutions
import Testing
@testable import LabKit

// Exercise 05: the hash functions given to students agree with OpenSSL, the checks tell
// classic mistakes apart, and a submission with exercise 05 solved earns exactly its points.

/// Writes lower-case hex and no colons: the two classic formatting mistakes at once.
private enum SloppyFormatting: DTLSFingerprintExercise {
    static func fingerprint(der: [UInt8], algorithm: String) throws -> String? {
        guard let right = try Solutions.DTLSFingerprint.fingerprint(der: der, algorithm: algorithm) else { return nil }
        return algorithm == "sha-256" ? right.lowercased() : right.replacingOccurrences(of: ":", with: "")
    }
    static func fingerprintsMatch(_ a: String, _ b: String) throws -> Bool { a == b }
    static func dtlsRole(localSetup: String, remoteSetup: String) throws -> String? {
        try Solutions.DTLSFingerprint.dtlsRole(localSetup: localSetup, remoteSetup: remoteSetup)?.capitalized
    }
}

/// Hashes with the wrong function, compares only the hex, and makes active the server.
private enum ConfusedRoles: DTLSFingerprintExercise {
    static func fingerprint(der: [UInt8], algorithm: String) throws -> String? {
        guard algorithm == "sha-256" else { return try Solutions.DTLSFingerprint.fingerprint(der: der, algorithm: algorithm) }
        return try Solutions.DTLSFingerprint.fingerprint(der: der, algorithm: "sha-1").map { "sha-256" + $0.drop(while: { $0 != " " }) }
    }
    /// Compares b's bytes under a's hash name: right about everything but the algorithm.
    static func fingerprintsMatch(_ a: String, _ b: String) throws -> Bool {
        let left = a.split(whereSeparator: \.isWhitespace)
        let right = b.split(whereSeparator: \.isWhitespace)
        guard left.count == 2, right.count == 2 else { return false }
        return try Solutions.DTLSFingerprint.fingerprintsMatch(a, left[0] + " " + right[1])
    }
    static func dtlsRole(localSetup: String, remoteSetup: String) throws -> String? {
        switch try Solutions.DTLSFingerprint.dtlsRole(localSetup: localSetup, remoteSetup: remoteSetup) {
        case "client": "server"
        case "server": "client"
        default: nil
        }
    }
}

/// The exercise 05 checks bound to `exercise`, run, keyed by id.
private func outcomes<Exercise: DTLSFingerprintExercise>(_ exercise: Exercise.Type) -> [String: CheckOutcome] {
    Dictionary(uniqueKeysWithValues: DTLSFingerprintChecks.checks(exercise).map { ($0.descriptor.id, $0.run()) })
}

/// OpenSSL's digest through the package's C shim (1 SHA-1, 2 SHA-256, 3 SHA-224, 4 SHA-384, 5 SHA-512).
private func openSSLDigest(_ algorithm: ExerciseDigest.Algorithm, _ bytes: [UInt8]) -> [UInt8] {
    let code: Int32 = switch algorithm {
    case .sha1: 1
    case .sha256: 2
    case .sha224: 3
    case .sha384: 4
    case .sha512: 5
    }
    var out = [UInt8](repeating: 0, count: 64)
    let written = bytes.withUnsafeBufferPointer { input in lab_digest(code, input.baseAddress, input.count, &out) }
    return Array(out.prefix(written))
}

@Suite("Exercise 05: fingerprints and roles")
struct Exercise05FingerprintTests {
    @Test("ExerciseDigest equals OpenSSL for every length 0...300 and 200 random messages up to 5000 bytes",
          arguments: ExerciseDigest.Algorithm.allCases)
    func digestsMatchOpenSSL(algorithm: ExerciseDigest.Algorithm) {
        var generator = SplitMixForTests(0x05_D16E57)
        var messages = (0...300).map { length in (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ length) } }
        for _ in 0..<200 {
            let length = Int(generator.next() % 5000)
            messages.append((0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        }
        for message in messages {
            let ours = ExerciseDigest.hash(algorithm, message)
            #expect(ours.count == algorithm.byteCount)
            #expect(ours == openSSLDigest(algorithm, message), "\(algorithm), \(message.count) bytes")
        }
    }

    @Test("the FIPS 180-4 example \"abc\" gives the published digests")
    func fipsExamples() {
        let abc = Array("abc".utf8)
        let hex: (ExerciseDigest.Algorithm) -> String = { ExerciseDigest.hash($0, abc).map { String(format: "%02x", $0) }.joined() }
        #expect(hex(.sha1) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex(.sha224) == "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7")
        #expect(hex(.sha256) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(.sha384).hasPrefix("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"))
        #expect(hex(.sha512).hasPrefix("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"))
    }

    @Test("the test certificates decode to their full DER length and start with a SEQUENCE header")
    func vectorsAreWhole() {
        for (vector, length) in [(FingerprintVectors.ecdsa, 424), (FingerprintVectors.rsa, 815)] {
            #expect(vector.der.count == length)
            // 30 82 LL LL: a DER SEQUENCE whose two-byte length covers the rest exactly.
            #expect(vector.der.prefix(2) == [0x30, 0x82] && Int(vector.der[2]) << 8 | Int(vector.der[3]) == length - 4)
            #expect(vector.fingerprints.count == 5)
        }
    }

    @Test("the reference answer's fingerprints of random DER match themselves under every name spelling")
    func referenceRoundTrip() throws {
        var generator = SplitMixForTests(0x05_0F1A)
        for name in ["sha-1", "sha-224", "sha-256", "sha-384", "sha-512"] {
            let der = (0..<Int(generator.next() % 900 + 1)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let value = try #require(try Solutions.DTLSFingerprint.fingerprint(der: der, algorithm: name.uppercased()))
            #expect(value.hasPrefix(name + " "))
            #expect(try Solutions.DTLSFingerprint.fingerprintsMatch(value, " " + value.lowercased() + "\n"))
            #expect(try !Solutions.DTLSFingerprint.fingerprintsMatch(value, value.replacingOccurrences(of: ":", with: "")))
        }
    }

    @Test("formatting mistakes are named in the failure, and a text comparison loses the lenient cases")
    func sloppyFormatting() {
        let results = outcomes(SloppyFormatting.self)
        guard case .fail(let lower) = results["05.fingerprint.ecdsa-sha256"],
              case .fail(let noColons) = results["05.fingerprint.other-hashes"],
              case .fail(let capitalized) = results["05.role.offerer"] else {
            Issue.record("a sloppy answer passed: \(results)")
            return
        }
        #expect(lower.actual.hasSuffix("(the digest is right, but RFC 8122 writes it in upper-case hex)"))
        #expect(lower.expected == "\"" + (FingerprintVectors.ecdsa.fingerprints["sha-256"] ?? "") + "\"")
        #expect(noColons.actual.hasSuffix("(the digest is right, but each byte must be two hex digits with a colon between bytes)"))
        #expect(capitalized.actual == "\"Server\" (the role names are lower case: \"client\" and \"server\")")
        let failed = Set(results.filter { !$0.value.passed }.keys)
        #expect(failed.isSuperset(of: ["05.match.hex-case", "05.match.name-case", "05.match.whitespace",
                                       "05.match.separators", "05.match.malformed"]))
        #expect(results["05.match.identical"]?.passed == true && results["05.match.different-algorithm"]?.passed == true)
    }

    @Test("the wrong hash, a hex-only comparison and swapped roles fail exactly their checks")
    func confusedAnswers() {
        let results = outcomes(ConfusedRoles.self)
        let failed = results.filter { !$0.value.passed }.keys.sorted()
        #expect(failed == ["05.fingerprint.ecdsa-sha256", "05.fingerprint.rsa-sha256", "05.match.different-algorithm",
                           "05.role.active-passive", "05.role.answerer", "05.role.offerer"])
        guard case .fail(let wrongHash) = results["05.fingerprint.ecdsa-sha256"] else { return }
        #expect(wrongHash.actual.hasSuffix("(that is the sha-1 digest: the algorithm argument chooses the hash function)"))
        guard case .fail(let algorithms) = results["05.match.different-algorithm"] else { return }
        #expect(algorithms.input.contains("the same 32 bytes under sha-256 and sha-384") && algorithms.expected == "false")
        #expect(DTLSFingerprintChecks.descriptors.allSatisfy { $0.rule.contains("RFC") })
        #expect(DTLSFingerprintChecks.descriptors.reduce(0) { $0 + $1.points } == 24)
    }

    @Test("lab grade: a starter copy with only exercise 05 solved earns exactly exercise 05's points")
    func gradesASolvedCopy() throws {
        try GraderTestSupport.expectOnlySolvedExerciseEarns("05-dtls-fingerprint", file: "DTLSFingerprint.swift", checks: 20, points: 24)
    }
}

/// SplitMix64's constants: a seeded generator, so a failing length reproduces.
private struct SplitMixForTests {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
