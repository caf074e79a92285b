// sdp-fuzz: one input read as remote SDP text, every reader of the SDP module that
// takes a peer's text exercised, nothing may trap (docs/FUZZING.md).
//
// The whole input is used, as text (invalid UTF-8 repaired the way `String(decoding:)`
// does, as a signaling server's JSON layer would have to), four ways:
// - as a session description: `SessionDescription(parsing:)`, every typed view of the
//   session and of each media section, JSEP's reading of a remote offer and answer
//   (`RemoteDataChannelDescription(validating:as:)`) and the answer we would build to
//   it (`DataChannelSessionBuilder.makeAnswer(to:)`). Properties (SDP.swift,
//   SessionDescription.swift promise them): a description that parses prints and
//   re-parses to the same value, with its own line ending or the other one; text
//   already in canonical form (one line ending throughout, a final one) prints back
//   byte for byte; an error carries its 1-based line number; an answer we build
//   parses back and, when the offer's section was accepted, validates as an answer;
// - as one candidate (trickle `candidate:...`, `a=candidate:...` or the bare value):
//   a candidate that parses prints and re-parses to the same value;
// - every line of the input on its own as a candidate (so the corpus of whole SDPs
//   also drives the candidate grammar);
// - every line as a fingerprint, group, sctpmap and msid-semantic value.
import SDP
import Wire

enum FuzzTarget {
    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        checkDescription(text)
        checkCandidate(text)
        for line in text.utf8.split(separator: 0x0A).prefix(64) {
            let value = Substring(line)
            checkCandidate(String(value))
            _ = try? Fingerprint(parsing: value)
            _ = try? MediaGroup(parsing: value)
            _ = try? SCTPMap(parsing: value)
            _ = try? MSIDSemantic(parsing: value)
            _ = try? MediaLine(parsing: value)
            _ = try? Origin(parsing: value)
        }
    }

    /// Parse, view, validate, answer, and the round-trip properties.
    static func checkDescription(_ text: String) {
        let description: SessionDescription
        do {
            description = try SessionDescription(parsing: text)
        } catch {
            guard let line = error.line, line >= 1 else { fail("an SDP error without a line number: \(error)", text) }
            return
        }
        touchViews(of: description)

        // Round trip with its own ending, then with the other one.
        let printed = description.serialized()
        guard let again = try? SessionDescription(parsing: printed) else { fail("printed SDP does not re-parse: \(printed)", text) }
        guard again == description else { fail("printed SDP re-parses to another value: \(printed)", text) }
        let other: SessionDescription.LineEnding = description.lineEnding == .crlf ? .lf : .crlf
        let switched = description.serialized(lineEnding: other)
        guard let swapped = try? SessionDescription(parsing: switched),
              swapped.sessionLines == description.sessionLines, swapped.media == description.media,
              swapped.lineEnding == other else {
            fail("SDP printed with \(other) line endings does not re-parse to the same lines", text)
        }
        if isCanonical(text, ending: description.lineEnding), printed != text {
            fail("canonical SDP text did not print back byte for byte: \(printed)", text)
        }

        // JSEP's reading of a remote description, then our answer to it as an offer.
        for kind in [RemoteDataChannelDescription.Kind.offer, .answer] {
            guard let remote = try? RemoteDataChannelDescription(validating: description, as: kind) else { continue }
            guard remote.sectionIndex < description.media.count, !remote.fingerprints.isEmpty else {
                fail("a validated \(kind) points outside its description or has no fingerprint", text)
            }
            _ = remote.candidates.map(\.description)
        }
        var generator = SplitMix64(seed: 0x5D9)
        let builder = DataChannelSessionBuilder(fingerprint: Fingerprint(hashFunction: .sha256, bytes: Array(0..<32)),
                                                maxMessageSize: 262_144)
        guard let answer = try? builder.makeAnswer(to: description, using: &generator) else { return }
        guard let parsedAnswer = try? SessionDescription(parsing: answer.serialized()), parsedAnswer == answer else {
            fail("the answer we built does not parse back to itself: \(answer.serialized())", text)
        }
        guard let offer = try? RemoteDataChannelDescription(validating: description, as: .offer) else {
            fail("makeAnswer answered an offer that does not validate", text)
        }
        if description.media[offer.sectionIndex].mediaLine.port != 0,
           (try? RemoteDataChannelDescription(validating: parsedAnswer, as: .answer)) == nil {
            fail("the answer we built to a valid offer does not validate as an answer: \(answer.serialized())", text)
        }
    }

    /// Every typed view: each may be nil or empty, none may trap.
    static func touchViews(of description: SessionDescription) {
        _ = (description.origin, description.sessionName, description.timing, description.connection)
        _ = description.bandwidths
        var carriers: [any SDPAttributeCarrying] = [description]
        carriers += description.media.map { $0 as any SDPAttributeCarrying }
        for carrier in carriers {
            _ = (carrier.iceUfrag, carrier.icePwd, carrier.iceOptions, carrier.isICELite, carrier.supportsTrickle)
            _ = carrier.fingerprints.map(\.description)
            _ = (carrier.setup, carrier.mid, carrier.groups, carrier.bundle, carrier.msidSemantic)
            _ = (carrier.sctpPort, carrier.maxMessageSize, carrier.sctpMap, carrier.hasEndOfCandidates)
            for candidate in carrier.candidates {
                _ = (candidate.connectionAddress, candidate.relatedAddress, candidate.relatedPort, candidate.tcpType)
                _ = (candidate.generation, candidate.ufrag, candidate.networkID, candidate.networkCost)
                checkCandidate(candidate.description)
            }
        }
        for section in description.media {
            _ = (section.connection, section.bandwidths, section.carriesDataChannels, section.dataChannelSCTPPort)
            _ = section.mediaLine.isSCTPOverDTLS
        }
    }

    /// A candidate that parses prints and re-parses to the same value.
    static func checkCandidate(_ text: String) {
        guard let candidate = try? Candidate(parsing: text) else { return }
        for form in [candidate.description, candidate.line.description, candidate.attributeValue] {
            guard let again = try? Candidate(parsing: form), again == candidate else {
                fail("candidate printed as '\(form)' does not re-parse to the same value", text)
            }
        }
        _ = (candidate.connectionAddress, candidate.relatedPort, candidate.tcpType, candidate.generation)
    }

    /// True when `text` has one line ending throughout and ends with it: then the
    /// printed description must be the text itself (SessionDescription.swift).
    static func isCanonical(_ text: String, ending: SessionDescription.LineEnding) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.last == 0x0A else { return false }
        let lineFeeds = bytes.indices.filter { bytes[$0] == 0x0A }
        switch ending {
        case .crlf: return lineFeeds.allSatisfy { $0 > 0 && bytes[$0 - 1] == 0x0D }
        case .lf: return !bytes.contains(0x0D)
        }
    }

    static func fail(_ why: String, _ input: String) -> Never {
        fatalError("sdp-fuzz: \(why)\n--- input ---\n\(input)")
    }
}
