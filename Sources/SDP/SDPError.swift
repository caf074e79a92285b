import Wire

/// The one error type of the SDP module.
///
/// `code` says what went wrong, `reason` says it for humans, and `line` is the
/// 1-based line number in the parsed text when the problem belongs to one line.
/// `origin` keeps a peer that sent bad SDP (drop it, tell the user) apart from a
/// caller that misused the builders (a bug to fix), as h11 does.
public struct SDPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        // Peer violations: the text is not valid SDP, or not usable for a DataChannel.
        /// A line is not `<letter>=<value>`, is empty, or holds a control character.
        case malformedLine
        /// A line appears where RFC 8866 §5 does not allow it (e.g. `v=` twice, `o=` before `v=`).
        case unexpectedLine
        /// A required session line (v=, o=, s=, t=) is missing.
        case missingLine
        /// A line or attribute this module understands has a value that breaks its grammar.
        case invalidValue
        /// An `a=candidate` value breaks the RFC 8839 §5.1 grammar.
        case malformedCandidate
        /// A remote description lacks an attribute the DataChannel needs (ice-ufrag, fingerprint...).
        case missingAttribute
        /// A remote description has no usable `m=application` section for a DataChannel.
        case noUsableApplicationSection
        /// A remote description has more than one usable `m=application` section.
        case multipleApplicationSections
        /// The remote setup role cannot be paired with ours (RFC 4145 §4, RFC 8842 §5).
        case incompatibleSetup

        // API misuse.
        /// An argument passed to a builder is out of range or inconsistent.
        case invalidArgument
    }

    /// Who is at fault (shared by every module's error type).
    public typealias Origin = FaultOrigin

    /// What went wrong.
    public var code: Code
    /// Human-readable detail.
    public var reason: String
    /// 1-based line number in the parsed text, when the problem belongs to one line.
    public var line: Int?

    /// Creates an error.
    public init(_ code: Code, _ reason: String, line: Int? = nil) {
        self.code = code
        self.reason = reason
        self.line = line
    }

    /// Whether the peer or the caller is at fault.
    public var origin: Origin { code == .invalidArgument ? .caller : .peer }

    /// A one-line description for logs.
    public var description: String {
        if let line { return "\(code.rawValue) at line \(line): \(reason)" }
        return "\(code.rawValue): \(reason)"
    }

    /// The same error attributed to `line` (kept if it already names one).
    func at(line number: Int) -> SDPError {
        var copy = self
        if copy.line == nil { copy.line = number }
        return copy
    }
}
