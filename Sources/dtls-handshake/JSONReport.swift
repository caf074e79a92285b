import DTLS
import Foundation
import SDP
import ToolSupport

/// --json: one document with the flights, the negotiated parameters, the
/// fingerprints, each side's verdict and the timings (milliseconds).
struct JSONReport: ToolJSONDocument {
    struct Message: Encodable {
        let name: String
        let messageSequence: Int?
        let length: Int
        let detail: String?
    }

    struct Datagram: Encodable {
        let timeMs: Double
        let from: String
        let to: String
        let size: Int
        let lost: Bool
        let retransmission: Int?
        let resent: Bool
        let summary: String
        let messages: [Message]
    }

    /// Consecutive datagrams from one sender (a new one also starts at each timer retransmission).
    struct Flight: Encodable {
        let startMs: Double
        let from: String
        let to: String
        let datagrams: Int
        let bytes: Int
        let lost: Int
        let retransmission: Int?
        let messages: [String]
    }

    struct Retransmission: Encodable {
        let timeMs: Double
        let side: String
        let count: Int
        let expiredTimeoutMs: Double
        let nextTimeoutMs: Double
    }

    struct Alert: Encodable {
        let timeMs: Double
        let side: String
        let direction: String
        let level: String
        let description: String
    }

    struct Side: Encodable {
        let name: String
        let localAddress: String?
        let certificate: String
        let fingerprint: String
        let expectedFingerprint: String?
        let peerFingerprint: String?
        let authenticated: Bool
        let verdict: String
        let exerciseVerdict: String?
        let connected: Bool
        let handshakeMs: Double?
        let retransmissions: Int
        let error: String?
        let errorCode: String?
        let sentCloseNotify: Bool
        let receivedCloseNotify: Bool
    }

    struct Echo: Encodable {
        let text: String
        let attempts: Int
        let echoed: Bool
        let roundTripMs: Double?
    }

    let mode: String
    let ok: Bool
    let exitCode: Int32
    let error: String?
    let protocolVersion: String?
    let cipherSuite: String?
    let handshakeMs: Double?
    let loss: Double
    let seed: UInt64
    let lostDatagrams: Int
    let largestDatagram: Int
    let sides: [Side]
    let message: Echo?
    let messagesEchoed: Int?
    let flights: [Flight]
    let datagrams: [Datagram]
    let retransmissions: [Retransmission]
    let alerts: [Alert]

    init(_ report: RunReport) {
        mode = report.mode
        ok = report.exit == .success
        exitCode = report.exit.rawValue
        error = report.error
        protocolVersion = report.connection?.protocolVersion
        cipherSuite = report.connection?.cipherSuite
        handshakeMs = report.client?.state.connection?.handshakeDuration.milliseconds
            ?? report.connection?.handshakeDuration.milliseconds
        loss = report.lossProbability
        seed = report.seed
        lostDatagrams = report.lostCount
        largestDatagram = report.largestDatagram
        sides = report.conversations.map { conversation in
            let state = conversation.state
            return Side(name: state.name, localAddress: state.localAddress?.description,
                        certificate: state.certificate.keyDescription,
                        fingerprint: state.publishedFingerprint.description,
                        expectedFingerprint: state.expected?.description,
                        peerFingerprint: (state.peerFingerprint ?? conversation.endpoint.trustedOnFirstUse)?.description,
                        authenticated: state.connection != nil && state.expected != nil,
                        verdict: state.verdict, exerciseVerdict: state.studentVerdict,
                        connected: state.connection != nil,
                        handshakeMs: state.connection?.handshakeDuration.milliseconds,
                        retransmissions: state.retransmissions.count,
                        error: state.failure?.reason, errorCode: state.failure?.code.rawValue,
                        sentCloseNotify: state.sentCloseNotify, receivedCloseNotify: state.receivedCloseNotify)
        }
        if let client = report.client {
            message = Echo(text: report.message, attempts: client.sendAttempts, echoed: client.echoedAt != nil,
                           roundTripMs: client.echoedAt.flatMap { echoed in client.firstSentAt.map { (echoed - $0).milliseconds } })
            messagesEchoed = nil
        } else {
            message = nil
            messagesEchoed = report.conversations.first?.echoCount
        }
        var datagrams: [Datagram] = [], retransmissions: [Retransmission] = [], alerts: [Alert] = []
        for entry in report.log.entries {
            switch entry {
            case let .datagram(record):
                datagrams.append(Datagram(
                    timeMs: record.time.milliseconds, from: record.from, to: record.to, size: record.payload.count,
                    lost: record.lost, retransmission: record.retransmission, resent: record.resent, summary: FlightLog.contents(record.summary),
                    messages: record.summary.entries.map {
                        Message(name: $0.name, messageSequence: $0.messageSequence.map(Int.init), length: $0.length, detail: $0.detail)
                    }))
            case let .retransmission(side, time, info):
                retransmissions.append(Retransmission(timeMs: time.milliseconds, side: side, count: info.count,
                                                      expiredTimeoutMs: info.expiredTimeout.milliseconds,
                                                      nextTimeoutMs: info.nextTimeout.milliseconds))
            case let .alert(side, time, alert):
                alerts.append(Alert(timeMs: time.milliseconds, side: side, direction: alert.direction.rawValue,
                                    level: alert.level.description, description: alert.alertDescription.name))
            case .note:
                break
            }
        }
        self.datagrams = datagrams
        flights = Self.flights(report.log.datagrams)
        self.retransmissions = retransmissions
        self.alerts = alerts
    }

    static func flights(_ records: [DatagramRecord]) -> [Flight] {
        var groups: [[DatagramRecord]] = []
        for record in records {
            if let last = groups.last?.last, last.from == record.from, last.retransmission == record.retransmission {
                groups[groups.count - 1].append(record)
            } else {
                groups.append([record])
            }
        }
        return groups.map { group in
            Flight(startMs: group[0].time.milliseconds, from: group[0].from, to: group[0].to, datagrams: group.count,
                   bytes: group.reduce(0) { $0 + $1.payload.count }, lost: group.filter(\.lost).count,
                   retransmission: group[0].retransmission, messages: group.flatMap { $0.summary.entries.map(\.name) })
        }
    }
}
