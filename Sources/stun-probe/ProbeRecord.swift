import Foundation
import STUN
import Wire

/// Everything one Binding transaction did, for the human and JSON reports.
struct TransactionRecord {
    /// How the transaction ended.
    enum Outcome {
        /// A valid success response.
        case success(STUNClientResponse)
        /// A valid error response (e.g. 401).
        case errorResponse(STUNClientResponse)
        /// A response arrived but the client rejected it (e.g. unknown comprehension-required attribute).
        case rejected(reason: String)
        /// No valid answer after all retransmissions and the final wait.
        case timedOut(transmissions: Int)
        /// No valid answer within --timeout.
        case abandoned(transmissions: Int)
    }

    /// 1-based number within the run.
    var number: Int
    /// The transaction id.
    var transactionID: TransactionID
    /// The request as first sent.
    var requestBytes: [UInt8] = []
    /// When the first request went out.
    var startedAt: Instant
    /// Sends of the request so far (1 = no retransmission).
    var transmissions = 1
    /// Offsets from the first send at which retransmissions went out.
    var retransmittedAt: [Duration] = []
    /// Datagrams from the server the client discarded, with the client's reason.
    var discarded: [(bytes: [UInt8], reason: String)] = []
    /// How it ended (nil while running).
    var outcome: Outcome?
    /// When it ended.
    var endedAt: Instant?
    /// What the student's decoder made of XOR-MAPPED-ADDRESS (--use-exercise).
    var exercise: ExerciseOutcome?
    /// Sends of the request dropped before the socket by --drop-requests (their numbers, 1 = the first).
    var droppedSends: [Int] = []
    /// --use-exercise: a rule the student's transaction broke during this transaction; it ends the run.
    var transactionProblem: String?

    /// Retransmissions = sends after the first.
    var retransmissions: Int { max(0, transmissions - 1) }

    /// The valid response, if any.
    var response: STUNClientResponse? {
        switch outcome {
        case let .success(response), let .errorResponse(response): return response
        default: return nil
        }
    }

    /// The bytes to show as "the response": the valid one, else the last discarded datagram.
    var responseBytes: [UInt8]? { response?.bytes ?? discarded.last?.bytes }

    /// The round-trip time of a valid response.
    var rtt: Duration? { response?.rtt }

    /// The exit status this transaction alone would give, and why (nil: success).
    var failure: ProbeFailure? {
        if let transactionProblem {
            return ProbeFailure(.exerciseFailed, "your StunTransaction (\(TransactionExercise.file)) \(transactionProblem); "
                + "check it with `lab check 09`")
        }
        guard let outcome else { return ProbeFailure(.localFailure, "transaction \(number) did not finish") }
        switch outcome {
        case let .success(response):
            guard response.mappedAddress != nil else {
                return ProbeFailure(.malformedResponse, "the success response carries no usable XOR-MAPPED-ADDRESS or MAPPED-ADDRESS"
                    + (Self.addressProblem(response).map { " (\($0))" } ?? ""))
            }
            if let exercise, let failure = exercise.failure { return failure }
            return nil
        case let .errorResponse(response):
            let code = response.errorCode.map { "\($0.code.rawValue) \($0.reason)" } ?? "without a readable ERROR-CODE"
            return ProbeFailure(.errorResponse, "the server answered with an error response: \(code)")
        case let .rejected(reason):
            return ProbeFailure(.malformedResponse, "unusable response: \(reason)")
        case let .timedOut(transmissions), let .abandoned(transmissions):
            if let last = discarded.last {
                let verification = discarded.contains { $0.reason.contains("INTEGRITY") || $0.reason.contains("FINGERPRINT") }
                if verification {
                    return ProbeFailure(.verificationFailed, "\(discarded.count) response(s) failed verification and were "
                        + "discarded (RFC 8489 §9.1.4): \(last.reason)")
                }
                return ProbeFailure(.malformedResponse, "the server sent \(discarded.count) datagram(s) but no valid STUN "
                    + "response to our request: \(last.reason)")
            }
            return noAnswer(transmissions: transmissions)
        }
    }

    private func noAnswer(transmissions: Int) -> ProbeFailure {
        if case .abandoned = outcome {
            return ProbeFailure(.noResponse, "no answer within --timeout (\(transmissions) request(s) sent)")
        }
        let waited = endedAt.map { $0 - startedAt } ?? .zero
        return ProbeFailure(.noResponse, "no answer after \(transmissions) requests and \(seconds(waited)) "
            + "(the RFC 8489 schedule: 39.5 s at the default 500 ms RTO; --rto shortens it)")
    }

    /// Why XOR-MAPPED-ADDRESS or MAPPED-ADDRESS failed to decode, if one is present.
    static func addressProblem(_ response: STUNClientResponse) -> String? {
        do {
            _ = try response.message.attribute(XORMappedAddress.self)
            _ = try response.message.attribute(MappedAddress.self)
            return nil
        } catch {
            return "\(error)"
        }
    }
}

/// The result of running the student's `decodeXORMappedAddress` on a real response.
struct ExerciseOutcome {
    /// What the student's code returned, as an address (nil when it threw).
    var decoded: TransportAddress?
    /// What the library decoded.
    var expected: TransportAddress?
    /// Family byte the student returned.
    var family: UInt8?
    /// The error the student's code threw, described.
    var error: String?
    /// True when the starter's `notImplemented` was thrown.
    var notImplemented = false

    var failure: ProbeFailure? {
        if notImplemented {
            return ProbeFailure(.exerciseFailed, "your decodeXORMappedAddress is not implemented yet "
                + "(exercises/02-stun-coding/STUNCoding.swift); write it, then run `lab check 02`")
        }
        if let error {
            return ProbeFailure(.exerciseFailed, "your decodeXORMappedAddress threw on a valid attribute: \(error)")
        }
        if let family, let expected, family != (expected.ip.isIPv4 ? 0x01 : 0x02) {
            return ProbeFailure(.exerciseFailed, "your decodeXORMappedAddress says family \(family), the attribute "
                + "carries \(expected.ip.isIPv4 ? "0x01 (IPv4)" : "0x02 (IPv6)")")
        }
        if decoded != expected {
            return ProbeFailure(.exerciseFailed, "your decodeXORMappedAddress says \(decoded.map { "\($0)" } ?? "nothing"), "
                + "the library says \(expected.map { "\($0)" } ?? "nothing")")
        }
        return nil
    }
}

/// `value` with `digits` decimals.
func format(_ value: Double, digits: Int = 3) -> String {
    String(format: "%.\(digits)f", value)
}
