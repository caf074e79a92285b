import DTLS
import SDP

/// The text report: an introduction before the flights, a summary after them.
enum HumanReport {
    static func printIntroduction(sides: [SideState], settings: RunSettings) {
        let command = settings.command
        print("DTLS 1.2 handshake over UDP, WebRTC style: self-signed certificates, checked by SDP fingerprint")
        for side in sides {
            let address = side.localAddress.map { "\($0)" } ?? "?"
            print("  \(FlightLog.pad(side.name, 7)) \(FlightLog.pad(address, 22)) certificate \(side.certificate.keyDescription), "
                  + "fingerprint \(side.publishedFingerprint)")
        }
        for side in sides {
            let expectation = side.expected.map { "expects the peer's fingerprint \($0)" }
                ?? "expects NO particular fingerprint (--expect-fingerprint not given): the peer will NOT be authenticated"
            print("  \(FlightLog.pad(side.name, 7)) \(expectation)")
        }
        if command.useExercise {
            print("  --use-exercise: these fingerprints were computed by your exercise 05 code (and agree with the library)")
        }
        var knobs = ["MTU 1200", "initial retransmission timer \(command.initialTimeout) ms", "handshake deadline \(FlightLog.format1(command.timeout)) s"]
        if command.loss > 0 { knobs.append("loss \(Int((command.loss * 100).rounded())) % (seed \(command.seed))") }
        if command.cookie { knobs.append("HelloVerifyRequest cookie") }
        print("  " + knobs.joined(separator: ", "))
        print("")
        print(FlightLog.header)
    }

    static func printSummary(_ report: RunReport) {
        print("")
        if let info = report.connection {
            print("negotiated      \(info.protocolVersion), cipher suite \(info.cipherSuite)")
        } else {
            print("negotiated      nothing: the handshake did not finish")
        }
        let times = report.conversations.compactMap { conversation -> String? in
            conversation.state.connection.map { "\(FlightLog.millis($0.handshakeDuration)) (\(conversation.state.name))" }
        }
        if !times.isEmpty { print("handshake time  " + times.joined(separator: ", ")) }
        let sent = report.log.datagrams
        let lost = sent.filter(\.lost).count
        print("datagrams       \(sent.count)\(lost > 0 ? ", \(lost) lost" : ""), largest \(report.largestDatagram) bytes (MTU 1200), "
              + "\(report.log.retransmissionCount) timer retransmission(s)")
        for conversation in report.conversations {
            let state = conversation.state
            print("\(FlightLog.pad(state.name, 15)) own fingerprint   \(state.publishedFingerprint)")
            if let peer = state.peerFingerprint ?? conversation.endpoint.trustedOnFirstUse {
                print("\(FlightLog.pad("", 15)) peer certificate  \(peer)")
            }
            print("\(FlightLog.pad("", 15)) verdict           \(state.verdict)")
            if let student = state.studentVerdict {
                print("\(FlightLog.pad("", 15)) your exercise     \(student)")
            }
        }
        if let client = report.client {
            if let echoed = client.echoedAt, let first = client.firstSentAt {
                print("message         \"\(report.message)\" sent by the client, echoed back after \(FlightLog.millis(echoed - first))"
                      + (client.sendAttempts > 1 ? " (\(client.sendAttempts) attempts)" : ""))
            } else if client.sendAttempts > 0 {
                print("message         \"\(report.message)\" sent \(client.sendAttempts) time(s), never echoed")
            }
        } else if let server = report.conversations.first {
            print("messages        \(server.echoCount) echoed")
        }
        var closing: [String] = []
        for conversation in report.conversations {
            let state = conversation.state
            if state.sentCloseNotify { closing.append("\(state.name) sent close_notify") }
            if state.receivedCloseNotify { closing.append("\(state.name) received close_notify") }
        }
        if !closing.isEmpty { print("close           " + closing.joined(separator: ", ")) }
        print("result          \(report.exit == .success ? "OK" : "FAILED (exit \(report.exit.rawValue): \(report.exit.meaning))")")
    }
}
