import Wire

/// One hello extension (RFC 5246 §7.4.1.4) with the bodies WebRTC handshakes carry
/// decoded: supported_groups, ec_point_formats, signature_algorithms, use_srtp, ALPN,
/// renegotiation_info, session_ticket and the empty flags (extended_master_secret,
/// encrypt_then_mac). Any other type keeps its bytes.
///
/// ```
///   struct {
///       ExtensionType extension_type;
///       opaque extension_data<0..2^16-1>;
///   } Extension;
///
///    0                   1                   2                   3
///    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///   |        extension_type         |     extension_data length     |
///   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///   |                    extension_data ...                         |
/// ```
public struct TLSExtension: Hashable, Sendable {
    /// The extension type.
    public var type: TLSExtensionType
    /// The raw extension_data (kept so unknown extensions survive a round trip).
    public var data: [UInt8]
    /// `data` decoded, for the types listed above; `.opaque` otherwise.
    public var content: Content

    /// The decoded body of an extension.
    public enum Content: Hashable, Sendable {
        /// supported_groups: the groups in preference order.
        case supportedGroups([TLSNamedGroup])
        /// ec_point_formats.
        case ecPointFormats([TLSECPointFormat])
        /// signature_algorithms.
        case signatureAlgorithms([TLSSignatureScheme])
        /// use_srtp: profiles and the (normally empty) MKI.
        case useSRTP(profiles: [SRTPProtectionProfile], mki: [UInt8])
        /// application_layer_protocol_negotiation: protocol names (bytes shown as text).
        case alpn([String])
        /// renegotiation_info: the previous verify_data, empty on a first handshake.
        case renegotiationInfo([UInt8])
        /// A flag extension with no body (extended_master_secret, encrypt_then_mac, empty session_ticket).
        case empty
        /// Anything else, or a ticket: the raw bytes.
        case opaque([UInt8])
    }

    /// Creates an extension from raw data, decoding it when the type is known and well formed.
    public init(type: TLSExtensionType, data: [UInt8]) {
        self.type = type
        self.data = data
        var cursor = DissectionCursor(data, range: 0..<data.count, recording: false)
        self.content = (try? Self.readContent(type: type, length: data.count, cursor: &cursor)) ?? .opaque(data)
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        cursor.open("Extension")
        let type = TLSExtensionType(rawValue: try cursor.uint16("Type") { TLSExtensionType(rawValue: $0).description })
        let length = Int(try cursor.uint16("Length"))
        let dataStart = cursor.offset
        var content = Content.empty
        try cursor.withLimit(length) { (inner: inout DissectionCursor) throws(DTLSError) in
            content = try Self.readContent(type: type, length: length, cursor: &inner)
        }
        self.type = type
        self.data = Array(cursor.bytes[dataStart..<dataStart + length])
        self.content = content
        cursor.close(value: "\(type.name ?? "Unknown type \(type.rawValue)") (len=\(length))")
    }

    /// Writes type, length and data.
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt16(type.rawValue)
        writer.writeUInt16(UInt16(truncatingIfNeeded: data.count))
        writer.writeBytes(data)
    }

    private static func readContent(type: TLSExtensionType, length: Int,
                                    cursor: inout DissectionCursor) throws(DTLSError) -> Content {
        switch type {
        case .supportedGroups:
            var groups: [TLSNamedGroup] = []
            try cursor.vector("Supported Groups", lengthName: "Supported Groups List Length", lengthWidth: 2,
                              summary: { "\($0) group(s)" }) { (c: inout DissectionCursor) throws(DTLSError) in
                groups.append(TLSNamedGroup(rawValue: try c.uint16("Supported Group") { TLSNamedGroup(rawValue: $0).description }))
            }
            return .supportedGroups(groups)
        case .ecPointFormats:
            var formats: [TLSECPointFormat] = []
            try cursor.vector("EC Point Formats", lengthWidth: 1, summary: { "\($0) format(s)" }) { (c: inout DissectionCursor) throws(DTLSError) in
                formats.append(TLSECPointFormat(rawValue: try c.uint8("EC Point Format") { TLSECPointFormat(rawValue: $0).description }))
            }
            return .ecPointFormats(formats)
        case .signatureAlgorithms, TLSExtensionType(rawValue: 50):
            return .signatureAlgorithms(try TLSSignatureScheme.readList(&cursor))
        case .useSRTP:
            var profiles: [SRTPProtectionProfile] = []
            try cursor.vector("SRTP Protection Profiles", lengthWidth: 2, summary: { "\($0) profile(s)" }) { (c: inout DissectionCursor) throws(DTLSError) in
                profiles.append(SRTPProtectionProfile(rawValue: try c.uint16("SRTP Protection Profile") { SRTPProtectionProfile(rawValue: $0).description }))
            }
            let mki = try cursor.opaque("MKI", lengthWidth: 1)
            return .useSRTP(profiles: profiles, mki: mki)
        case .alpn:
            var names: [String] = []
            try cursor.vector("ALPN Protocols", lengthName: "ALPN Extension Length", lengthWidth: 2,
                              summary: { "\($0) protocol(s)" }) { (c: inout DissectionCursor) throws(DTLSError) in
                let name = try c.opaque("ALPN Next Protocol", lengthName: "ALPN String Length", lengthWidth: 1) {
                    TLSExtension.printable($0)
                }
                names.append(TLSExtension.printable(name))
            }
            return .alpn(names)
        case .renegotiationInfo:
            return .renegotiationInfo(try cursor.opaque("Renegotiated Connection", lengthName: "Renegotiation Info Length", lengthWidth: 1))
        default:
            if length == 0 {
                if cursor.recording { cursor.add(DissectedField(name: "Data", offset: cursor.offset, length: 0, value: "(empty)")) }
                return .empty
            }
            return .opaque(try cursor.bytes("Data", count: length))
        }
    }

    /// Protocol names are bytes; show them as text when printable ASCII, hex otherwise.
    static func printable(_ bytes: [UInt8]) -> String {
        if !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return "0x" + Hex.encode(bytes)
    }
}

extension TLSExtension {
    /// Reads the optional `Extension extensions<0..2^16-1>` that ends a hello:
    /// absent when the body ends first (RFC 5246 §7.4.1.2). `present` tells an
    /// absent block from an empty one (`00 00`), which a round trip must keep.
    static func readList(_ cursor: inout DissectionCursor) throws(DTLSError) -> (extensions: [TLSExtension], present: Bool) {
        var extensions: [TLSExtension] = []
        if cursor.isAtEnd { return (extensions, false) }
        try cursor.vector("Extensions", lengthWidth: 2, summary: { "\($0) extension(s)" }) { (c: inout DissectionCursor) throws(DTLSError) in
            extensions.append(try TLSExtension(cursor: &c))
        }
        return (extensions, true)
    }

    /// Writes the extensions block: always when `present` or when there are
    /// extensions, nothing otherwise (a hello without the block).
    static func encodeList(_ extensions: [TLSExtension], present: Bool, into writer: inout ByteWriter) {
        if extensions.isEmpty, !present { return }
        let lengthAt = writer.count
        writer.writeUInt16(0)
        for item in extensions { item.encode(into: &writer) }
        writer.patchUInt16(UInt16(truncatingIfNeeded: writer.count - lengthAt - 2), at: lengthAt)
    }
}

extension TLSSignatureScheme {
    /// Reads `SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>`
    /// (shared by the extension and CertificateRequest).
    static func readList(_ cursor: inout DissectionCursor) throws(DTLSError) -> [TLSSignatureScheme] {
        var schemes: [TLSSignatureScheme] = []
        try cursor.vector("Signature Algorithms", lengthName: "Signature Hash Algorithms Length", lengthWidth: 2,
                          summary: { "\($0) algorithm(s)" }) { (c: inout DissectionCursor) throws(DTLSError) in
            schemes.append(TLSSignatureScheme(rawValue: try c.uint16("Signature Algorithm") { TLSSignatureScheme(rawValue: $0).description }))
        }
        return schemes
    }
}
