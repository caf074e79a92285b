import SDP

/// Every fact `ice-check sdp` reports, gathered once so that the human report
/// and the JSON report cannot disagree.
///
/// The DataChannel parameters come from the SDP module's
/// `RemoteDataChannelDescription` (JSEP §5.8/5.10 checks, session-level
/// attributes inherited); when that check fails the explanation still reads
/// what is there and records the problem.
struct SDPExplanation {
    /// One m-section.
    struct Section {
        let index: Int
        let line: LineIndex.Line?
        let media: MediaLine
        let mid: String?
        let carriesDataChannels: Bool
        let legacySCTPMap: Bool
        let sctpPort: UInt16?
        let maxMessageSize: UInt64?
        let rejected: Bool
        let bundleOnly: Bool
        let inBundle: Bool
        let candidateCount: Int
        let endOfCandidates: Bool
    }

    /// The input's name (a path or `<stdin>`).
    let source: String
    let lineIndex: LineIndex
    let description: SessionDescription
    /// "offer" when `a=setup:actpass` (only an offer may leave the DTLS role open), else "answer".
    let kind: RemoteDataChannelDescription.Kind
    /// The JSEP check, when it passed.
    let dataChannel: RemoteDataChannelDescription?
    /// Why a DataChannel cannot use this description, when it cannot.
    let dataChannelProblem: SDPError?
    let sections: [Section]
    let candidates: [CandidateFacts]

    // The effective ICE and DTLS parameters (media level, else session level).
    let ufrag: String?
    let pwd: String?
    let iceOptions: [String]
    let iceLite: Bool
    let fingerprints: [Fingerprint]
    let setup: SetupRole?
    /// Which section the parameters above were read from (nil: none found).
    let primarySection: Int?

    init(source: String, text: String, description: SessionDescription) {
        self.source = source
        self.description = description
        lineIndex = LineIndex(text)
        let bundle = description.bundle ?? []
        sections = description.media.indices.map { [lineIndex] index in
            let section = description.media[index]
            let bundleOnly = section.hasAttribute("bundle-only")
            return Section(index: index, line: lineIndex.mediaLines.dropFirst(index).first, media: section.mediaLine,
                           mid: section.mid, carriesDataChannels: section.carriesDataChannels,
                           legacySCTPMap: section.mediaLine.proto.uppercased() == "DTLS/SCTP",
                           sctpPort: section.dataChannelSCTPPort, maxMessageSize: section.maxMessageSize,
                           rejected: section.mediaLine.port == 0 && !bundleOnly, bundleOnly: bundleOnly,
                           inBundle: section.mid.map(bundle.contains) ?? false,
                           candidateCount: section.candidates.count, endOfCandidates: section.hasEndOfCandidates)
        }
        var facts: [CandidateFacts] = []
        for (index, section) in description.media.enumerated() {
            let lines = lineIndex.lines("a=candidate:", in: index)
            for (position, candidate) in section.candidates.enumerated() {
                facts.append(CandidateFacts(number: facts.count + 1, candidate: candidate,
                                            line: position < lines.count ? lines[position] : nil, section: index))
            }
        }
        candidates = facts

        let setupSeen = description.media.lazy.compactMap(\.setup).first ?? description.setup
        kind = setupSeen == .actpass ? .offer : .answer
        var problem: SDPError?
        do throws(SDPError) {
            dataChannel = try RemoteDataChannelDescription(validating: description, as: kind)
        } catch {
            dataChannel = nil
            problem = error
        }
        dataChannelProblem = problem

        let primary = dataChannel?.sectionIndex
            ?? description.media.firstIndex { $0.carriesDataChannels }
            ?? (description.media.isEmpty ? nil : 0)
        primarySection = primary
        let section = primary.map { description.media[$0] }
        ufrag = dataChannel?.iceUfrag ?? section?.iceUfrag ?? description.iceUfrag
        pwd = dataChannel?.icePwd ?? section?.icePwd ?? description.icePwd
        iceOptions = dataChannel?.iceOptions
            ?? ((section?.iceOptions.isEmpty ?? true) ? description.iceOptions : section?.iceOptions ?? [])
        iceLite = dataChannel?.isICELite ?? (description.isICELite || section?.isICELite == true)
        fingerprints = dataChannel?.fingerprints
            ?? ((section?.fingerprints.isEmpty ?? true) ? description.fingerprints : section?.fingerprints ?? [])
        setup = dataChannel?.setup ?? section?.setup ?? description.setup
    }

    /// The input line of the first attribute `prefix` that applies to the primary section.
    func line(of prefix: String) -> LineIndex.Line? {
        primarySection.flatMap { lineIndex.first(prefix, in: $0) } ?? lineIndex.first(prefix, in: nil)
    }

    /// Every input line starting with `prefix` that applies to the primary section.
    func lines(of prefix: String) -> [LineIndex.Line] {
        let media = primarySection.map { lineIndex.lines(prefix, in: $0) } ?? []
        return media.isEmpty ? lineIndex.lines(prefix, in: nil) : media
    }

    /// Offer or answer, and why: only `a=setup` tells them apart in a lone description.
    var kindGuess: (name: String, basis: String) {
        switch setup {
        case .actpass?: return ("offer", "a=setup:actpass: only an offer leaves the DTLS role open")
        case let role?: return ("answer", "a=setup:\(role): what an answer chooses (an offer may also fix its role)")
        case nil: return ("unknown", "no a=setup: an offer and an answer look alike")
        }
    }

    /// Line-ending name for the report.
    var lineEnding: String { description.lineEnding == .crlf ? "CRLF" : "LF" }

    // MARK: - Meanings

    /// What the setup role means for DTLS (RFC 4145 §4, RFC 8842 §5).
    var setupMeaning: (dtlsRole: String, text: String)? {
        guard let setup else { return nil }
        switch setup {
        case .actpass:
            return ("decided by the answer", "actpass: either role; the answerer picks (JSEP answers say active), "
                + "so the offerer usually ends up the DTLS server")
        case .active:
            return ("client", "active: this side is the DTLS client and sends the ClientHello")
        case .passive:
            return ("server", "passive: this side is the DTLS server and waits for the ClientHello")
        default:
            return ("none", "\(setup): cannot start a DTLS association")
        }
    }

    /// What one fingerprint's length check says.
    static func lengthCheck(_ fingerprint: Fingerprint) -> (expected: Int?, ok: Bool?, text: String) {
        guard let expected = fingerprint.hashFunction.digestLength else {
            return (nil, nil, "\(fingerprint.bytes.count) bytes; \(fingerprint.hashFunction) is unknown here, length not checked")
        }
        let ok = expected == fingerprint.bytes.count
        return (expected, ok, "\(fingerprint.bytes.count) bytes, " + (ok ? "as \(fingerprint.hashFunction) requires" : "but \(fingerprint.hashFunction) needs \(expected)"))
    }

    /// What a media section's protocol means.
    static func protocolMeaning(_ section: Section) -> String {
        switch section.media.proto.uppercased() {
        case "UDP/DTLS/SCTP": return "SCTP over DTLS over ICE/UDP, formats webrtc-datachannel (RFC 8841)"
        case "TCP/DTLS/SCTP": return "SCTP over DTLS over ICE-TCP (RFC 8841)"
        case "DTLS/SCTP": return "legacy form (draft-ietf-mmusic-sctp-sdp-05): the format is the SCTP port, a=sctpmap names the app"
        default: return "not a DataChannel transport"
        }
    }

    /// The "if UDP were blocked" verdict: which candidates remain and what ICE falls back to.
    var udpBlockedVerdict: (remaining: [CandidateFacts], depends: [CandidateFacts], text: [String]) {
        let remaining = candidates.filter { $0.udpBlocked == .remains }
        let depends = candidates.filter { $0.udpBlocked == .depends }
        var text: [String] = []
        let tcp = remaining.filter { $0.candidate.transport == .tcp }
        let relays = remaining.filter(\.isRelay) + depends
        if remaining.isEmpty, depends.isEmpty {
            text.append("No candidate here survives: every one needs UDP end to end, so with only these ICE would fail.")
        } else {
            let names = (remaining + depends).map { "#\($0.number)" }.joined(separator: ", ")
            text.append("Candidates that could remain: \(names).")
        }
        if !tcp.isEmpty {
            text.append("TCP candidates connect directly over ICE-TCP (RFC 6544) only if the other side offers "
                + "TCP candidates too (libwebrtc does; many agents, this lab's included, do not).")
        }
        if relays.isEmpty {
            text.append("There is no relay candidate: configure a TURN server reachable over TCP or TLS "
                + "(turn:HOST:PORT?transport=tcp, turns:HOST:443) and gather again.")
        } else {
            text.append("A relay candidate works when the agent talks to its TURN server over TCP or TLS "
                + "(RFC 8656): the server relays over UDP on the other side, so the blocked UDP is never needed here.")
        }
        let named = relays.isEmpty ? "" : " (here: " + relays.map { "#\($0.number)" }.joined(separator: ", ") + ")"
        text.append("ICE would fall back to: relay\(named), TURN over TCP/TLS being the path that gets through when UDP does not.")
        return (remaining, depends, text)
    }
}
