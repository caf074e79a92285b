import MeshProtocol

/// Splits the bytes an agent writes to its sidecar into JSON lines, sans-IO.
///
/// The agent is another program and its bytes are treated as hostile: the framer
/// never holds more than `maxLineBytes` of one line. A line that grows past the
/// limit is reported once (`.tooLarge`) and the rest of it, up to its newline, is
/// discarded as it arrives, so a runaway writer costs no memory and the connection
/// stays usable for the next line. Lines end at LF; a CR before the LF is dropped
/// (CRLF writers, e.g. a Windows-minded client); blank lines are skipped, as
/// chatixia's sidecar skips them.
public struct IPCLineFramer: Sendable {
    /// One framing result.
    public enum Output: Hashable, Sendable {
        /// A complete line, without its line ending, as text.
        case line(String)
        /// A line longer than the limit (`size`: bytes seen when it was refused, over the limit);
        /// its remainder is being discarded.
        case tooLarge(size: Int, limit: Int)
        /// A line that is not UTF-8 (its length in bytes).
        case invalidUTF8(size: Int)
    }

    /// The longest line accepted, in bytes without the line ending.
    public let maxLineBytes: Int
    private var pending: [UInt8] = []
    /// True while discarding the rest of a line that was already refused as too large.
    private var discarding = false

    /// A framer refusing lines over `maxLineBytes` (default: `IPCCommand.defaultMaxBytes`).
    public init(maxLineBytes: Int = IPCCommand.defaultMaxBytes) {
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// Bytes held for a line not yet complete (at most `maxLineBytes + 1`).
    public var bufferedBytes: Int { pending.count }

    /// Feeds bytes as they were read; returns the lines they completed, in order.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [Output] {
        var outputs: [Output] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            guard let newline = rest.firstIndex(of: 0x0A) else {
                append(rest, into: &outputs)
                break
            }
            append(rest[..<newline], into: &outputs)
            if discarding {
                discarding = false
            } else if let output = take() {
                outputs.append(output)
            }
            pending.removeAll(keepingCapacity: pending.count <= 4096)
            rest = rest[rest.index(after: newline)...]
        }
        return outputs
    }

    /// The end of input: a last line without a newline is still a line.
    public mutating func finish() -> [Output] {
        defer {
            pending = []
            discarding = false
        }
        guard !discarding, let output = take() else { return [] }
        return [output]
    }

    /// Adds part of a line to `pending`, or refuses the line once it passes the limit.
    private mutating func append(_ part: some Collection<UInt8>, into outputs: inout [Output]) {
        guard !discarding else { return }
        // Room for one trailing CR beyond the limit: it is not part of the line.
        if pending.count + part.count > maxLineBytes + 1 {
            outputs.append(.tooLarge(size: pending.count + part.count, limit: maxLineBytes))
            pending = []
            discarding = true
            return
        }
        pending.append(contentsOf: part)
    }

    /// The pending bytes as an output: nil for a blank line.
    private func take() -> Output? {
        var line = pending[...]
        if line.last == 0x0D { line = line.dropLast() }
        if line.count > maxLineBytes { return .tooLarge(size: line.count, limit: maxLineBytes) }
        guard let text = String(validating: line, as: UTF8.self) else { return .invalidUTF8(size: line.count) }
        if text.allSatisfy(\.isWhitespace) { return nil }
        return .line(text)
    }
}
