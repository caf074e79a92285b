import Wire

/// Theory of operation of the dissector (RFC 6347 §4.1 records, §4.2.2 handshake
/// header; RFC 5246 §7.4 message bodies; names from the IANA TLS registries and RFC 8446).
///
/// Every wire type in this folder is read by ONE function, `init(cursor:)`, over a
/// `DissectionCursor`. Parsing into a value (`init(parsing:)`) runs it with recording
/// off; dissecting (`DTLSDissector`) runs the same code with recording on, so each
/// read also leaves a `DissectedField` with its absolute offset in the datagram. One
/// code path means the tree can never disagree with the typed parse.
///
/// The cursor checks every length against what is left (and against the enclosing
/// vector or message), and throws `DTLSError(.malformedRecord)` naming the field, so
/// hostile lengths are reported, never trusted. When a read fails half way, the
/// dissector closes the open groups and appends an error node: the tree keeps every
/// field that could be read.
struct DissectionCursor {
    /// The whole datagram (offsets are absolute within it).
    let bytes: [UInt8]
    /// Next byte to read.
    private(set) var offset: Int
    /// Stack of ends: the innermost length-delimited structure being read.
    private var limits: [Int]
    /// Whether reads leave `DissectedField`s (off for plain parsing: no strings are built).
    let recording: Bool

    private struct Group {
        var name: String
        var offset: Int
        var children: [DissectedField] = []
    }
    private var groups: [Group]

    /// A cursor over `bytes[range]`.
    init(_ bytes: [UInt8], range: Range<Int>, recording: Bool) {
        self.bytes = bytes
        self.offset = range.lowerBound
        self.limits = [range.upperBound]
        self.recording = recording
        self.groups = [Group(name: "", offset: range.lowerBound)]
    }

    /// A non-recording cursor over what `reader` has left.
    init(reader: ByteReader) {
        self.init(reader.bytes, range: reader.offset..<reader.endOffset, recording: false)
    }

    /// One past the last byte the innermost structure may use.
    var end: Int { limits[limits.count - 1] }
    /// Bytes left in the innermost structure.
    var remaining: Int { end - offset }
    /// True when the innermost structure is fully read.
    var isAtEnd: Bool { offset >= end }

    /// The fields recorded at the top level (after every group was closed).
    var fields: [DissectedField] { groups[0].children }

    // MARK: - Reads

    private func require(_ count: Int, _ name: String) throws(DTLSError) {
        guard count >= 0, count <= remaining else {
            throw DTLSError(.malformedRecord,
                            "\(name): needs \(count) byte(s) at offset \(offset), only \(max(0, remaining)) left")
        }
    }

    private mutating func readInteger(_ width: Int, _ name: String) throws(DTLSError) -> UInt64 {
        try require(width, name)
        var value: UInt64 = 0
        for index in 0..<width { value = value << 8 | UInt64(bytes[offset + index]) }
        offset += width
        return value
    }

    /// Reads a `width`-byte big-endian integer and records `name: describe(value)`.
    mutating func integer(_ name: String, width: Int,
                          _ describe: (UInt64) -> String = { "\($0)" }) throws(DTLSError) -> UInt64 {
        let start = offset
        let value = try readInteger(width, name)
        if recording { add(DissectedField(name: name, offset: start, length: width, value: describe(value))) }
        return value
    }

    mutating func uint8(_ name: String, _ describe: (UInt8) -> String = { "\($0)" }) throws(DTLSError) -> UInt8 {
        UInt8(try integer(name, width: 1) { describe(UInt8($0)) })
    }

    mutating func uint16(_ name: String, _ describe: (UInt16) -> String = { "\($0)" }) throws(DTLSError) -> UInt16 {
        UInt16(try integer(name, width: 2) { describe(UInt16($0)) })
    }

    mutating func uint24(_ name: String, _ describe: (UInt32) -> String = { "\($0)" }) throws(DTLSError) -> UInt32 {
        UInt32(try integer(name, width: 3) { describe(UInt32($0)) })
    }

    mutating func uint32(_ name: String, _ describe: (UInt32) -> String = { "\($0)" }) throws(DTLSError) -> UInt32 {
        UInt32(try integer(name, width: 4) { describe(UInt32($0)) })
    }

    /// Reads `count` raw bytes and records them (hex by default, cut after 32 bytes).
    mutating func bytes(_ name: String, count: Int,
                        _ describe: ([UInt8]) -> String = { DissectionCursor.hex($0) }) throws(DTLSError) -> [UInt8] {
        try require(count, name)
        let value = Array(bytes[offset..<offset + count])
        if recording { add(DissectedField(name: name, offset: offset, length: count, value: describe(value))) }
        offset += count
        return value
    }

    /// Reads `opaque name<0..2^(8*lengthWidth)-1>`: a length field, then that many bytes.
    mutating func opaque(_ name: String, lengthName: String? = nil, lengthWidth: Int,
                         _ describe: ([UInt8]) -> String = { DissectionCursor.hex($0) }) throws(DTLSError) -> [UInt8] {
        let count = Int(try integer(lengthName ?? "\(name) Length", width: lengthWidth))
        if count == 0 { return [] }
        return try bytes(name, count: count, describe)
    }

    /// Reads a length-prefixed vector: records its length field, then a group `name`
    /// holding whatever `element` records, called until the vector is used up.
    /// `summary` gets the element count for the group's value.
    mutating func vector(_ name: String, lengthName: String? = nil, lengthWidth: Int,
                         summary: (Int) -> String,
                         element: (inout DissectionCursor) throws(DTLSError) -> Void) throws(DTLSError) {
        let count = Int(try integer(lengthName ?? "\(name) Length", width: lengthWidth))
        try require(count, name)
        try withLimit(count) { (cursor: inout DissectionCursor) throws(DTLSError) in
            cursor.open(name)
            var elements = 0
            while !cursor.isAtEnd {
                try element(&cursor)
                elements += 1
            }
            cursor.close(value: summary(elements))
        }
    }

    /// Runs `body` with the next `count` bytes as the innermost structure, then
    /// insists that `body` used them all (a short element list is malformed).
    mutating func withLimit(_ count: Int, _ body: (inout DissectionCursor) throws(DTLSError) -> Void) throws(DTLSError) {
        try require(count, "structure")
        limits.append(offset + count)
        // Popped on every exit so a caller that recovers from an error reads on with the right bounds.
        defer { limits.removeLast() }
        try body(&self)
        guard isAtEnd else {
            throw DTLSError(.malformedRecord, "\(remaining) byte(s) left over at offset \(offset) inside a length-delimited structure")
        }
    }

    // MARK: - Tree building

    /// Appends a finished node to the innermost open group.
    mutating func add(_ field: DissectedField) {
        guard recording else { return }
        groups[groups.count - 1].children.append(field)
    }

    /// Starts a group node at the current offset; its children are what is recorded until `close`.
    mutating func open(_ name: String) {
        guard recording else { return }
        groups.append(Group(name: name, offset: offset))
    }

    /// Closes the innermost group into a node spanning what was read since `open`.
    mutating func close(value: String, isError: Bool = false) {
        guard recording, groups.count > 1 else { return }
        let group = groups.removeLast()
        add(DissectedField(name: group.name, offset: group.offset, length: offset - group.offset,
                           value: value, children: group.children, isError: isError))
    }

    /// Closes groups until only `depth` remain open, marking the innermost one with
    /// an error node for `error`. Used after a failed read so partial trees survive.
    mutating func fail(_ error: DTLSError, closingTo depth: Int) {
        guard recording else { return }
        add(DissectedField(name: "Malformed", offset: offset, length: max(0, min(remaining, bytes.count - offset)),
                           value: error.reason, isError: true))
        while groups.count > depth + 1 {
            let name = groups[groups.count - 1].name
            close(value: "\(name) (malformed)", isError: true)
        }
    }

    /// Number of open groups (pass to `fail(_:closingTo:)`).
    var depth: Int { groups.count - 1 }

    /// Moves to `newOffset` inside the innermost structure without recording (skip opaque data already shown).
    mutating func seek(to newOffset: Int) {
        offset = min(max(offset, newOffset), end)
    }

    /// Lower-case hex, cut after `limit` bytes with "…", or "(empty)".
    static func hex(_ bytes: [UInt8], limit: Int = 32) -> String {
        if bytes.isEmpty { return "(empty)" }
        return Hex.encode(bytes.prefix(limit)) + (bytes.count > limit ? "… (\(bytes.count) bytes)" : "")
    }

    /// "0x" and `digits` hex digits.
    static func hex<T: BinaryInteger>(_ value: T, digits: Int) -> String {
        let text = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
