/// Something that carries `a=` lines: the session part or a media section.
///
/// Typed accessors read the first well-formed attribute of their name; parsing a
/// description already rejected malformed values of these attributes with a line
/// number, so on parsed input the accessors never silently drop anything.
public protocol SDPAttributeCarrying {
    /// The lines that may hold attributes.
    var attributeLines: [SDPLine] { get }
}

extension SDPAttributeCarrying {
    /// Every attribute, in order, including unknown ones.
    public var attributes: [SDPAttribute] { attributeLines.compactMap(\.attribute) }

    /// The values of every attribute named `name` (nil values for property attributes).
    public func attributeValues(_ name: String) -> [String?] {
        attributes.filter { $0.name == name }.map(\.value)
    }

    /// True when an attribute named `name` is present.
    public func hasAttribute(_ name: String) -> Bool { attributes.contains { $0.name == name } }

    /// The first value of the attribute named `name`.
    public func attributeValue(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    private func parsed<T>(_ name: String, _ parse: (Substring) throws(SDPError) -> T) -> [T] {
        attributes.filter { $0.name == name }.compactMap { attribute in
            try? parse(Substring(attribute.value ?? ""))
        }
    }

    /// `a=ice-ufrag` (RFC 8839 §5.4).
    public var iceUfrag: String? { attributeValue("ice-ufrag") }
    /// `a=ice-pwd` (RFC 8839 §5.4).
    public var icePwd: String? { attributeValue("ice-pwd") }
    /// `a=ice-options` tokens, e.g. `["trickle"]` (RFC 8839 §5.6).
    public var iceOptions: [String] {
        attributeValues("ice-options").flatMap { ($0 ?? "").split(separator: " ").map(String.init) }
    }
    /// True when `a=ice-options` includes `trickle` (RFC 8840 §4.1.1).
    public var supportsTrickle: Bool { iceOptions.contains("trickle") }
    /// True when `a=ice-lite` is present (RFC 8839 §5.3).
    public var isICELite: Bool { hasAttribute("ice-lite") }
    /// Every `a=fingerprint` (RFC 8122 §5); several are allowed.
    public var fingerprints: [Fingerprint] { parsed("fingerprint", Fingerprint.init(parsing:)) }
    /// `a=setup` (RFC 4145 §4).
    public var setup: SetupRole? { attributeValue("setup").map(SetupRole.init) }
    /// `a=mid` (RFC 5888 §4).
    public var mid: String? { attributeValue("mid") }
    /// Every `a=group` (RFC 5888 §5).
    public var groups: [MediaGroup] { parsed("group", MediaGroup.init(parsing:)) }
    /// The mids of `a=group:BUNDLE`, if present (RFC 9143).
    public var bundle: [String]? { groups.first { $0.semantics == "BUNDLE" }?.mids }
    /// `a=msid-semantic`.
    public var msidSemantic: MSIDSemantic? { parsed("msid-semantic", MSIDSemantic.init(parsing:)).first }
    /// `a=sctp-port` (RFC 8841 §5).
    public var sctpPort: UInt16? { attributeValue("sctp-port").flatMap { SDPText.port(Substring($0)) } }
    /// `a=max-message-size` in bytes, 0 meaning "no limit" (RFC 8841 §6).
    public var maxMessageSize: UInt64? { attributeValue("max-message-size").flatMap { SDPText.number(Substring($0)) } }
    /// The legacy `a=sctpmap`.
    public var sctpMap: SCTPMap? { parsed("sctpmap", SCTPMap.init(parsing:)).first }
    /// Every `a=candidate`, in order (RFC 8839 §5.1).
    public var candidates: [Candidate] { parsed("candidate", Candidate.init(attributeValue:)) }
    /// True when `a=end-of-candidates` is present (RFC 8840 §4.1.2).
    public var hasEndOfCandidates: Bool { hasAttribute("end-of-candidates") }
}

/// Grammar checks for the attributes this module understands, run while parsing
/// so a bad value is reported with its line number.
enum AttributeGrammar {
    static func check(_ attribute: SDPAttribute) throws(SDPError) {
        let value = Substring(attribute.value ?? "")
        func require(_ ok: Bool, _ why: @autoclosure () -> String) throws(SDPError) {
            if !ok { throw SDPError(.invalidValue, why()) }
        }
        switch attribute.name {
        case "candidate": _ = try Candidate(attributeValue: value)
        case "fingerprint": _ = try Fingerprint(parsing: value)
        case "group": _ = try MediaGroup(parsing: value)
        case "msid-semantic": _ = try MSIDSemantic(parsing: value)
        case "sctpmap": _ = try SCTPMap(parsing: value)
        case "ice-ufrag", "ice-pwd":
            try require(SDPText.isICEString(value, length: 1...256), "\(attribute.name) must be 1-256 ice-chars")
        case "setup", "mid":
            try require(SDPText.isToken(value), "\(attribute.name) must be a token")
        case "ice-options":
            try require(SDPText.fields(value).allSatisfy(SDPText.isToken), "ice-options must be space-separated tokens")
        case "sctp-port":
            try require(SDPText.port(value) != nil, "sctp-port '\(value)' must be 0-65535")
        case "max-message-size":
            try require(SDPText.number(value) != nil, "max-message-size '\(value)' must be a decimal number")
        default:
            break
        }
    }
}
