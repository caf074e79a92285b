import ExerciseChecks
import ExerciseInterfaces
import Foundation
import Solutions
import Testing

// Deliberately wrong implementations: each makes one classic mistake, and the tests
// assert that the failure names the field and the RFC rule a student must read.

private enum ForgetsPortXOR: STUNCodingExercise {
    static func encodeBindingRequest(transactionID: [UInt8]) throws -> [UInt8] {
        try Solutions.STUNCoding.encodeBindingRequest(transactionID: transactionID)
    }
    static func decodeXORMappedAddress(_ value: [UInt8], transactionID: [UInt8]) throws -> DecodedAddress {
        var decoded = try Solutions.STUNCoding.decodeXORMappedAddress(value, transactionID: transactionID)
        decoded.port ^= 0x2112
        return decoded
    }
}

private enum CookieOnlyForIPv6: STUNCodingExercise {
    static func encodeBindingRequest(transactionID: [UInt8]) throws -> [UInt8] {
        try Solutions.STUNCoding.encodeBindingRequest(transactionID: transactionID)
    }
    static func decodeXORMappedAddress(_ value: [UInt8], transactionID: [UInt8]) throws -> DecodedAddress {
        try Solutions.STUNCoding.decodeXORMappedAddress(value, transactionID: Array(repeating: 0, count: 12))
    }
}

private enum LittleEndianAndLenient: STUNCodingExercise {
    static func encodeBindingRequest(transactionID: [UInt8]) throws -> [UInt8] {
        [0x01, 0x00, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42] + transactionID
    }
    static func decodeXORMappedAddress(_ value: [UInt8], transactionID: [UInt8]) throws -> DecodedAddress {
        DecodedAddress(family: value.count > 1 ? value[1] : 0, port: 0, address: [])
    }
}

private enum SwapsTwoLayers: ProtocolStackExercise {
    static func layersTopDown() throws -> [StackLayer] {
        [.application, .dataChannel, .dtls, .sctp, .ice, .stunTurn, .udp, .ip]
    }
    static func responsibility(of layer: StackLayer) throws -> LayerResponsibility {
        layer == .sctp ? .singleOrderedByteStream : try Solutions.ProtocolStack.responsibility(of: layer)
    }
}

private func failure<Coding: STUNCodingExercise>(_ id: String, coding: Coding.Type) throws -> CheckFailure {
    let checks = CheckSuite.checks(
        protocolStack: Solutions.ProtocolStack.self, stunCoding: coding,
        candidatePriority: Solutions.CandidatePriority.self, sdpReading: Solutions.SDPOfferReading.self,
        dtlsFingerprint: Solutions.DTLSFingerprint.self, deliveryModes: Solutions.DeliveryModes.self, dcepOpen: Solutions.DCEPOpen.self,
        meshCost: Solutions.MeshCost.self,
            stunTransaction: Solutions.StunTransaction.self, iceChecklist: Solutions.IceChecklist.self,
            dcepChannel: Solutions.DCEPChannel.self, streamReceive: Solutions.StreamReceive.self, debugByLayer: Solutions.DebugByLayer.self)
    let check = try #require(checks.first { $0.descriptor.id == id })
    guard case .fail(let failure) = check.run() else {
        Issue.record("\(id) passed on a wrong implementation")
        throw CancellationError()
    }
    return failure
}

@Suite("Failure messages")
struct FailureMessageTests {
    @Test("a port left XORed is blamed on the X-Port rule, with input, expected and actual")
    func portRule() throws {
        let failure = try failure("02.decode.rfc5769-ipv4", coding: ForgetsPortXOR.self)
        #expect(failure.input.contains("00 01 a1 47 e1 12 a6 43"))
        #expect(failure.input.contains("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"))
        #expect(failure.expected == "IPv4 192.0.2.1 port 32853")
        #expect(failure.actual == "IPv4 192.0.2.1 port 41287")
        #expect(failure.rule == "RFC 8489 §14.2: X-Port is the port XORed with the most significant 16 bits of the magic cookie (0x2112)")
    }

    @Test("an IPv6 address XORed with the cookie alone is blamed on the IPv6 key rule")
    func ipv6Rule() throws {
        let failure = try failure("02.decode.rfc5769-ipv6", coding: CookieOnlyForIPv6.self)
        #expect(failure.expected == "IPv6 2001:db8:1234:5678:11:2233:4455:6677 port 32853")
        #expect(failure.actual.hasPrefix("IPv6 2001:db8:"))
        #expect(failure.rule.contains("cookie followed by the 96-bit transaction ID"))
        #expect(!failure.rule.contains("X-Port"))
    }

    @Test("a little-endian message type shows the two bytes found")
    func typeBytes() throws {
        let failure = try failure("02.encode.type", coding: LittleEndianAndLenient.self)
        #expect(failure.expected == "bytes 0–1 = 00 01")
        #expect(failure.actual.hasPrefix("bytes 0–1 = 01 00"))
        #expect(failure.rule.contains("RFC 8489 §5"))
    }

    @Test("accepting a truncated value is reported with the input that should have been rejected")
    func truncation() throws {
        let failure = try failure("02.decode.rejects-truncated", coding: LittleEndianAndLenient.self)
        #expect(failure.expected == "throws ExerciseError.invalidInput")
        #expect(failure.input.contains("empty value"))
        #expect(failure.actual.hasPrefix("returned"))
    }

    @Test("swapped layers and a wrong match fail their own checks and nothing else")
    func partialCredit() {
        let outcomes = Dictionary(uniqueKeysWithValues: CheckSuite.checks(
            protocolStack: SwapsTwoLayers.self, stunCoding: Solutions.STUNCoding.self,
            candidatePriority: Solutions.CandidatePriority.self, sdpReading: Solutions.SDPOfferReading.self,
            dtlsFingerprint: Solutions.DTLSFingerprint.self, deliveryModes: Solutions.DeliveryModes.self,
            dcepOpen: Solutions.DCEPOpen.self, meshCost: Solutions.MeshCost.self,
            stunTransaction: Solutions.StunTransaction.self, iceChecklist: Solutions.IceChecklist.self,
            dcepChannel: Solutions.DCEPChannel.self, streamReceive: Solutions.StreamReceive.self, debugByLayer: Solutions.DebugByLayer.self
        ).map { ($0.descriptor.id, $0.run()) })
        let failed = outcomes.filter { !$0.value.passed }.keys.sorted()
        #expect(failed == ["01.match.sctp", "01.order.top-down"])
        guard case .fail(let order) = outcomes["01.order.top-down"] else { return }
        #expect(order.actual.contains("first misplaced layer at position 3: .dtls"))
        // The quiz's answers never appear in a failure.
        #expect(!order.expected.contains(".sctp"))
        guard case .fail(let match) = outcomes["01.match.sctp"] else { return }
        #expect(!match.expected.contains("perStreamReliabilityAndOrdering"))
        #expect(match.actual == ".singleOrderedByteStream")
    }

    @Test("a result survives the JSON line between runner and lab, escapes included")
    func jsonLineRoundTrip() throws {
        var result = CheckResult(CheckSuite.catalog[0], outcome: .fail(CheckFailure(
            input: "quote \" backslash \\ newline \n tab \t bell \u{7} arrow → end", expected: "e", actual: "a", rule: "r")))
        result.reason = "why"
        let decoded = try JSONDecoder().decode(CheckResult.self, from: Data(result.jsonLine.utf8))
        #expect(decoded == result)
        #expect(!result.jsonLine.contains("\n"))
        let descriptor = try JSONDecoder().decode(CheckDescriptor.self, from: Data(
            CheckSuite.catalog[3].json.replacingOccurrences(of: "\"exercise\"", with: "\"exerciseID\"").utf8))
        #expect(descriptor == CheckSuite.catalog[3])
    }
}
