/// One node of a packet dissection tree, like a line in Wireshark's packet pane.
///
/// Every layer's dissector returns these so that tools, lessons and the lab
/// can print "what is on the wire, field by field" the same way: name, byte
/// offset and length within the datagram, the raw bytes, and a decoded value.
public struct DissectedField: Sendable, Equatable {
    /// Field name, e.g. "Message Type" or "XOR-MAPPED-ADDRESS".
    public var name: String
    /// Offset of the field's first byte within the datagram.
    public var offset: Int
    /// Length in bytes.
    public var length: Int
    /// Decoded value for humans, e.g. "Binding Success Response (0x0101)".
    public var value: String
    /// Sub-fields (attribute type, length, value...).
    public var children: [DissectedField]
    /// True when this node reports a problem found while dissecting (truncation, bad CRC...).
    public var isError: Bool

    /// Creates a node.
    public init(name: String, offset: Int, length: Int, value: String,
                children: [DissectedField] = [], isError: Bool = false) {
        self.name = name
        self.offset = offset
        self.length = length
        self.value = value
        self.children = children
        self.isError = isError
    }

    /// Renders the tree as indented text with offsets and hex:
    /// `  0000  2 bytes  Message Type: Binding Request (0x0001)  [00 01]`.
    /// `bytes` is the datagram the offsets refer to; hex longer than `maxHexBytes` is cut with "…".
    public func render(bytes: [UInt8], indent: Int = 0, maxHexBytes: Int = 20) -> [String] {
        let pad = String(repeating: "  ", count: indent)
        let offsetText = String(offset, radix: 16)
        let paddedOffset = String(repeating: "0", count: max(0, 4 - offsetText.count)) + offsetText
        var line = "\(pad)\(paddedOffset)  \(name): \(value)"
        if isError { line = "\(pad)\(paddedOffset)  !! \(name): \(value)" }
        let end = min(bytes.count, offset + length)
        if length > 0, offset >= 0, offset < end {
            let slice = bytes[offset..<end]
            let shown = Hex.encode(slice.prefix(maxHexBytes), separator: " ")
            line += "  [\(shown)\(slice.count > maxHexBytes ? " …" : "")]"
        }
        var lines = [line]
        for child in children { lines += child.render(bytes: bytes, indent: indent + 1, maxHexBytes: maxHexBytes) }
        return lines
    }
}
