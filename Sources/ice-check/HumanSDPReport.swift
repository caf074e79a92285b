import SDP
import Wire

/// The report a learner reads: the facts as field trees (Wire's
/// `DissectedField`, as stun-probe shows packets), each node pointing at the
/// input line it was decoded from. A node's offset and length are the byte
/// range of that line in the input; decoded sub-fields have length 0.
enum HumanSDPReport {
    static func render(_ facts: SDPExplanation, showPassword: Bool) -> String {
        var out: [String] = []
        let count = facts.lineIndex.lines.count
        let guess = facts.kindGuess
        let kind = (guess.name == "unknown" ? "offer or answer" : "an \(guess.name)") + " (\(guess.basis))"
        out.append("\(facts.source): \(count) lines (\(facts.lineEnding)), \(facts.sections.count) media section(s), "
            + "\(facts.candidates.count) candidate(s); \(kind).")
        out.append("Left column: the input line a field was read from; indented fields are decoded from it.")
        for (title, nodes) in [("Session and media sections", sessionNodes(facts)), ("ICE", iceNodes(facts, showPassword: showPassword)),
                               ("DTLS", dtlsNodes(facts)), ("Candidates", candidateNodes(facts))] {
            out.append("")
            out.append(title)
            if title == "Candidates" {
                out.append("      RFC 8445 §5.1.2.1: priority = 2^24×(type preference) + 2^8×(local preference) + (256 − component ID)")
            }
            for node in nodes { out += lines(node, facts.lineIndex, indent: 0) }
        }
        out.append("")
        out.append("If UDP were blocked")
        for line in facts.udpBlockedVerdict.text { out.append("      " + line) }
        if let problem = facts.dataChannelProblem {
            out.append("")
            out.append("!! Not usable for a DataChannel: \(problem.reason)")
        }
        return out.joined(separator: "\n")
    }

    // MARK: - Trees

    private static func node(_ name: String, _ value: String, _ line: LineIndex.Line? = nil,
                             _ children: [DissectedField] = [], error: Bool = false) -> DissectedField {
        DissectedField(name: name, offset: line?.offset ?? 0, length: line?.text.utf8.count ?? 0, value: value,
                       children: children, isError: error)
    }

    private static func sessionNodes(_ facts: SDPExplanation) -> [DissectedField] {
        let index = facts.lineIndex
        var nodes: [DissectedField] = []
        if let origin = facts.description.origin {
            nodes.append(node("Origin", "\(origin) (session id \(origin.sessionID), version \(origin.sessionVersion))",
                              index.first("o=", in: nil)))
        }
        if let bundle = facts.description.bundle {
            nodes.append(node("BUNDLE group", bundle.joined(separator: " ")
                + " (the listed sections share one ICE and DTLS transport, RFC 9143)", index.first("a=group:", in: nil)))
        }
        for section in facts.sections {
            var children = [
                node("Media", section.media.media + (section.carriesDataChannels ? " (DataChannels)" : "")),
                node("Protocol", "\(section.media.proto): \(SDPExplanation.protocolMeaning(section))"),
                node("Port", section.rejected ? "0: rejected section (or bundled away)"
                    : "\(section.media.port) (with ICE only a hint: the default candidate's port, 9 = placeholder)"),
                node("Formats", section.media.formats.joined(separator: " ")),
            ]
            if let mid = section.mid {
                children.append(node("mid", mid + (section.inBundle ? " (in the BUNDLE group)" : ""),
                                     index.first("a=mid:", in: section.index)))
            }
            if section.legacySCTPMap, let sctpmap = index.first("a=sctpmap:", in: section.index) {
                children.append(node("sctpmap", String(sctpmap.text.dropFirst(10)) + " (legacy: SCTP port, application, streams)", sctpmap))
            }
            if let port = section.sctpPort, section.carriesDataChannels {
                children.append(node("SCTP port", "\(port) (the SCTP association's port inside DTLS, not a UDP port)",
                                     index.first("a=sctp-port:", in: section.index) ?? index.first("a=sctpmap:", in: section.index)))
            }
            if section.carriesDataChannels {
                let size = section.maxMessageSize.map { $0 == 0 ? "0 (no limit)" : "\($0) bytes" }
                    ?? "absent: 65536 bytes by default (RFC 8841 §6.1)"
                children.append(node("max-message-size", size, index.first("a=max-message-size:", in: section.index)))
            }
            children.append(node("Candidates", "\(section.candidateCount), end-of-candidates: "
                + (section.endOfCandidates ? "yes (gathering finished)" : "no (more may trickle in, RFC 8838)")))
            let title = "m=\(section.media)"
            nodes.append(node("Media section \(section.index)", title, section.line, children))
        }
        return nodes
    }

    private static func iceNodes(_ facts: SDPExplanation, showPassword: Bool) -> [DissectedField] {
        var nodes: [DissectedField] = []
        if let ufrag = facts.ufrag {
            nodes.append(node("ice-ufrag", "\(ufrag) (\(ufrag.count) chars; checks sent to this side carry USERNAME \(ufrag):<sender's ufrag>)",
                              facts.line(of: "a=ice-ufrag:")))
        } else {
            nodes.append(node("ice-ufrag", "missing", error: true))
        }
        if let pwd = facts.pwd {
            let shown = showPassword ? pwd : "hidden, \(pwd.count) chars (--show-password prints it)"
            let rule = pwd.count >= 22 ? "RFC 8839 requires at least 22" : "too short: RFC 8839 requires at least 22"
            nodes.append(node("ice-pwd", "\(shown); \(rule); the MESSAGE-INTEGRITY key of the checks sent to this side",
                              facts.line(of: "a=ice-pwd:"), error: pwd.count < 22))
        } else {
            nodes.append(node("ice-pwd", "missing", error: true))
        }
        let options = facts.iceOptions.isEmpty ? "none" : facts.iceOptions.joined(separator: " ")
        let trickle = facts.iceOptions.contains("trickle") ? " (trickle: candidates may follow the description, RFC 8838)" : ""
        nodes.append(node("ice-options", options + trickle, facts.line(of: "a=ice-options:")))
        nodes.append(node("ice-lite", facts.iceLite ? "yes: this side only answers checks; the full peer must control"
                                                    : "no: a full agent that sends checks itself", facts.line(of: "a=ice-lite")))
        return nodes
    }

    private static func dtlsNodes(_ facts: SDPExplanation) -> [DissectedField] {
        var nodes: [DissectedField] = []
        let lines = facts.lines(of: "a=fingerprint:")
        for (position, fingerprint) in facts.fingerprints.enumerated() {
            let check = SDPExplanation.lengthCheck(fingerprint)
            nodes.append(node("Fingerprint", "\(fingerprint)", position < lines.count ? lines[position] : nil, [
                node("Hash function", "\(fingerprint.hashFunction) over the DER certificate (RFC 8122 §5)"),
                node("Length", check.text, error: check.ok == false),
            ]))
        }
        if facts.fingerprints.isEmpty { nodes.append(node("Fingerprint", "missing: DTLS cannot be authenticated", error: true)) }
        if let meaning = facts.setupMeaning, let setup = facts.setup {
            nodes.append(node("Setup", "\(setup)", facts.line(of: "a=setup:"), [
                node("DTLS role", meaning.dtlsRole), node("Meaning", meaning.text),
            ]))
        } else {
            nodes.append(node("Setup", "missing: the DTLS roles are undecided", error: true))
        }
        return nodes
    }

    private static func candidateNodes(_ facts: SDPExplanation) -> [DissectedField] {
        facts.candidates.map { fact in
            let candidate = fact.candidate
            let recommended = fact.recommendedTypePreference.map { "RFC 8445 §5.1.2.2 recommends \($0) for \(candidate.type)" }
                ?? "unknown type"
            let componentNote = fact.componentFromPriority == Int(candidate.component)
                ? "matches the component field" : "differs from the component field (\(candidate.component))"
            var children = [
                node("Type", "\(candidate.type): \(fact.typeMeaning)"),
                node("Address", "\(candidate.address) (\(fact.addressMeaning))"),
                node("Port", "\(candidate.port)"),
                node("Transport", candidate.transport.rawValue
                    + (candidate.tcpType.map { ", tcptype \($0) (RFC 6544)" } ?? "")),
                node("Priority", "\(candidate.priority) = \(fact.formula)"
                     + (fact.recomputed == nil ? " (type preference above 126: outside the RFC's range)" : ""), nil, [
                    node("Type preference", "\(fact.typePreference) (priority >> 24; \(recommended))"),
                    node("Local preference", "\(fact.localPreference) ((priority >> 8) & 0xFFFF; ranks the agent's own addresses, higher first)"),
                    node("Component", "\(fact.componentFromPriority) (256 − (priority & 0xFF); \(componentNote))"),
                ], error: fact.recomputed == nil),
                node("Foundation", "\(candidate.foundation) (equal foundations: same type, base IP, server and transport)"),
                node("Component", "\(candidate.component)" + (candidate.component == 1 ? " (the only one with BUNDLE and rtcp-mux)" : "")),
            ]
            if let related = fact.relatedMeaning { children.append(node("Related address", related)) }
            if let relay = fact.relayMeaning { children.append(node("Relay protocol", relay)) }
            if let generation = candidate.generation { children.append(node("Generation", "\(generation) (bumped by each ICE restart)")) }
            if let ufrag = candidate.ufrag { children.append(node("ufrag", "\(ufrag) (the ICE session it belongs to)")) }
            if let id = candidate.networkID { children.append(node("Network id", "\(id) (the agent's interface number)")) }
            if let cost = candidate.networkCost { children.append(node("Network cost", "\(cost) (libwebrtc's cost of the interface: higher = costlier, e.g. cellular; 999 is its maximum)")) }
            let known: Set<String> = ["raddr", "rport", "tcptype", "generation", "ufrag", "network-id", "network-cost"]
            for pair in candidate.extensions where !known.contains(pair.name) {
                children.append(node("Extension", "\(pair.name) \(pair.value) (unknown here, kept)"))
            }
            children.append(node("If UDP were blocked", fact.udpBlockedMeaning))
            return node("Candidate #\(fact.number)", fact.summary, fact.line, children)
        }
    }

    // MARK: - Rendering

    /// `  12  name: value`, the line-number column blank for decoded fields.
    private static func lines(_ node: DissectedField, _ index: LineIndex, indent: Int) -> [String] {
        var column = "    "
        if node.length > 0, let line = index.line(atOffset: node.offset) {
            let number = String(line.number)
            column = String(repeating: " ", count: max(0, 4 - number.count)) + number
        }
        let marker = node.isError ? "!! " : ""
        var out = ["\(column)  \(String(repeating: "  ", count: indent))\(marker)\(node.name): \(node.value)"]
        for child in node.children { out += lines(child, index, indent: indent + 1) }
        return out
    }
}
