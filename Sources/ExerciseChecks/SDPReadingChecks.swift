// Checks of exercise 04: reading exercises/04-read-sdp-offer/offer.sdp. One check per
// candidate line and per attribute, so a partly right reading earns partial credit.
//
// This is a reading quiz: a failure says WHICH part of an answer is wrong (the type, the
// address, the port, the n-th fingerprint byte) and which line of the offer to look at,
// but never prints the offer's value, or the quiz would grade nothing.
import ExerciseInterfaces

enum SDPReadingChecks {
    static let exerciseID = "04-read-sdp-offer"
    static let check = DescriptorMaker(exerciseID: exerciseID)

    /// The answers, in the order of the offer's a=candidate lines.
    static let expectedCandidates: [CandidateReading] = [
        CandidateReading(type: .host, ip: "2001:db8:7::23", port: 54322),
        CandidateReading(type: .host, ip: "192.168.1.23", port: 54321),
        CandidateReading(type: .serverReflexive, ip: "203.0.113.7", port: 61002),
        CandidateReading(type: .relay, ip: "198.51.100.30", port: 49200),
    ]
    /// The raddr/rport of each line (nil for host candidates): the most common misreading.
    static let relatedAddresses: [(ip: String, port: Int)?] = [nil, nil, ("192.168.1.23", 54321), ("203.0.113.7", 61002)]
    static let expectedHash = FingerprintHashFunction.sha256
    static let expectedFingerprint = "5B:0E:8C:21:F4:77:3A:D9:10:6E:B2:4C:E8:93:51:AF:07:C6:2D:9B:E1:48:35:7F:A2:0C:DB:66:19:F3:8E:44"
    static let expectedSetup = SetupRole.actpass
    static let expectedFallback = CandidateKind.relay

    static let candidateRule = "RFC 8839 §5.1: a=candidate:<foundation> <component> <transport> <priority> <connection-address> <port> "
        + "typ <cand-type> [raddr <address> rport <port>] …; raddr/rport name the base a candidate came from, not the candidate"
    static let fingerprintRule = "RFC 8122 §5: a=fingerprint:<hash-function> <fingerprint>, the hash of the endpoint's certificate "
        + "as upper-case hex bytes separated by colons"
    static let setupRule = "RFC 8842 §5: the a=setup attribute negotiates which side is the DTLS client; "
        + "RFC 4145 §4: its values are active, passive, actpass and holdconn"
    static let fallbackRule = "RFC 8445 §5.1.1: host and server-reflexive candidates are reached directly by the peer's UDP packets; "
        + "RFC 8656 §3.1: a client may talk to its TURN server over UDP, TCP or TLS"

    static let count = check(
        "candidates.count", points: 1, title: "candidates() lists one entry per a=candidate line", rule: candidateRule)
    static func candidateDescriptor(_ index: Int) -> CheckDescriptor {
        check(
            "candidate.\(index + 1)", points: 1,
            title: "candidate \(index + 1) of the offer: type, IP address and port", rule: candidateRule)
    }
    static let hash = check(
        "fingerprint.hash", points: 1, title: "fingerprintHashFunction() names the offer's hash function", rule: fingerprintRule)
    static let fingerprint = check(
        "fingerprint.value", points: 1, title: "fingerprintValue() is the offer's certificate fingerprint", rule: fingerprintRule)
    static let setup = check("setup.role", points: 1, title: "setupRole() is the offer's DTLS setup role", rule: setupRule)
    static let fallback = check(
        "fallback.udp-blocked", points: 2,
        title: "fallbackWhenUDPIsBlocked() names the candidate type that still works", rule: fallbackRule)

    static let descriptors = [count] + expectedCandidates.indices.map(candidateDescriptor) + [hash, fingerprint, setup, fallback]

    /// Shown as "expected" in every failure: where to look, never the answer.
    static let hidden = "the value in offer.sdp (not shown: this is the quiz)"

    static func checks<Reading: SDPReadingExercise>(_ reading: Reading.Type) -> [ExerciseCheck] {
        let candidatesCall = "\(Reading.self).candidates()"
        let countText = "one entry per a=candidate line of offer.sdp (not shown: count them)"
        let lineText = "the type, IP address and port of that line of offer.sdp (not shown: this is the quiz)"
        var checks = [
            ExerciseCheck(count) {
                do {
                    let answer = try Reading.candidates()
                    guard answer.count == expectedCandidates.count else {
                        return .fail(CheckFailure(
                            input: candidatesCall, expected: countText,
                            actual: "\(answer.count) entr\(answer.count == 1 ? "y" : "ies")", rule: candidateRule))
                    }
                    return .pass
                } catch {
                    return .fail(CheckFailure(input: candidatesCall, expected: countText, actual: Describe.thrown(error), rule: candidateRule))
                }
            },
        ]
        for (index, truth) in expectedCandidates.enumerated() {
            checks.append(ExerciseCheck(candidateDescriptor(index)) {
                let input = candidatesCall + "[\(index)], the offer's a=candidate line number \(index + 1)"
                let answer: [CandidateReading]
                do { answer = try Reading.candidates() } catch {
                    return .fail(CheckFailure(input: input, expected: lineText, actual: Describe.thrown(error), rule: candidateRule))
                }
                guard index < answer.count else {
                    return .fail(CheckFailure(
                        input: input, expected: lineText,
                        actual: "no entry \(index + 1): the list has \(answer.count)", rule: candidateRule))
                }
                let given = answer[index]
                let verdicts = [
                    ("type", given.type == truth.type, "." + String(describing: given.type)),
                    ("IP", sameAddress(given.ip, truth.ip), "\"\(given.ip)\""),
                    ("port", given.port == truth.port, String(given.port)),
                ]
                guard verdicts.allSatisfy(\.1) else {
                    var summary = verdicts.map { "\($0.0) \($0.2) \($0.1 ? "right" : "WRONG")" }.joined(separator: ", ")
                    if let related = relatedAddresses[index], sameAddress(given.ip, related.ip) || given.port == related.port {
                        summary += " (raddr/rport say where this candidate came from; the peer sends to the address before typ)"
                    }
                    return .fail(CheckFailure(input: input, expected: lineText, actual: summary, rule: candidateRule))
                }
                return .pass
            })
        }
        checks += [
            choice(hash, "\(Reading.self).fingerprintHashFunction()", hidden, expectedHash, fingerprintRule) {
                try Reading.fingerprintHashFunction()
            },
            ExerciseCheck(fingerprint) {
                let call = "\(Reading.self).fingerprintValue()"
                do {
                    let answer = try Reading.fingerprintValue()
                    if let problem = fingerprintProblem(answer) {
                        return .fail(CheckFailure(input: call, expected: hidden, actual: "\"\(answer)\": \(problem)", rule: fingerprintRule))
                    }
                    return .pass
                } catch {
                    return .fail(CheckFailure(input: call, expected: hidden, actual: Describe.thrown(error), rule: fingerprintRule))
                }
            },
            choice(setup, "\(Reading.self).setupRole()", hidden, expectedSetup, setupRule) { try Reading.setupRole() },
            choice(fallback, "\(Reading.self).fallbackWhenUDPIsBlocked()",
                   "the candidate type that still reaches the peer when no UDP packet gets through (not shown: this is the quiz)",
                   expectedFallback, fallbackRule) {
                try Reading.fallbackWhenUDPIsBlocked()
            },
        ]
        return checks
    }

    /// A check of one answer chosen from an enum; the failure shows only the student's choice.
    static func choice<Value: Equatable>(
        _ descriptor: CheckDescriptor, _ call: String, _ expected: String, _ truth: Value, _ rule: String,
        _ answer: @escaping () throws -> Value
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            do {
                let given = try answer()
                guard given == truth else {
                    return .fail(CheckFailure(input: call, expected: expected, actual: "." + String(describing: given), rule: rule))
                }
                return .pass
            } catch {
                return .fail(CheckFailure(input: call, expected: expected, actual: Describe.thrown(error), rule: rule))
            }
        }
    }

    /// Addresses compare as text, ignoring case (IPv6 hex) and surrounding spaces.
    static func sameAddress(_ given: String, _ truth: String) -> Bool {
        given.trimmingSpaces.lowercased() == truth.lowercased()
    }

    /// nil when `answer` is the offer's fingerprint (hex case ignored); otherwise what is off,
    /// told by byte position so a copying slip can be found without revealing the value.
    static func fingerprintProblem(_ answer: String) -> String? {
        let truth = expectedFingerprint.split(separator: ":").map { $0.uppercased() }
        let given = answer.trimmingSpaces.split(separator: ":", omittingEmptySubsequences: false).map { $0.uppercased() }
        if given.count != truth.count {
            // The byte count would give away the hash function (the other check), so it is not shown.
            return "has \(given.count) colon-separated part\(given.count == 1 ? "" : "s"); "
                + "the offer's fingerprint has a different number, one per byte of the digest"
        }
        let wrong = zip(given, truth).enumerated().filter { $0.element.0 != $0.element.1 }.map { String($0.offset + 1) }
        guard !wrong.isEmpty else { return nil }
        return wrong.count == 1 ? "byte \(wrong[0]) differs from the offer's"
            : "bytes " + wrong.joined(separator: ", ") + " differ from the offer's"
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line ends (no Foundation here).
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
