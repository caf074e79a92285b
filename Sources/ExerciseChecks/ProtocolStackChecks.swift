// Checks of exercise 01: the order of the layers (two checks) and, separately, each
// layer's responsibility (one check per layer), so a partly right answer earns partial credit.
import ExerciseInterfaces

enum ProtocolStackChecks {
    static let exerciseID = "01-protocol-stack"
    static let check = DescriptorMaker(exerciseID: exerciseID)

    static let expectedOrder: [StackLayer] = [.application, .dataChannel, .sctp, .dtls, .ice, .stunTurn, .udp, .ip]

    static let orderRule = "RFC 8831 §5 (Figure 1): application data travels on DataChannels (DCEP), carried by SCTP, "
        + "inside DTLS, over the UDP path ICE selected (ICE runs STUN/TURN to find it), over IP"

    static let completeness = check(
        "order.complete", points: 1, title: "layersTopDown() lists each of the eight layers exactly once",
        rule: orderRule)

    static let order = check(
        "order.top-down", points: 2, title: "layersTopDown() puts the layers in order, application first and IP last",
        rule: orderRule)

    /// The expected match of each layer, with the rule that justifies it.
    static let matches: [(layer: StackLayer, answer: LayerResponsibility, rule: String)] = [
        (.application, .applicationMessages,
         "RFC 8831 §6.6: the application hands whole messages (text or binary) to a channel; what they mean is its business alone"),
        (.dataChannel, .channelOpenAndMessageFraming,
         "RFC 8832 §5.1: DCEP's DATA_CHANNEL_OPEN names a new channel (label, protocol, reliability); "
            + "RFC 8831 §6.6: the SCTP PPID marks each message as string or binary"),
        (.sctp, .perStreamReliabilityAndOrdering,
         "RFC 8831 §6.4: each channel is a pair of SCTP streams, so reliability and ordering are chosen per channel "
            + "and a loss on one stream does not stall the others"),
        (.dtls, .encryptionAndAuthentication,
         "RFC 8261 §1: SCTP packets travel inside DTLS records, which encrypt and integrity-protect them; "
            + "the certificate is authenticated by the fingerprint signaled in SDP (RFC 8122 §5)"),
        (.ice, .pathFindingThroughNATs,
         "RFC 8445 §2: ICE gathers candidates, pairs local with remote ones, runs connectivity checks, and nominates the pair to use"),
        (.stunTurn, .addressDiscoveryAndRelay,
         "RFC 8489 §1: STUN lets a host learn the address a NAT gave it (server-reflexive); "
            + "RFC 8656 §1: TURN relays traffic when no direct path exists"),
        (.udp, .datagramTransportBetweenPorts,
         "RFC 768: UDP carries independent datagrams between ports, with no delivery or ordering guarantee "
            + "(so no head-of-line blocking: SCTP adds reliability back per stream)"),
        (.ip, .hostAddressingAndRouting,
         "RFC 791 §1.1 and RFC 8200 §1: IP addresses hosts and forwards each packet hop by hop toward its destination"),
    ]

    static func matchDescriptor(_ layer: StackLayer, rule: String) -> CheckDescriptor {
        check(
            "match.\(layer.rawValue)", points: 1,
            title: "responsibility(of: .\(layer.rawValue)) names the \(layer.rawValue) layer's main job",
            rule: rule)
    }

    static let descriptors: [CheckDescriptor] = [completeness, order] + matches.map { matchDescriptor($0.layer, rule: $0.rule) }

    static func checks<Stack: ProtocolStackExercise>(_ stack: Stack.Type) -> [ExerciseCheck] {
        let input = "\(Stack.self).layersTopDown()"
        // A quiz that printed its answers would grade nothing: failures name what
        // is wrong and cite the rule, never the expected layer or responsibility.
        let expectedText = "the eight layers, application first and IP last, each resting on the one below"
        var checks = [
            ExerciseCheck(completeness) {
                let layers: [StackLayer]
                do { layers = try Stack.layersTopDown() } catch {
                    return .fail(CheckFailure(input: input, expected: expectedText, actual: Describe.thrown(error), rule: orderRule))
                }
                let missing = StackLayer.allCases.filter { !layers.contains($0) }
                let repeated = StackLayer.allCases.filter { layer in layers.filter { $0 == layer }.count > 1 }
                guard missing.isEmpty, repeated.isEmpty else {
                    var problems: [String] = []
                    if !missing.isEmpty { problems.append("missing " + render(missing, separator: ", ")) }
                    if !repeated.isEmpty { problems.append("repeated " + render(repeated, separator: ", ")) }
                    return .fail(CheckFailure(
                        input: input, expected: "each of the 8 StackLayer cases once",
                        actual: render(layers) + " (" + problems.joined(separator: "; ") + ")", rule: orderRule))
                }
                return .pass
            },
            ExerciseCheck(order) {
                let layers: [StackLayer]
                do { layers = try Stack.layersTopDown() } catch {
                    return .fail(CheckFailure(input: input, expected: expectedText, actual: Describe.thrown(error), rule: orderRule))
                }
                guard layers == expectedOrder else {
                    let position = zip(layers, expectedOrder).prefix(while: { $0 == $1 }).count
                    let found = position < layers.count ? "." + layers[position].rawValue : "nothing"
                    let note = " (first misplaced layer at position \(position + 1): \(found))"
                    return .fail(CheckFailure(input: input, expected: expectedText, actual: render(layers) + note, rule: orderRule))
                }
                return .pass
            },
        ]
        for match in matches {
            checks.append(ExerciseCheck(matchDescriptor(match.layer, rule: match.rule)) {
                let call = "\(Stack.self).responsibility(of: .\(match.layer.rawValue))"
                let expected = "the responsibility the rule below describes (not shown: this is the quiz)"
                do {
                    let answer = try Stack.responsibility(of: match.layer)
                    guard answer == match.answer else {
                        return .fail(CheckFailure(input: call, expected: expected, actual: ".\(answer.rawValue)", rule: match.rule))
                    }
                    return .pass
                } catch {
                    return .fail(CheckFailure(input: call, expected: expected, actual: Describe.thrown(error), rule: match.rule))
                }
            })
        }
        return checks
    }

    static func render(_ layers: [StackLayer], separator: String = " → ") -> String {
        layers.isEmpty ? "[] (no layers)" : layers.map { "." + $0.rawValue }.joined(separator: separator)
    }
}
