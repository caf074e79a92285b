import STUN
import Wire

/// Everything a `--turn` run produced, for the human and JSON reports.
struct TurnResult {
    var context: TurnContext
    var messages: [TurnWireMessage]
    var timings: [(step: TurnStep, elapsed: Duration)]
    var allocation: TURNAllocation?
    var refreshed: TURNAllocation?
    var channel: UInt16?
    var retransmissions: Int
    var pcap: (path: String, records: Int)?
    var failure: ProbeFailure?

    /// The time a step took, from the call to its answer.
    func elapsed(_ step: TurnStep) -> Duration? { timings.first { $0.step == step }?.elapsed }

    /// One row of the overhead comparison: a datagram carrying application data.
    struct OverheadRow {
        var label: String
        var leg: TurnWireMessage.Leg
        var datagram: Int
        var payload: Int
        var parts: [(part: String, bytes: Int)]
        var overhead: Int { datagram - payload }
    }

    /// The first datagram of each framing that carried data, measured as sent.
    var overhead: [OverheadRow] {
        func row(_ label: String, step: TurnStep, leg: TurnWireMessage.Leg) -> OverheadRow? {
            guard let message = messages.first(where: { $0.step == step && $0.leg == leg && $0.payload != nil }),
                  let payload = message.payload else { return nil }
            return OverheadRow(label: label, leg: leg, datagram: message.bytes.count, payload: payload.count,
                               parts: message.framing)
        }
        return [
            row("Send indication", step: .sendIndication, leg: .clientToServer),
            row("Data indication", step: .sendIndication, leg: .serverToClient),
            row("ChannelData", step: .channelData, leg: .clientToServer),
            row("ChannelData", step: .channelData, leg: .serverToClient),
            row("bare UDP", step: .channelData, leg: .relayToPeer),
        ].compactMap { $0 }
    }
}
