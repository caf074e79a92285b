import DTLS
import Foundation
import SDP
import ToolSupport

/// Everything a finished run has to tell, for the text and the JSON report.
struct RunReport {
    /// "loopback", "listen" or "connect".
    let mode: String
    /// The sides this process played (both in a loopback run).
    let conversations: [Conversation]
    let log: FlightLog
    let message: String
    let exit: HandshakeExit
    let error: String?
    let lossProbability: Double
    let lostCount: Int
    let seed: UInt64

    /// Prints the report (text after the live flight log, or one JSON document) and,
    /// for a failure, the one-line error on standard error.
    func emit(json: Bool) {
        if json {
            print(JSONReport(self).text)
        } else {
            HumanReport.printSummary(self)
        }
        if let error { printError("dtls-handshake: error: \(error)") }
    }

    /// The handshake's datagrams sent by each side, in order (not counting lost copies twice).
    var largestDatagram: Int { log.datagrams.map(\.payload.count).max() ?? 0 }

    /// The first connected side's negotiated parameters.
    var connection: DTLSConnectionInfo? { conversations.lazy.compactMap(\.state.connection).first }

    var client: Conversation? { conversations.first(where: \.isClient) }
}
