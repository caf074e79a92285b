import STUN
import Wire

/// The report a reader learns from: every byte of the first exchange decoded
/// like Wireshark's packet tree, then the verdicts in plain words.
final class HumanReport {
    private var signed = false
    private var current = 0
    /// The short-term key, when the user gave credentials: the response's tree
    /// then shows the MESSAGE-INTEGRITY verdict, matching the summary below it.
    var integrityKey: STUNKey?

    func start(server: TransportAddress, host: String?, embedded: Bool, local: TransportAddress,
               policy: STUNRetransmissionPolicy, count: Int, credentials: Bool, useExercise: Bool = false,
               dropRequests: Int = 0) {
        if embedded {
            print("No server given: probing a STUN server embedded in this process at \(server) (nothing leaves this machine).")
        } else if let host, IPAddress(host) == nil {
            print("Probing \(host) (resolved to \(server)).")
        } else {
            print("Probing \(server).")
        }
        let schedule = policy.schedule
        let sends = schedule.sends.map { format($0.milliseconds, digits: 0) }.joined(separator: ", ")
        print("Client socket \(local). Retransmissions (RFC 8489 §6.2.1): sends at \(sends) ms, "
            + "gives up at \(seconds(schedule.giveUp)).")
        if useExercise {
            print("--use-exercise: your exercise 09 StunTransaction decides when to send again and when to give up; "
                + "your exercise 02 decoder reads XOR-MAPPED-ADDRESS.")
        }
        if dropRequests > 0 {
            print("--drop-requests \(dropRequests): the first \(dropRequests) send(s) of every transaction are dropped before the socket.")
        }
        print("Offsets in the packet trees are hexadecimal byte positions within the datagram.")
        signed = credentials
        if credentials { print("Requests carry USERNAME and MESSAGE-INTEGRITY (short-term credentials); responses must too.") }
    }

    func requestSent(_ record: TransactionRecord, total: Int) {
        current = record.number
        guard record.number == 1 else { return }
        print("")
        print("--> Binding request, \(record.requestBytes.count) bytes, transaction id \(record.transactionID)")
        printTree(record.requestBytes, key: integrityKey)
        if record.droppedSends.contains(1) { print("    send #1 dropped (--drop-requests): it never reached the socket") }
    }

    func transactionNotImplemented() {
        print("    your StunTransaction is not implemented yet (\(TransactionExercise.file)): the library's transaction runs this probe")
    }

    func serverEvent(_ event: ServerLogEvent) {
        // The first exchange is shown in full; later ones get one line each.
        guard current <= 1 else { return }
        print("    [embedded server] \(event)")
    }

    func retransmitted(_ record: TransactionRecord) {
        guard let at = record.retransmittedAt.last else { return }
        let dropped = record.droppedSends.contains(record.transmissions) ? " (dropped: --drop-requests)" : ""
        print("    no answer yet: sent the request again (send #\(record.transmissions)) at +\(format(at.milliseconds, digits: 1)) ms"
            + dropped)
    }

    func discarded(_ reason: String) {
        print("    discarded a datagram from the server: \(reason)")
    }

    func finished(_ record: TransactionRecord, total: Int) {
        if record.number == 1 || record.failure != nil {
            if let response = record.response {
                print("")
                print("<-- \(response.message.messageType), \(response.bytes.count) bytes, from \(response.server), "
                    + "after \(format(response.rtt.milliseconds)) ms")
                printTree(response.bytes, key: integrityKey)
            } else if let bytes = record.responseBytes, !bytes.isEmpty {
                print("")
                print("<-- the last datagram the server sent, \(bytes.count) bytes (discarded: not a valid response)")
                printTree(bytes)
            }
        } else {
            let rtt = record.rtt.map { "rtt \(format($0.milliseconds)) ms" } ?? "no rtt"
            let mapped = record.response?.mappedAddress.map { "\($0)" } ?? "-"
            print("#\(record.number)  mapped \(mapped)  \(rtt)  retransmissions \(record.retransmissions)")
        }
    }

    func summary(_ records: [TransactionRecord], context: RunContext) {
        print("")
        guard let first = records.first else { return }
        if context.usedExercise { printTransaction(first, context: context) }
        if let response = first.response {
            print("Result of transaction 1")
            if let mapped = response.mappedAddress {
                let source = response.message.contains(.xorMappedAddress) ? "XOR-MAPPED-ADDRESS" : "MAPPED-ADDRESS"
                print("  Mapped address   \(mapped)  (from \(source))")
                if mapped == context.local {
                    print("                   = our socket's own address: no NAT between us and the server")
                } else {
                    print("                   differs from our socket's address \(context.local): a NAT translated it")
                }
            } else if let error = response.errorCode {
                print("  Error            \(error.code.rawValue) \(error.reason)")
            }
            print("  Round-trip time  \(format(response.rtt.milliseconds)) ms  (from the first send to the response)")
            print("  Retransmissions  \(first.retransmissions)")
            print("  FINGERPRINT      \(STUNMessage.verifyFingerprint(of: response.bytes))")
            let integrity: String
            switch response.integrity {
            case .absent where signed: integrity = "absent (an error response to a request the server could not verify is unsigned)"
            case .absent: integrity = "not used (give --username and --password to sign requests)"
            default: integrity = "\(response.integrity)"
            }
            print("  INTEGRITY        \(integrity)")
            if let software = try? response.message.attribute(Software.self) {
                print("  Server software  \(software.value)")
            }
            if let exercise = first.exercise { printExercise(exercise) }
        }
        if records.count > 1 || context.count > 1 {
            let rtts = records.compactMap(\.rtt).map(\.milliseconds)
            let retransmissions = records.reduce(0) { $0 + $1.retransmissions }
            var line = "\(records.count) of \(context.count) transaction(s) run, \(rtts.count) answered, "
                + "\(retransmissions) retransmission(s)"
            if let low = rtts.min(), let high = rtts.max() {
                let average = rtts.reduce(0, +) / Double(rtts.count)
                line += "; RTT min/avg/max = \(format(low))/\(format(average))/\(format(high)) ms"
            }
            print(line)
        }
        if let pcap = context.pcap {
            print("Wrote \(pcap.records) datagram(s) to \(pcap.path) (try: tshark -r \(pcap.path) -V)")
        }
    }

    private func printTransaction(_ record: TransactionRecord, context: RunContext) {
        print("Transaction 1 (--use-exercise)")
        if context.transactionNotImplemented {
            print("  Your transaction not implemented yet (\(TransactionExercise.file)); the library's ran")
            return
        }
        let ending: String
        switch record.outcome {
        case .success?, .errorResponse?: ending = "completed by the answer"
        case .timedOut?: ending = "gave up"
        case .abandoned?: ending = "stopped by --timeout"
        case .rejected?: ending = "completed by an unusable answer"
        case nil: ending = record.transactionProblem.map { "stopped: \($0)" } ?? "unfinished"
        }
        print("  Your transaction sends at \(TransactionExercise.sends(of: record)); \(ending)")
        print("  RFC 8489 §6.2.1  sends at \(TransactionExercise.schedule(context.policy, sends: record.transmissions)) "
            + "for \(format(context.policy.initialRTO.milliseconds, digits: 0)) ms RTO")
    }

    private func printExercise(_ exercise: ExerciseOutcome) {
        if exercise.notImplemented {
            print("  Your decoder     not implemented yet (exercises/02-stun-coding/STUNCoding.swift)")
        } else if let error = exercise.error {
            print("  Your decoder     threw: \(error)")
        } else if let decoded = exercise.decoded {
            let verdict = decoded == exercise.expected ? "matches the library" : "DIFFERS from the library (\(exercise.expected.map { "\($0)" } ?? "-"))"
            print("  Your decoder     \(decoded)  (\(verdict))")
        } else {
            print("  Your decoder     returned an address that is neither 4 nor 16 bytes")
        }
    }

    private func printTree(_ bytes: [UInt8], key: STUNKey? = nil) {
        for line in STUNDissector.dissect(bytes, integrityKey: key).render(bytes: bytes, indent: 1) { print(line) }
    }
}

/// "790 ms" below ten seconds, "39.5 s" above: what a reader can take in at a glance.
func seconds(_ duration: Duration) -> String {
    let milliseconds = duration.milliseconds
    return milliseconds < 10_000 ? "\(format(milliseconds, digits: 0)) ms" : "\(format(milliseconds / 1000, digits: 1)) s"
}
