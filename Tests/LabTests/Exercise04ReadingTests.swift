@testable import ExerciseChecks
import ExerciseInterfaces
import Foundation
import Solutions
import Testing

/// A reading that gets some answers wrong in typical ways: raddr taken for the address,
/// a mistyped fingerprint byte, the answerer's role, and a direct path as the fallback.
private enum SloppyReading: SDPReadingExercise {
    static func candidates() throws -> [CandidateReading] {
        var list = try Solutions.SDPOfferReading.candidates()
        list[2].ip = "192.168.1.23"
        list.removeLast()
        return list
    }
    static func fingerprintHashFunction() throws -> FingerprintHashFunction { .sha1 }
    static func fingerprintValue() throws -> String {
        try Solutions.SDPOfferReading.fingerprintValue().replacingOccurrences(of: "5B:0E", with: "5B:0F").lowercased()
    }
    static func setupRole() throws -> SetupRole { .active }
    static func fallbackWhenUDPIsBlocked() throws -> CandidateKind { .serverReflexive }
}

private let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

@Suite("Exercise 04: reading the offer")
struct Exercise04ReadingTests {
    private var sloppyChecks: [ExerciseCheck] {
        CheckSuite.checks(
            protocolStack: Solutions.ProtocolStack.self, stunCoding: Solutions.STUNCoding.self,
            candidatePriority: Solutions.CandidatePriority.self, sdpReading: SloppyReading.self,
            dtlsFingerprint: Solutions.DTLSFingerprint.self, deliveryModes: Solutions.DeliveryModes.self, dcepOpen: Solutions.DCEPOpen.self,
            meshCost: Solutions.MeshCost.self,
            stunTransaction: Solutions.StunTransaction.self, iceChecklist: Solutions.IceChecklist.self,
            dcepChannel: Solutions.DCEPChannel.self, streamReceive: Solutions.StreamReceive.self, debugByLayer: Solutions.DebugByLayer.self)
    }

    @Test("the reference answer is what offer.sdp says, line by line")
    func answerMatchesTheFile() throws {
        let offer = try String(contentsOfFile: repositoryRoot + "/exercises/04-read-sdp-offer/offer.sdp", encoding: .utf8)
        #expect(offer == (try String(contentsOfFile: repositoryRoot + "/solutions/04-read-sdp-offer/offer.sdp", encoding: .utf8)))
        let lines = offer.split(whereSeparator: \.isNewline).map(String.init)
        let candidateLines = lines.filter { $0.hasPrefix("a=candidate:") }.map { $0.split(separator: " ").map(String.init) }
        let answer = try Solutions.SDPOfferReading.candidates()
        #expect(answer.count == candidateLines.count)
        for (reading, fields) in zip(answer, candidateLines) {
            #expect(fields[4] == reading.ip && Int(fields[5]) == reading.port)
            #expect(fields[6] == "typ" && fields[7] == reading.type.rawValue)
        }
        for (fields, related) in zip(candidateLines, SDPReadingChecks.relatedAddresses) {
            let raddr = fields.firstIndex(of: "raddr").map { (fields[$0 + 1], Int(fields[$0 + 3])) }
            #expect(raddr?.0 == related?.ip && raddr?.1 == related?.port)
        }
        let fingerprint = try Solutions.SDPOfferReading.fingerprintHashFunction().rawValue + " "
            + Solutions.SDPOfferReading.fingerprintValue()
        #expect(lines.contains("a=fingerprint:" + fingerprint))
        #expect(lines.contains("a=setup:" + (try Solutions.SDPOfferReading.setupRole().rawValue)))
        #expect(lines.contains { $0.hasPrefix("a=candidate:") && $0.contains(" typ relay ") })
    }

    @Test("a partly right reading earns partial credit, check by check")
    func partialCredit() {
        let results = sloppyChecks.filter { $0.descriptor.exerciseID == "04-read-sdp-offer" }.map { $0.result() }
        let passed = results.filter(\.passed).map(\.id)
        #expect(passed == ["04.candidate.1", "04.candidate.2"])
        #expect(results.reduce(0) { $0 + $1.earned } == 2)
    }

    @Test("failures say what is wrong without revealing the offer's values")
    func failuresKeepTheQuiz() throws {
        let failures = sloppyChecks.filter { $0.descriptor.exerciseID == "04-read-sdp-offer" }.compactMap { check -> CheckFailure? in
            if case .fail(let failure) = check.run() { return failure } else { return nil }
        }
        #expect(failures.count == 7)
        let secrets = ["203.0.113.7", "198.51.100.30", "49200", "5B:0E", "sha-256", ".sha256", "actpass", ".relay", "relay)"]
        for failure in failures {
            let text = [failure.input, failure.expected, failure.actual].joined(separator: "\n")
            for secret in secrets {
                #expect(!text.contains(secret), "a failure reveals \(secret): \(text)")
            }
        }
        let third = try #require(failures.first { $0.input.contains("[2]") })
        #expect(third.actual == "type .serverReflexive right, IP \"192.168.1.23\" WRONG, port 61002 right"
                + " (raddr/rport say where this candidate came from; the peer sends to the address before typ)")
        let fourth = try #require(failures.first { $0.input.contains("[3]") })
        #expect(fourth.actual == "no entry 4: the list has 3")
        let value = try #require(failures.first { $0.input.hasSuffix("fingerprintValue()") })
        #expect(value.actual.hasSuffix(": byte 2 differs from the offer's"))
        #expect(failures.allSatisfy { $0.rule.contains("RFC") })
    }

    @Test("fingerprint answers: case is ignored, a wrong length does not give the hash function away")
    func fingerprintComparison() throws {
        let truth = try Solutions.SDPOfferReading.fingerprintValue()
        #expect(SDPReadingChecks.fingerprintProblem(truth.lowercased()) == nil)
        #expect(SDPReadingChecks.fingerprintProblem(" " + truth + " ") == nil)
        let short = try #require(SDPReadingChecks.fingerprintProblem("AB:CD:EF"))
        #expect(short.hasPrefix("has 3 colon-separated parts"))
        #expect(!short.contains("32") && !short.contains("sha"))
        let spaced = try #require(SDPReadingChecks.fingerprintProblem(truth.replacingOccurrences(of: ":", with: " ")))
        #expect(spaced.hasPrefix("has 1 colon-separated part;"))
    }
}
