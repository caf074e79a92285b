import Wire

extension STUNMessage {
    /// The first attribute of `type` that counts (ignored ones are skipped), raw.
    public func rawAttribute(_ type: STUNAttributeType) -> STUNAttribute? {
        attributes.first { $0.type == type }
    }

    /// True when an attribute of `type` is present (and not ignored).
    public func contains(_ type: STUNAttributeType) -> Bool {
        attributes.contains { $0.type == type }
    }

    /// Decodes the first attribute of A's type, or nil when there is none.
    /// Throws `.malformedAttribute` when its bytes do not follow A's layout.
    public func attribute<A: STUNAttributeValue>(_ type: A.Type) throws -> A? {
        guard let raw = rawAttribute(A.attributeType) else { return nil }
        return try raw.decode(as: A.self, transactionID: transactionID)
    }

    /// Appends a typed attribute (encoded with this message's transaction id,
    /// so set `transactionID` first when adding XOR-ed addresses).
    public mutating func append<A: STUNAttributeValue>(_ value: A) {
        attributes.append(STUNAttribute(value, transactionID: transactionID))
    }

    /// Appends a raw attribute.
    public mutating func append(_ attribute: STUNAttribute) {
        attributes.append(attribute)
    }

    /// The reflexive address: XOR-MAPPED-ADDRESS if present and well formed,
    /// else MAPPED-ADDRESS (RFC 8489 §14.1: clients should accept both), else nil.
    public var mappedAddress: TransportAddress? {
        if let xored = try? attribute(XORMappedAddress.self) { return xored.address }
        return (try? attribute(MappedAddress.self))?.address
    }

    /// The decoded ERROR-CODE, or nil when absent or malformed.
    public var errorCode: ErrorCodeAttribute? { try? attribute(ErrorCodeAttribute.self) }

    /// Comprehension-required attribute types (below 0x8000) that are not in
    /// `understood`, in order of first appearance: what a 420 lists.
    public func unknownComprehensionRequired(understood: Set<STUNAttributeType>) -> [STUNAttributeType] {
        var seen: [STUNAttributeType] = []
        for attribute in attributes where attribute.type.isComprehensionRequired && !understood.contains(attribute.type) {
            if !seen.contains(attribute.type) { seen.append(attribute.type) }
        }
        return seen
    }

    /// A Binding request with no attributes.
    public static func bindingRequest(transactionID: TransactionID) -> STUNMessage {
        STUNMessage(type: .bindingRequest, transactionID: transactionID)
    }

    /// Short description: "Binding Request tid=b7e7a701bc34d686fa87dfae (4 attributes)".
    public var summary: String {
        "\(messageType) tid=\(transactionID) (\(attributes.count) attribute\(attributes.count == 1 ? "" : "s"))"
    }
}
