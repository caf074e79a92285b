// Checks of exercise 05, part 2: fingerprintsMatch. Each case is a pair of a=fingerprint
// values and the verdict RFC 8122's grammar gives; the failure names the case.
//
// The lab's decision on separators: RFC 8122 §5 defines fingerprint = 2UHEX *(":" 2UHEX),
// so a value without its colons (or with other separators) is not a fingerprint and never
// matches, even against itself. Hex case is the one leniency: UHEX is upper case, but
// lower-case values have been seen from real peers and carry the same bytes.
import ExerciseInterfaces

enum DTLSFingerprintMatchChecks {
    typealias Checks = DTLSFingerprintChecks

    /// One comparison: the two values, the verdict, and what makes the case interesting.
    typealias Case = (a: String, b: String, match: Bool, what: String)

    static func checks<Exercise: DTLSFingerprintExercise>(_: Exercise.Type) -> [ExerciseCheck] {
        let ecdsa = FingerprintVectors.ecdsa
        let rsa = FingerprintVectors.rsa
        let sha256 = ecdsa.fingerprints["sha-256"] ?? ""
        let value = ecdsa.value("sha-256")
        let pairs = value.split(separator: ":").map(String.init)
        /// The sha-256 value with its bytes joined by `separator`.
        func joined(_ separator: String, _ bytes: [String] = pairs) -> String { "sha-256 " + bytes.joined(separator: separator) }
        let lastChanged = Array(pairs.dropLast()) + ["08"]
        let firstChanged = ["1F"] + Array(pairs.dropFirst())
        let dropsLeadingZero = pairs.map { $0.hasPrefix("0") ? String($0.dropFirst()) : $0 }
        return [
            compares(Exercise.self, Checks.identical, [
                (sha256, sha256, true, "the same sha-256 value"),
                (rsa.fingerprints["sha-1"] ?? "", rsa.fingerprints["sha-1"] ?? "", true, "the same sha-1 value"),
            ]),
            compares(Exercise.self, Checks.hexCase, [
                ("sha-256 " + value.lowercased(), sha256, true, "lower-case hex against upper-case"),
                (sha256, joined(":", pairs.enumerated().map { $0.offset % 2 == 0 ? $0.element.lowercased() : $0.element }), true,
                 "upper-case hex against mixed case"),
            ]),
            compares(Exercise.self, Checks.hashNameCase, [
                ("SHA-256 " + value, sha256, true, "SHA-256 against sha-256"),
                ("Sha-512 " + ecdsa.value("sha-512"), ecdsa.fingerprints["sha-512"] ?? "", true, "Sha-512 against sha-512"),
            ]),
            compares(Exercise.self, Checks.whitespace, [
                ("  " + sha256 + "\r\n", sha256, true, "leading spaces and a CRLF"),
                (sha256, "\t" + sha256 + " ", true, "a tab before, a space after"),
            ]),
            compares(Exercise.self, Checks.differentBytes, [
                (sha256, joined(":", lastChanged), false, "the last byte differs (09 against 08)"),
                (joined(":", firstChanged), sha256, false, "the first byte differs (1F against 0F)"),
                (sha256, rsa.fingerprints["sha-256"] ?? "", false, "the ECDSA certificate against the RSA one"),
            ]),
            compares(Exercise.self, Checks.differentAlgorithm, [
                (ecdsa.fingerprints["sha-1"] ?? "", sha256, false, "sha-1 and sha-256 of the same certificate"),
                (sha256, "sha-384 " + value, false, "the same 32 bytes under sha-256 and sha-384"),
                ("sha-224 " + ecdsa.value("sha-224"), "sha-256 " + ecdsa.value("sha-224"), false,
                 "the same 28 bytes under sha-224 and sha-256"),
            ]),
            compares(Exercise.self, Checks.separators, [
                (joined(""), sha256, false, "no colons at all"),
                (joined(""), joined(""), false, "no colons on either side"),
                (joined("-"), sha256, false, "dashes instead of colons"),
                (joined(":") + ":", sha256, false, "a colon after the last byte"),
                ("sha-256 :" + value, sha256, false, "a colon before the first byte"),
                (joined("::"), sha256, false, "doubled colons"),
                (joined(":", dropsLeadingZero), sha256, false, "bytes below 0x10 written with one digit (F instead of 0F)"),
            ]),
            compares(Exercise.self, Checks.malformed, [
                ("", "", false, "two empty values"),
                (value, value, false, "no hash function name on either side"),
                ("sha-3 " + value, "sha-3 " + value, false, "the same value under an unregistered name"),
                ("sha-256 0F:BC:35", "sha-256 0F:BC:35", false, "3 bytes, too few for sha-256 (32)"),
                (joined(":", pairs + ["00"]), joined(":", pairs + ["00"]), false, "33 bytes, too many for sha-256"),
                ("sha-256", "sha-256", false, "a name and no value"),
                (joined(":", ["ZZ"] + pairs.dropFirst()), joined(":", ["ZZ"] + pairs.dropFirst()), false, "ZZ is not hex"),
                ("sha-256 " + value + " extra", sha256, false, "a third field after the value"),
            ]),
        ]
    }

    /// A check that every case gives its verdict.
    static func compares<Exercise: DTLSFingerprintExercise>(
        _: Exercise.Type, _ descriptor: CheckDescriptor, _ cases: [Case]
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for item in cases {
                let input = "\(Exercise.self).fingerprintsMatch(\(Checks.quoted(item.a)), \(Checks.quoted(item.b))) — \(item.what)"
                do {
                    let answer = try Exercise.fingerprintsMatch(item.a, item.b)
                    if answer != item.match {
                        return .fail(CheckFailure(input: input, expected: String(item.match), actual: String(answer),
                                                  rule: descriptor.rule))
                    }
                } catch {
                    return .fail(CheckFailure(input: input, expected: String(item.match), actual: Describe.thrown(error),
                                              rule: descriptor.rule))
                }
            }
            return .pass
        }
    }
}
