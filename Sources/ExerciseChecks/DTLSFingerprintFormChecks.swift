// Checks of exercise 05, part 1: fingerprint(der:algorithm:) against OpenSSL's fingerprints
// of two real certificates. A wrong answer is diagnosed when the mistake is a classic one
// (lower-case hex, no colons, the hash of another function, no name in front).
import ExerciseInterfaces

enum DTLSFingerprintFormChecks {
    typealias Checks = DTLSFingerprintChecks

    static func checks<Exercise: DTLSFingerprintExercise>(_: Exercise.Type) -> [ExerciseCheck] {
        let ecdsa = FingerprintVectors.ecdsa
        let rsa = FingerprintVectors.rsa
        let others = ["sha-1", "sha-224", "sha-384", "sha-512"]
        return [
            computes(Exercise.self, Checks.ecdsaSHA256, [(ecdsa, "sha-256", "sha-256")]),
            computes(Exercise.self, Checks.rsaSHA256, [(rsa, "sha-256", "sha-256")]),
            computes(Exercise.self, Checks.otherHashes, others.map { (ecdsa, $0, $0) } + others.map { (rsa, $0, $0) }),
            computes(Exercise.self, Checks.nameCase, [(ecdsa, "SHA-256", "sha-256"), (rsa, "Sha-384", "sha-384"), (ecdsa, "SHA-1", "sha-1")]),
            ExerciseCheck(Checks.unknownAlgorithm) {
                for name in ["sha256", "SHA256", "sha-3", "sha3-256", "md4", "", "sha-1024"] {
                    if let failure = givesNil(Exercise.self, Checks.unknownAlgorithm, ecdsa.der, ecdsa.name, name) { return .fail(failure) }
                }
                return .pass
            },
            ExerciseCheck(Checks.emptyDER) {
                for name in ["sha-256", "sha-1"] {
                    if let failure = givesNil(Exercise.self, Checks.emptyDER, [], "empty DER", name) { return .fail(failure) }
                }
                return .pass
            },
        ]
    }

    /// How a failure shows the call: the certificate by name, size and first bytes.
    static func call<Exercise: DTLSFingerprintExercise>(_: Exercise.Type, _ der: [UInt8], _ what: String, _ algorithm: String) -> String {
        let bytes = der.isEmpty ? "[]" : "<\(what), \(der.count) bytes: \(Describe.hex(Array(der.prefix(8)))) …>"
        return "\(Exercise.self).fingerprint(der: \(bytes), algorithm: \(Checks.quoted(algorithm)))"
    }

    /// A check that each (certificate, algorithm) gives OpenSSL's fingerprint under `expectedName`.
    static func computes<Exercise: DTLSFingerprintExercise>(
        _: Exercise.Type, _ descriptor: CheckDescriptor, _ cases: [(FingerprintVector, String, String)]
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for (vector, algorithm, expectedName) in cases {
                let input = call(Exercise.self, vector.der, vector.name, algorithm)
                let expected = vector.fingerprints[expectedName] ?? ""
                do {
                    let answer = try Exercise.fingerprint(der: vector.der, algorithm: algorithm)
                    guard answer == expected else {
                        let note = answer.map { diagnosis($0, vector: vector, expectedName: expectedName) } ?? ""
                        return .fail(CheckFailure(input: input, expected: Checks.quoted(expected),
                                                  actual: Checks.quoted(answer) + note, rule: descriptor.rule))
                    }
                } catch {
                    return .fail(CheckFailure(input: input, expected: Checks.quoted(expected), actual: Describe.thrown(error),
                                              rule: descriptor.rule))
                }
            }
            return .pass
        }
    }

    /// A check helper: nil when the call returns nil; otherwise the failure to report.
    static func givesNil<Exercise: DTLSFingerprintExercise>(
        _: Exercise.Type, _ descriptor: CheckDescriptor, _ der: [UInt8], _ what: String, _ algorithm: String
    ) -> CheckFailure? {
        let input = call(Exercise.self, der, what, algorithm)
        do {
            guard let answer = try Exercise.fingerprint(der: der, algorithm: algorithm) else { return nil }
            return CheckFailure(input: input, expected: "nil", actual: Checks.quoted(answer), rule: descriptor.rule)
        } catch {
            return CheckFailure(input: input, expected: "nil", actual: Describe.thrown(error), rule: descriptor.rule)
        }
    }

    /// " — why": the classic mistakes that turn OpenSSL's value into `answer`, or "" when none fits.
    static func diagnosis(_ answer: String, vector: FingerprintVector, expectedName: String) -> String {
        let value = vector.value(expectedName)
        let trimmed = answer.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let name = trimmed.count == 2 ? String(trimmed[0]) : ""
        let rest = trimmed.count == 2 ? String(trimmed[1]) : answer
        let bare: (String) -> String = { String($0.uppercased().filter { $0.isHexDigit }) }
        if answer.uppercased() == value {
            return " (the digest is right, but the hash function's name and a space must come first)"
        }
        if rest == value, name != expectedName {
            return " (the digest is right; the name must be the registered, lower-case \(Checks.quoted(expectedName)))"
        }
        if rest.uppercased() == value {
            return " (the digest is right, but RFC 8122 writes it in upper-case hex)"
        }
        if bare(rest) == bare(value) {
            return " (the digest is right, but each byte must be two hex digits with a colon between bytes)"
        }
        for (other, fingerprint) in vector.fingerprints where other != expectedName {
            let otherValue = vector.value(other)
            if bare(rest) == bare(otherValue) || answer == fingerprint {
                return " (that is the \(other) digest: the algorithm argument chooses the hash function)"
            }
        }
        if bare(rest).count == value.filter({ $0 != ":" }).count {
            return " (a digest of the right length but other bytes: hash exactly the DER bytes you were given)"
        }
        return ""
    }
}
