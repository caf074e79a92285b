import Foundation
import STUN
import Wire

/// The `--json` report: ONE object, so `stun-probe --json | jq .mapped_address` works.
///
/// Top-level keys describe the first transaction (what a single probe is
/// about); `transactions` holds every one, `summary` the RTT statistics.
enum JSONReport {
    static func render(_ records: [TransactionRecord], context: RunContext, failure: ProbeFailure?) -> String {
        var object: [String: Any] = [
            "server": "\(context.server)",
            "embedded_server": context.embedded,
            "local_address": "\(context.local)",
            "rto_ms": context.policy.initialRTO.milliseconds,
            "max_transmissions": context.policy.maxTransmissions,
            "final_wait_ms": context.policy.finalWait.milliseconds,
            "count": context.count,
            "ok": failure == nil,
            "exit_code": Int(failure?.exit.rawValue ?? 0),
            "error": failure.map { $0.message as Any } ?? NSNull(),
            "transactions": records.map(transaction),
        ]
        if let host = context.host { object["server_argument"] = host }
        if context.usedExercise {
            object["exercise_transaction"] = context.transactionNotImplemented ? "not-implemented (the library's ran)" : "yours"
        }
        if let first = records.first {
            for (key, value) in transaction(first) where key != "number" { object[key] = value }
        }
        let rtts = records.compactMap(\.rtt).map(\.milliseconds)
        var summary: [String: Any] = [
            "transactions": records.count,
            "answered": rtts.count,
            "retransmissions": records.reduce(0) { $0 + $1.retransmissions },
        ]
        if let low = rtts.min(), let high = rtts.max() {
            summary["rtt_min_ms"] = low
            summary["rtt_avg_ms"] = rtts.reduce(0, +) / Double(rtts.count)
            summary["rtt_max_ms"] = high
        }
        object["summary"] = summary
        object["retransmissions"] = summary["retransmissions"]
        if let pcap = context.pcap {
            object["pcap"] = ["path": pcap.path, "datagrams": pcap.records]
        }
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: options) else {
            return "{\"ok\": false, \"error\": \"could not encode the report\"}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func transaction(_ record: TransactionRecord) -> [String: Any] {
        var object: [String: Any] = [
            "number": record.number,
            "transaction_id": "\(record.transactionID)",
            "request_hex": Hex.encode(record.requestBytes),
            "request": field(STUNDissector.dissect(record.requestBytes), bytes: record.requestBytes),
            "transmissions": record.transmissions,
            "retransmissions": record.retransmissions,
            "retransmitted_at_ms": record.retransmittedAt.map(\.milliseconds),
            "outcome": outcome(record.outcome),
            "discarded": record.discarded.map { ["reason": $0.reason, "hex": Hex.encode($0.bytes)] },
            "dropped_sends": record.droppedSends,
        ]
        if let bytes = record.responseBytes {
            object["response_hex"] = Hex.encode(bytes)
            object["response"] = field(STUNDissector.dissect(bytes), bytes: bytes)
        }
        if let response = record.response {
            object["rtt_ms"] = response.rtt.milliseconds
            object["response_type"] = "\(response.message.messageType)"
            object["response_from"] = "\(response.server)"
            object["fingerprint"] = "\(STUNMessage.verifyFingerprint(of: response.bytes))"
            object["integrity"] = "\(response.integrity)"
            if let mapped = response.mappedAddress {
                object["mapped_address"] = "\(mapped)"
                object["mapped_family"] = mapped.ip.isIPv4 ? "IPv4" : "IPv6"
                object["mapped_ip"] = "\(mapped.ip)"
                object["mapped_port"] = Int(mapped.port)
            }
            if let error = response.errorCode {
                object["error_code"] = error.code.rawValue
                object["error_reason"] = error.reason
            }
            if let software = try? response.message.attribute(Software.self) { object["software"] = software.value }
        }
        if let failure = record.failure { object["failure"] = failure.message }
        if let problem = record.transactionProblem { object["transaction_problem"] = problem }
        if let exercise = record.exercise {
            var entry: [String: Any] = ["implemented": !exercise.notImplemented,
                                        "matches_library": exercise.failure == nil]
            if let decoded = exercise.decoded { entry["decoded"] = "\(decoded)" }
            if let family = exercise.family { entry["family"] = Int(family) }
            if let error = exercise.error { entry["error"] = error }
            object["exercise"] = entry
        }
        return object
    }

    private static func outcome(_ outcome: TransactionRecord.Outcome?) -> String {
        switch outcome {
        case .success: return "success"
        case .errorResponse: return "error-response"
        case .rejected: return "rejected"
        case .timedOut: return "timed-out"
        case .abandoned: return "timeout-cap"
        case nil: return "unfinished"
        }
    }

    /// A dissection node as JSON: name, offset, length, value, hex, children.
    static func field(_ node: DissectedField, bytes: [UInt8]) -> [String: Any] {
        var object: [String: Any] = ["name": node.name, "offset": node.offset, "length": node.length, "value": node.value]
        let end = min(bytes.count, node.offset + node.length)
        if node.offset >= 0, node.offset < end { object["hex"] = Hex.encode(bytes[node.offset..<end]) }
        if node.isError { object["error"] = true }
        if !node.children.isEmpty { object["children"] = node.children.map { field($0, bytes: bytes) } }
        return object
    }
}
