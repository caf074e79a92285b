// Checks of exercise 13: for each broken connection, the layer (1 point) and the quoted
// evidence (2 points), graded separately so a right layer with a vague quote earns part.
//
// The layer check never prints the expected layer (as exercise 01's quiz does not): a
// failure that named it would hand out the answer. The evidence check says what kind of
// line counts, because that is the skill being taught: a quote must be copied from the
// case's output (ports, times, fingerprints aside) and must show the failure itself.
import ExerciseInterfaces

enum DebugByLayerChecks {
    static let exerciseID = "13-debug-by-layer"
    static let check = DescriptorMaker(exerciseID: exerciseID)

    /// What grading needs to know about one case.
    struct Answer {
        let debugCase: DebugCase
        /// The layers accepted (two where the failure sits on a boundary both own).
        let layers: [DebugLayer]
        /// Why: the rule of the layer check, citing the RFC.
        let layerRule: String
        /// A quote must contain one of these (as printed) to count as evidence.
        let markers: [String]
        /// What a telling line shows, for the evidence check's failure message.
        let telling: String
        /// The RFC sections that say what that line means.
        let rfc: String
    }

    static let method = "Follow the ten setup steps (lesson 09 §2: token, WebSocket, register, offer, answer, candidates, "
        + "ICE, DTLS, SCTP, channel open) and find the first one that did not happen: its layer failed. "

    static let answers: [Answer] = [
        Answer(debugCase: .wrongFingerprint, layers: [.dtls],
               layerRule: method + "RFC 8122 §5 and RFC 8827 §6.5: each side checks the certificate the handshake presents "
                + "against the a=fingerprint the SDP signaled, and aborts the handshake when it differs",
               markers: ["matches none of", "bad_certificate", "does not match --expect-fingerprint"],
               telling: "a line where the peer's certificate is refused because its fingerprint is not the expected one "
                + "(or the bad_certificate alert that refusal sends)",
               rfc: "RFC 8122 §5, RFC 5246 §7.2.2 (the alert)"),
        Answer(debugCase: .udpBlocked, layers: [.ice],
               layerRule: method + "RFC 8445 §7.2: a candidate pair is valid only when a connectivity check and its answer "
                + "get through; with every UDP datagram dropped and no relay over TCP, every pair fails (§8.1.2)",
               markers: ["UDP port", "drops all UDP"],
               telling: "a line where the firewall drops the UDP datagrams (a check or a STUN request)",
               rfc: "RFC 8445 §7.2.5.2"),
        Answer(debugCase: .symmetricNATs, layers: [.ice],
               layerRule: method + "RFC 8445 §2.1 and RFC 4787 §4.1: a symmetric NAT maps each destination to a new port, "
                + "so the server-reflexive address is not where the checks come from; without a relay no pair is valid",
               markers: ["filtered by symmetric NAT", "symmetric NAT gives each destination a new port"],
               telling: "a line where a symmetric NAT filters a check (or the outcome naming the symmetric NAT)",
               rfc: "RFC 4787 §4.1, §5"),
        Answer(debugCase: .wrongTURNPassword, layers: [.turn],
               layerRule: method + "RFC 8656 §7.2 and RFC 8489 §9.2.4: the server answers an Allocate whose "
                + "MESSAGE-INTEGRITY does not verify with 401 (Unauthenticated), so no relayed candidate is gathered and "
                + "ICE fails only because the relay it needed is missing",
               markers: ["Allocate error 401"],
               telling: "a line where the TURN server answers an Allocate with the error 401",
               rfc: "RFC 8656 §7.2, RFC 8489 §9.2.4"),
        Answer(debugCase: .maxMessageSize, layers: [.sctp, .sdp],
               layerRule: method + "RFC 8841 §6: a=max-message-size is the largest message the peer will take; a sender "
                + "must not send a larger one (W3C webrtc-pc: send() throws). Every step succeeded; the message was refused "
                + "by the SCTP transport against the limit the SDP declared",
               markers: ["max-message-size"],
               telling: "a line that names the peer's a=max-message-size next to the size that was refused",
               rfc: "RFC 8841 §6"),
        Answer(debugCase: .expiredToken, layers: [.signaling],
               layerRule: method + "RFC 7519 §4.1.4: a JWT must not be accepted after its exp time; the registry refuses "
                + "the WebSocket upgrade with 401, so no offer or answer is ever exchanged",
               markers: ["token expired"],
               telling: "the registry's line that says why it refused the upgrade (the client only says missing, forged or expired)",
               rfc: "RFC 7519 §4.1.4"),
        Answer(debugCase: .consentLost, layers: [.ice],
               layerRule: method + "RFC 7675 §5.1: consent checks on the selected pair must be answered; after 30 s "
                + "without an answer consent expires and the agent stops sending (ICE connection state failed)",
               markers: ["consent", "agent state disconnected", "every link down"],
               telling: "a line where the consent checks go unanswered: the agent state turning disconnected or failed "
                + "after it had completed, the dropped checks, or the outcome naming consent",
               rfc: "RFC 7675 §5.1"),
    ]

    static func layerDescriptor(_ answer: Answer) -> CheckDescriptor {
        check("layer.\(answer.debugCase.rawValue)", points: 1,
              title: "diagnose(.\(swiftName(answer.debugCase))) names the layer that failed", rule: answer.layerRule)
    }

    static func evidenceDescriptor(_ answer: Answer) -> CheckDescriptor {
        check("evidence.\(answer.debugCase.rawValue)", points: 2,
              title: "diagnose(.\(swiftName(answer.debugCase))) quotes a line of the output that shows the failure",
              rule: "The quote must be copied from the case's output (ports, times and fingerprints may differ, runs of "
                + "spaces count as one) and be \(answer.telling) (\(answer.rfc)).")
    }

    /// A quote shorter than this (normalised) proves nothing, even when it contains a marker.
    static let minimumQuote = 12

    static let descriptors: [CheckDescriptor] = answers.map(layerDescriptor) + answers.map(evidenceDescriptor)

    /// The Swift spelling of a case ("wrongTURNPassword"), as students write it.
    static func swiftName(_ debugCase: DebugCase) -> String {
        switch debugCase {
        case .wrongFingerprint: return "wrongFingerprint"
        case .udpBlocked: return "udpBlocked"
        case .symmetricNATs: return "symmetricNATs"
        case .wrongTURNPassword: return "wrongTURNPassword"
        case .maxMessageSize: return "maxMessageSize"
        case .expiredToken: return "expiredToken"
        case .consentLost: return "consentLost"
        }
    }

    static func checks<Debugger: DebugByLayerExercise>(_ debugger: Debugger.Type) -> [ExerciseCheck] {
        answers.map { answer in
            ExerciseCheck(layerDescriptor(answer)) { layerOutcome(Debugger.self, answer) }
        } + answers.map { answer in
            ExerciseCheck(evidenceDescriptor(answer)) { evidenceOutcome(Debugger.self, answer) }
        }
    }

    /// The call and the command that breaks the case (the line of its script that fails).
    static func input(_ debugger: any DebugByLayerExercise.Type, _ answer: Answer) -> String {
        let transcript = DebugCaseTranscript.of(answer.debugCase)
        let command = transcript.script.split(separator: "\n").last { $0.contains("ice-check") || $0.contains("dtls-handshake")
            || $0.contains("--ignore-max-message-size") || $0.contains("datachannel-chat join") }.map(String.init) ?? transcript.script
        return "\(debugger).diagnose(.\(swiftName(answer.debugCase))), the case of `\(command)` (lesson 10)"
    }

    static func layerOutcome<Debugger: DebugByLayerExercise>(_ debugger: Debugger.Type, _ answer: Answer) -> CheckOutcome {
        let expected = "the layer of the first setup step that did not happen (not shown: this is the diagnosis)"
        let rule = layerDescriptor(answer).rule
        do {
            let diagnosis = try Debugger.diagnose(answer.debugCase)
            guard answer.layers.contains(diagnosis.layer) else {
                return .fail(CheckFailure(input: input(Debugger.self, answer), expected: expected,
                                          actual: ".\(diagnosis.layer.rawValue)", rule: rule))
            }
            return .pass
        } catch {
            return .fail(CheckFailure(input: input(Debugger.self, answer), expected: expected,
                                      actual: Describe.thrown(error), rule: rule))
        }
    }

    static func evidenceOutcome<Debugger: DebugByLayerExercise>(_ debugger: Debugger.Type, _ answer: Answer) -> CheckOutcome {
        let expected = "a quote from the case's output that is \(answer.telling)"
        let rule = evidenceDescriptor(answer).rule
        let quote: String
        do {
            quote = try Debugger.diagnose(answer.debugCase).evidence
        } catch {
            return .fail(CheckFailure(input: input(Debugger.self, answer), expected: expected,
                                      actual: Describe.thrown(error), rule: rule))
        }
        let shown = "evidence " + JSON.string(quote)
        let transcript = DebugCaseTranscript.of(answer.debugCase)
        guard DebugEvidence.normalise(quote).count >= minimumQuote else {
            return .fail(CheckFailure(input: input(Debugger.self, answer), expected: expected,
                                      actual: shown + " (too short to be evidence: quote at least \(minimumQuote) characters)",
                                      rule: rule))
        }
        guard transcript.contains(quote: quote) else {
            let why = " (not in this case's output: copy it from a line the command printed, or is it another case's?)"
            return .fail(CheckFailure(input: input(Debugger.self, answer), expected: expected, actual: shown + why, rule: rule))
        }
        guard answer.markers.contains(where: { quote.contains($0) }) else {
            return .fail(CheckFailure(input: input(Debugger.self, answer), expected: expected,
                                      actual: shown + " (it is in the output, but it does not show the failure)", rule: rule))
        }
        return .pass
    }
}
