import Foundation
import SDP
import Testing

@Suite("Remote description validation and malformed SDP")
struct ValidationTests {
    static let chromium = (try? FixtureLoader.text("chromium-offer.sdp")) ?? ""

    /// Chromium's offer with every line for which `drop` is true removed.
    static func without(_ drop: (String) -> Bool) -> String {
        chromium.components(separatedBy: "\r\n").filter { !drop($0) }.joined(separator: "\r\n")
    }

    static func validationError(_ text: String, as kind: RemoteDataChannelDescription.Kind = .offer) -> SDPError? {
        do {
            _ = try RemoteDataChannelDescription(validating: SessionDescription(parsing: text), as: kind)
            return nil
        } catch {
            return error
        }
    }

    @Test("missing ICE credentials, fingerprint or setup are named", arguments: [
        ("a=ice-ufrag", "no a=ice-ufrag"), ("a=ice-pwd", "no a=ice-pwd"),
        ("a=fingerprint", "no a=fingerprint"), ("a=setup", "no a=setup"),
    ])
    func missing(prefix: String, reason: String) {
        let error = Self.validationError(Self.without { $0.hasPrefix(prefix) })
        #expect(error == SDPError(.missingAttribute, reason))
    }

    @Test("an answer may not say actpass; holdconn never works")
    func setupRules() {
        #expect(Self.validationError(Self.chromium, as: .answer)?.code == .incompatibleSetup)
        let holdconn = Self.chromium.replacingOccurrences(of: "a=setup:actpass", with: "a=setup:holdconn")
        #expect(Self.validationError(holdconn)?.code == .incompatibleSetup)
    }

    @Test("short ufrag and pwd break RFC 8839 §5.4")
    func shortCredentials() {
        let ufrag = Self.chromium.replacingOccurrences(of: "a=ice-ufrag:L2h2", with: "a=ice-ufrag:L2h")
        #expect(Self.validationError(ufrag)?.code == .invalidValue)
        let pwd = Self.chromium.replacingOccurrences(of: "a=ice-pwd:o39u/HbxBnW71IRtdPPab7l6", with: "a=ice-pwd:o39u")
        #expect(Self.validationError(pwd)?.code == .invalidValue)
    }

    @Test("no usable section: rejected (port 0), audio only, or legacy without sctpmap")
    func noUsableSection() {
        let rejected = Self.chromium.replacingOccurrences(of: "m=application 57963", with: "m=application 0")
        #expect(Self.validationError(rejected)?.code == .noUsableApplicationSection)
        let audio = Self.chromium.replacingOccurrences(of: "m=application 57963 UDP/DTLS/SCTP webrtc-datachannel",
                                                       with: "m=audio 9 UDP/TLS/RTP/SAVPF 111")
        #expect(Self.validationError(audio)?.code == .noUsableApplicationSection)
        let legacy = Self.chromium.replacingOccurrences(of: "UDP/DTLS/SCTP webrtc-datachannel", with: "DTLS/SCTP 5000")
        #expect(Self.validationError(legacy)?.code == .noUsableApplicationSection)
    }

    @Test("two DataChannel sections are refused")
    func twoSections() {
        let section = Self.chromium[Self.chromium.range(of: "m=application")!.lowerBound...]
        #expect(Self.validationError(Self.chromium + section)?.code == .multipleApplicationSections)
    }

    @Test("malformed SDP names the line and the reason", arguments: [
        ("", 1, SDPError.Code.malformedLine),
        ("x", 1, .malformedLine),
        ("v=1\r\n", 1, .invalidValue),
        ("o=- 1 1 IN IP4 0.0.0.0\r\n", 1, .unexpectedLine),
        ("v=0\r\ns=-\r\n", 2, .unexpectedLine),
        ("v=0\r\no=- 1 IN IP4 0.0.0.0\r\n", 2, .invalidValue),
        ("v=0\r\no=- x 1 IN IP4 0.0.0.0\r\n", 2, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n", 3, .missingLine),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nm=application 9 UDP/DTLS/SCTP x\r\n", 4, .missingLine),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0\r\n", 4, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n\r\na=x\r\n", 5, .malformedLine),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nv=0\r\n", 5, .unexpectedLine),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=application 70000 UDP/DTLS/SCTP x\r\n", 5, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=application 9\r\n", 5, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=a 9 P f\r\nt=0 0\r\n", 6, .unexpectedLine),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nc=IN IP4\r\n", 5, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nb=AS\r\n", 5, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=fingerprint:sha-256 AB:CD\r\n", 5, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=fingerprint:sha-1 XY\r\n", 5, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=sctp-port:65536\r\n", 5, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=max-message-size:-1\r\n", 5, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-ufrag:a b\r\n", 5, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=setup\r\n", 5, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=sctpmap:5000\r\n", 5, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:\r\n", 5, .invalidValue),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=x\u{0}y\r\n", 5, .malformedLine),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n1=x\r\n", 5, .malformedLine),
    ])
    func malformed(text: String, line: Int, code: SDPError.Code) {
        do {
            _ = try SessionDescription(parsing: text)
            Issue.record("parsed: \(text.debugDescription)")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.line == line, "\(error)")
            #expect(error.origin == .peer)
            #expect(!error.reason.isEmpty)
        }
    }

    @Test("a minimal description parses with CRLF, bare LF and no final line ending")
    func lineEndings() throws {
        let lines = ["v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0"]
        let crlf = try SessionDescription(parsing: lines.joined(separator: "\r\n") + "\r\n")
        let lf = try SessionDescription(parsing: lines.joined(separator: "\n") + "\n")
        let bare = try SessionDescription(parsing: lines.joined(separator: "\n"))
        #expect(crlf.lineEnding == .crlf && lf.lineEnding == .lf)
        #expect(crlf.sessionLines == lf.sessionLines && lf.sessionLines == bare.sessionLines)
        #expect(crlf.media.isEmpty)
        #expect(lf.serialized(lineEnding: .crlf) == crlf.serialized())
        #expect(bare.serialized() == lines.joined(separator: "\n") + "\n")
        let mixed = try SessionDescription(parsing: "v=0\r\no=- 1 1 IN IP4 0.0.0.0\ns=-\r\nt=0 0\n")
        #expect(mixed.lineEnding == .crlf)
        #expect(mixed.serialized() == crlf.serialized())
    }
}
