import STUN
import ToolSupport
import Wire

/// The `--json` report of `--turn`: ONE object, so
/// `stun-probe --turn --json | jq .overhead` works.
struct TurnJSONReport: ToolJSONDocument {
    struct Message: Encodable {
        var step: TurnStep
        var leg: String
        var from: String
        var to: String
        var kind: String
        var bytes: Int
        var payloadBytes: Int?
        var hex: String
    }

    struct Overhead: Encodable {
        var framing: String
        var leg: String
        var datagramBytes: Int
        var payloadBytes: Int
        var overheadBytes: Int
    }

    struct Step: Encodable {
        var step: TurnStep
        var name: String
        var ms: Double
    }

    var ok: Bool
    var exitCode: Int
    var error: String?
    var server: String
    var embeddedServer: Bool
    var clientAddress: String
    var peer: String
    var embeddedPeer: Bool
    var username: String
    var relayedAddress: String?
    var mappedAddress: String?
    var lifetimeS: Int?
    var refreshedLifetimeS: Int?
    var channel: String?
    var allocateMs: Double?
    var retransmissions: Int
    var steps: [Step]
    var messages: [Message]
    var overhead: [Overhead]
    var channelDataSavesBytes: Int?
    var pcap: String?
    var pcapRecords: Int?

    init(_ result: TurnResult) {
        ok = result.failure == nil
        exitCode = Int(result.failure?.exit.rawValue ?? 0)
        error = result.failure?.message
        server = "\(result.context.server)"
        embeddedServer = result.context.embedded
        clientAddress = "\(result.context.client)"
        peer = "\(result.context.peer)"
        embeddedPeer = result.context.peerIsOurs
        username = result.context.username
        relayedAddress = result.allocation.map { "\($0.relayedAddress)" }
        mappedAddress = result.allocation?.mappedAddress.map { "\($0)" }
        lifetimeS = result.allocation.map { Int($0.lifetime.components.seconds) }
        refreshedLifetimeS = result.refreshed.map { Int($0.lifetime.components.seconds) }
        channel = result.channel.map { "0x" + TurnText.hex4($0) }
        allocateMs = result.elapsed(.allocate)?.milliseconds
        retransmissions = result.retransmissions
        steps = result.timings.map { Step(step: $0.step, name: TurnReport.shortName($0.step), ms: $0.elapsed.milliseconds) }
        messages = result.messages.map {
            Message(step: $0.step, leg: $0.leg.rawValue, from: "\($0.datagram.source)", to: "\($0.datagram.destination)",
                    kind: $0.kind, bytes: $0.bytes.count, payloadBytes: $0.payload?.count, hex: Hex.encode($0.bytes))
        }
        let rows = result.overhead
        overhead = rows.map {
            Overhead(framing: $0.label, leg: $0.leg.rawValue, datagramBytes: $0.datagram, payloadBytes: $0.payload,
                     overheadBytes: $0.overhead)
        }
        if let send = rows.first(where: { $0.label == "Send indication" }),
           let data = rows.first(where: { $0.label == "ChannelData" && $0.leg == .clientToServer }) {
            channelDataSavesBytes = send.overhead - data.overhead
        }
        pcap = result.pcap?.path
        pcapRecords = result.pcap?.records
    }
}
