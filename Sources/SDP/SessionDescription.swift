/// A whole SDP (RFC 8866 §5): session lines, then media sections.
///
/// ```
/// v=0                                   <- session part: v= o= s= first, in that order,
/// o=- 4611731400430051336 2 IN IP4 127.0.0.1     then t= (required) and any c= b= a= ...
/// s=-
/// t=0 0
/// a=group:BUNDLE 0
/// m=application 9 UDP/DTLS/SCTP webrtc-datachannel   <- one media section per m=
/// c=IN IP4 0.0.0.0
/// a=mid:0
/// ```
/// Parsing keeps every line verbatim; `serialized()` with the line ending the
/// text came with reproduces it byte for byte. Text that mixes CRLF and LF is
/// accepted and written back with the first line's ending (one ending is kept
/// per description, not per line), and a missing final line ending is added.
public struct SessionDescription: Hashable, Sendable, SDPAttributeCarrying, CustomStringConvertible {
    /// How lines end.
    public enum LineEnding: String, Hashable, Sendable {
        /// CRLF, what RFC 8866 §5 requires and what browsers send.
        case crlf = "\r\n"
        /// A bare LF, accepted on input (RFC 8866 §5 asks parsers to tolerate it).
        case lf = "\n"
    }

    /// The session part's lines, starting with v=, o=, s=.
    public var sessionLines: [SDPLine]
    /// The media sections in order.
    public var media: [MediaDescription]
    /// The line ending found on the first line of parsed text (CRLF for built descriptions).
    public var lineEnding: LineEnding

    /// Builds a description from typed session values.
    public init(origin: Origin, sessionName: String = "-", timing: Timing = Timing(),
                attributes: [SDPAttribute] = [], media: [MediaDescription] = []) {
        sessionLines = [SDPLine("v", "0"), SDPLine("o", origin.description), SDPLine("s", sessionName),
                        SDPLine("t", timing.description)] + attributes.map(\.line)
        self.media = media
        lineEnding = .crlf
    }

    /// Parses SDP text, CRLF or bare LF, checking every line this module understands.
    ///
    /// Throws `SDPError` naming the 1-based line number and the reason; never traps.
    public init(parsing text: String) throws(SDPError) {
        var segments = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
        if segments.count > 1, segments.last?.isEmpty == true { segments.removeLast() }
        lineEnding = segments.first?.utf8.last == 0x0D ? .crlf : .lf
        sessionLines = []
        media = []
        var current: (text: Substring, lines: [SDPLine], number: Int)?
        var sawTiming = false
        for (index, segment) in segments.enumerated() {
            let number = index + 1
            let raw = segment.utf8.last == 0x0D ? Substring(segment.utf8.dropLast()) : segment
            do throws(SDPError) {
                let line = try SDPLine(parsing: raw)
                try Self.checkOrder(line, number: number, seen: sessionLines.count, inMedia: current != nil)
                try Self.checkValue(line)
                switch line.type {
                case "m":
                    if let open = current { try closeSection(open) } else if !sawTiming {
                        throw SDPError(.missingLine, "the session needs a t= line before the first m=")
                    }
                    _ = try MediaLine(parsing: Substring(line.value))
                    current = (Substring(line.value), [], number)
                case _ where current != nil:
                    current?.lines.append(line)
                default:
                    if line.type == "t" { sawTiming = true }
                    sessionLines.append(line)
                }
            } catch {
                throw error.at(line: number)
            }
        }
        if let open = current { try closeSection(open) }
        guard sessionLines.count >= 3 else {
            throw SDPError(.missingLine, "an SDP starts with v=, o= and s= lines", line: segments.count)
        }
        guard sawTiming else { throw SDPError(.missingLine, "the session needs a t= line", line: segments.count) }
    }

    private mutating func closeSection(_ open: (text: Substring, lines: [SDPLine], number: Int)) throws(SDPError) {
        do throws(SDPError) {
            media.append(try MediaDescription(mediaLineText: open.text, lines: open.lines))
        } catch {
            throw error.at(line: open.number)
        }
    }

    /// RFC 8866 §5: v=, o=, s= open the session in that order; session-only lines
    /// do not appear in media sections; unknown letters are kept wherever they are.
    private static func checkOrder(_ line: SDPLine, number: Int, seen: Int, inMedia: Bool) throws(SDPError) {
        let required: [Character] = ["v", "o", "s"]
        if seen < 3, !inMedia {
            guard line.type == required[seen] else {
                throw SDPError(.unexpectedLine, "expected the \(required[seen])= line here, found \(line.type)=")
            }
            return
        }
        if required.contains(line.type) {
            throw SDPError(.unexpectedLine, "\(line.type)= may appear only once, at the start")
        }
        if inMedia, ["t", "r", "z", "u", "e", "p"].contains(line.type) {
            throw SDPError(.unexpectedLine, "\(line.type)= is a session-level line and cannot follow m=")
        }
    }

    private static func checkValue(_ line: SDPLine) throws(SDPError) {
        let value = Substring(line.value)
        switch line.type {
        case "v": if line.value != "0" { throw SDPError(.invalidValue, "v= must be 0, found '\(line.value)'") }
        case "o": _ = try Origin(parsing: value)
        case "c": _ = try ConnectionData(parsing: value)
        case "t": _ = try Timing(parsing: value)
        case "b": _ = try Bandwidth(parsing: value)
        case "a": try AttributeGrammar.check(SDPAttribute(lineValue: value))
        default: break
        }
    }

    /// The session-level attribute lines, for `SDPAttributeCarrying`.
    public var attributeLines: [SDPLine] { sessionLines }

    /// `o=`.
    public var origin: Origin? {
        sessionLines.first { $0.type == "o" }.flatMap { try? Origin(parsing: Substring($0.value)) }
    }
    /// `s=`.
    public var sessionName: String? { sessionLines.first { $0.type == "s" }?.value }
    /// The first `t=`.
    public var timing: Timing? {
        sessionLines.first { $0.type == "t" }.flatMap { try? Timing(parsing: Substring($0.value)) }
    }
    /// The session-level `c=`, if any.
    public var connection: ConnectionData? {
        sessionLines.first { $0.type == "c" }.flatMap { try? ConnectionData(parsing: Substring($0.value)) }
    }
    /// The session-level `b=` lines.
    public var bandwidths: [Bandwidth] {
        sessionLines.filter { $0.type == "b" }.compactMap { try? Bandwidth(parsing: Substring($0.value)) }
    }

    /// Appends a session-level attribute line.
    public mutating func append(_ attribute: SDPAttribute) { sessionLines.append(attribute.line) }

    /// The text of the description with every line ended by `lineEnding` (default: its own).
    public func serialized(lineEnding: LineEnding? = nil) -> String {
        let ending = (lineEnding ?? self.lineEnding).rawValue
        var text = ""
        for line in sessionLines { text += line.description + ending }
        for section in media { section.write(into: &text, lineEnding: ending) }
        return text
    }

    /// The serialised text.
    public var description: String { serialized() }
}
