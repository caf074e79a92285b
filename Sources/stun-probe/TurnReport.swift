import STUN
import Wire

/// The human report of `--turn`: each step's heading and why it exists, every
/// datagram of the client's hop as a packet tree, the peer's hop in one line
/// each, and at the end the allocation, the timings and the overhead table.
final class TurnReport {
    private let settings: TurnSettings

    init(settings: TurnSettings) { self.settings = settings }

    func start(_ context: TurnContext) {
        if context.embedded {
            print("No server given: using a TURN server embedded in this process at \(context.server) "
                + "(user \(TurnSettings.defaultUsername), password \(TurnSettings.defaultPassword), realm \(TurnSettings.realm); "
                + "nothing leaves this machine).")
        } else if let argument = context.serverArgument, IPAddress(argument.split(separator: ":").first.map(String.init) ?? "") == nil,
                  !argument.hasPrefix("[") {
            print("TURN server \(argument) (resolved to \(context.server)).")
        } else {
            print("TURN server \(context.server).")
        }
        let peer = context.peerIsOurs ? "a UDP echo peer embedded in this process at \(context.peer)" : "\(context.peer) (--peer)"
        print("Client socket \(context.client), user \"\(context.username)\"; peer: \(peer).")
        print("Offsets in the packet trees are hexadecimal byte positions within the datagram.")
    }

    func stepStarted(_ step: TurnStep) {
        print("")
        print("== \(step.rawValue). \(step.title)")
        print("   \(step.why)")
    }

    func stepFinished(_ step: TurnStep, elapsed: Duration) {
        print("   done in \(format(elapsed.milliseconds)) ms")
    }

    func wire(_ message: TurnWireMessage, key: STUNKey?, sentAt: Instant?) {
        let bytes = message.bytes.count
        switch message.leg {
        case .clientToServer, .serverToClient:
            let arrow = message.leg == .clientToServer ? "-->" : "<--"
            let signed = message.stun?.contains(.messageIntegrity) == true ? " (signed)" : ""
            let rtt = sentAt.map { ", after \(format((message.at - $0).milliseconds)) ms" } ?? ""
            let direction = message.leg == .clientToServer ? "to \(message.datagram.destination)" : "from \(message.datagram.source)"
            print("")
            print("\(arrow) \(message.kind)\(signed), \(bytes) bytes, \(direction)\(rtt)")
            for line in message.tree(key: key).render(bytes: message.bytes, indent: 1) { print(line) }
        case .relayToPeer:
            print("    [peer] relay \(message.datagram.source) --> peer \(message.datagram.destination): \(bytes) bytes, "
                + "the bare payload \(TurnText.quoted(message.bytes))")
        case .peerToRelay:
            print("    [peer] peer \(message.datagram.source) --> relay \(message.datagram.destination): \(bytes) bytes (the echo)")
        }
    }

    func serverEvent(_ event: TURNServerEvent) {
        // The server's own descriptions carry monotonic timestamps; these read better next to the trees.
        let text: String
        switch event {
        case .answered: return  // The packet trees show the answers.
        case let .allocationCreated(allocation, _):
            text = "allocated relay \(allocation.relayedAddress) to \(allocation.fiveTuple), user \"\(allocation.username)\""
        case let .allocationRefreshed(allocation, _):
            text = "relay \(allocation.relayedAddress) refreshed"
        case let .allocationDeleted(relayed, reason, _):
            text = "relay \(relayed) \(reason.rawValue)"
        case let .permissionInstalled(relayed, peer, _):
            text = "relay \(relayed): permission for \(peer) installed for \(TURNServer.permissionLifetime.components.seconds) s"
        case let .channelBound(relayed, channel, peer, _):
            text = "relay \(relayed): channel 0x\(TurnText.hex4(channel)) bound to \(peer) for "
                + "\(TURNServer.channelLifetime.components.seconds) s"
        case let .relayedToPeer(relayed, peer, bytes, path):
            text = "relay \(relayed) -> peer \(peer): \(bytes) byte(s) from \(Self.describe(path, indication: "a Send indication"))"
        case let .relayedToClient(relayed, peer, bytes, path):
            text = "peer \(peer) -> relay \(relayed) -> client: \(bytes) byte(s) as \(Self.describe(path, indication: "a Data indication"))"
        case let .dropped(from, to, reason):
            text = "dropped a datagram \(from) -> \(to): \(reason)"
        default:
            text = "\(event)"
        }
        print("    [embedded server] \(text)")
    }

    static func describe(_ path: TURNDataPath, indication: String) -> String {
        switch path {
        case .dataIndication: return indication
        case let .channel(number): return "ChannelData 0x\(TurnText.hex4(number))"
        }
    }

    func challenged(_ operation: TURNOperation, code: STUNErrorCode, realm: String) {
        if code == .staleNonce {
            print("    438 Stale Nonce: the server's nonce expired; \(operation) goes again with the fresh NONCE.")
        } else {
            print("    \(code.rawValue) with REALM \"\(realm)\" and a NONCE: \(operation) goes again, signed with "
                + "MD5(\"\(settings.username):\(realm):<password>\") and the NONCE echoed back.")
        }
    }

    func allocated(_ allocation: TURNAllocation?) {
        guard let allocation else { return }
        print("    Relayed address \(allocation.relayedAddress) (XOR-RELAYED-ADDRESS): peers send here to reach us.")
        if let mapped = allocation.mappedAddress {
            print("    Mapped address  \(mapped) (XOR-MAPPED-ADDRESS): us as the server sees us, a free srflx candidate.")
        }
        print("    Lifetime        \(allocation.lifetime.components.seconds) s (LIFETIME): refresh before then or lose the relay.")
    }

    func refreshed(_ allocation: TURNAllocation?) {
        guard let allocation else { return }
        print("    The server granted \(allocation.lifetime.components.seconds) s more (LIFETIME in the success response).")
    }

    func dataReceived(_ data: [UInt8], path: TURNDataPath, expected: [UInt8]) {
        let how: String
        switch path {
        case .dataIndication: how = "in a Data indication"
        case let .channel(number): how = "as ChannelData on channel 0x\(TurnText.hex4(number))"
        }
        let same = data == expected ? "the payload we sent, echoed" : "not what we sent"
        print("    Received \(data.count) bytes \(how): \(TurnText.quoted(data)) (\(same)).")
    }

    func retransmitted(_ operation: TURNOperation, transmission: Int) {
        print("    no answer yet: \(operation) sent again (send #\(transmission), RFC 8489 §6.2.1)")
    }

    func dropped(from: TransportAddress, reason: String) {
        print("    the client ignored a datagram from \(from): \(reason)")
    }

    func summary(_ result: TurnResult) {
        // Nothing happened on the wire (a bad address, a socket error): the error line says it all.
        guard !result.messages.isEmpty else { return }
        print("")
        print("Summary")
        if let allocation = result.allocation {
            print("  Relayed address  \(allocation.relayedAddress)")
            print("  Mapped address   \(allocation.mappedAddress.map(\.description) ?? "-")")
            print("  Lifetime         \(allocation.lifetime.components.seconds) s")
        }
        if let channel = result.channel { print("  Channel          0x\(TurnText.hex4(channel))") }
        if !result.timings.isEmpty {
            let steps = result.timings.map { "\(Self.shortName($0.step)) \(format($0.elapsed.milliseconds))" }
            print("  Time (ms)        " + steps.joined(separator: ", "))
            if let allocate = result.elapsed(.allocate) {
                print("  Allocation took  \(format(allocate.milliseconds)) ms: two round trips (the 401, then the signed Allocate)")
            }
        }
        print("  Retransmissions  \(result.retransmissions)")
        let rows = result.overhead
        if !rows.isEmpty {
            print("")
            print("Overhead per datagram, measured on the datagrams above (payload \(rows[0].payload) bytes):")
            for row in rows {
                let parts = row.parts.map { "\($0.part) \($0.bytes)" }.joined(separator: " + ")
                let name = "\(row.label) (\(row.leg.rawValue))"
                let label = name + String(repeating: " ", count: max(0, 38 - name.count))
                print("  \(label) \(String(row.datagram).leftPadded(5)) bytes = \(row.payload) payload + "
                    + "\(row.overhead) overhead" + (parts.isEmpty ? "" : " (\(parts))"))
            }
            if let send = rows.first(where: { $0.label == "Send indication" }),
               let channel = rows.first(where: { $0.label == "ChannelData" && $0.leg == .clientToServer }) {
                let saved = send.overhead - channel.overhead
                print("  ChannelData saves \(saved) bytes per datagram over a Send indication "
                    + "(\(send.overhead) vs \(channel.overhead) bytes of framing).")
            }
        }
        if let pcap = result.pcap {
            print("Wrote \(pcap.records) datagram(s) to \(pcap.path) (try: tshark -r \(pcap.path) -d udp.port==\(result.context.server.port),stun)")
        }
    }

    static func shortName(_ step: TurnStep) -> String {
        switch step {
        case .allocate: return "allocate"
        case .createPermission: return "permission"
        case .sendIndication: return "send/data echo"
        case .channelBind: return "channel bind"
        case .channelData: return "channel echo"
        case .refresh: return "refresh"
        case .deallocate: return "deallocate"
        }
    }
}

extension String {
    /// Right-aligned in `width` columns.
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
