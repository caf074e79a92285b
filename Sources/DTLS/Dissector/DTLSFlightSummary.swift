/// A one-line account of what one datagram carries, for `dtls-handshake`'s flight
/// log: "ClientHello (seq 0, 180 bytes)", "ServerHello, Certificate, ServerKeyExchange,
/// CertificateRequest, ServerHelloDone", "ChangeCipherSpec, Encrypted Handshake
/// Message", "Application Data (37 bytes)".
///
/// Built from the typed parse, never from decryption: epoch > 0 handshake and alert
/// records are named "Encrypted Handshake Message" / "Encrypted Alert" (in a normal
/// handshake the encrypted handshake message is Finished). Broken input ends the
/// list with a "Malformed" entry instead of failing.
public struct DTLSFlightSummary: Hashable, Sendable, CustomStringConvertible {
    /// One record's (or one handshake message's) line item.
    public struct Entry: Hashable, Sendable {
        /// "ClientHello", "ChangeCipherSpec", "Encrypted Handshake Message", "Alert", "Application Data", "Malformed".
        public var name: String
        /// The handshake message_seq, for plaintext handshake messages.
        public var messageSequence: UInt16?
        /// Handshake: the whole message length; other records: the fragment length.
        public var length: Int
        /// For a fragment: where it starts and how many bytes it carries.
        public var fragment: (offset: Int, length: Int)? {
            get { fragmentOffset.map { ($0, fragmentLength ?? 0) } }
            set { fragmentOffset = newValue?.offset; fragmentLength = newValue?.length }
        }
        private var fragmentOffset: Int?
        private var fragmentLength: Int?
        /// Extra facts: an alert's level and description, a malformed record's reason.
        public var detail: String?

        /// Creates an entry.
        public init(name: String, messageSequence: UInt16? = nil, length: Int,
                    fragment: (offset: Int, length: Int)? = nil, detail: String? = nil) {
            self.name = name
            self.messageSequence = messageSequence
            self.length = length
            self.fragmentOffset = fragment?.offset
            self.fragmentLength = fragment?.length
            self.detail = detail
        }

        /// The short form used when a datagram holds several entries.
        public var shortText: String {
            if let fragment { return "\(name) (fragment \(fragment.offset)+\(fragment.length) of \(length))" }
            if let detail { return "\(name) (\(detail))" }
            if name == "Application Data" { return "\(name) (\(length) bytes)" }
            return name
        }

        /// The long form used when the datagram holds just this entry.
        public var fullText: String {
            guard let messageSequence, fragment == nil, detail == nil else { return shortText }
            return "\(name) (seq \(messageSequence), \(length) bytes)"
        }
    }

    /// The entries in wire order.
    public var entries: [Entry]

    /// Summarizes a datagram.
    public init(datagram: [UInt8]) {
        let scan = DTLSRecord.scan(datagram: datagram)
        entries = scan.records.flatMap(Self.entries(for:))
        if let error = scan.trailingError {
            entries.append(Entry(name: "Malformed", length: datagram.count, detail: error.reason))
        }
    }

    /// "ClientHello (seq 0, 180 bytes)" or "ServerHello, Certificate, ...".
    public var line: String {
        if entries.count == 1 { return entries[0].fullText }
        return entries.map(\.shortText).joined(separator: ", ")
    }

    /// Same as `line`.
    public var description: String { line }

    /// The entries one record contributes (a plaintext handshake record may hold several messages).
    public static func entries(for record: DTLSRecord) -> [Entry] {
        let size = record.fragment.count
        switch record.contentType {
        case .handshake where record.isEncrypted:
            return [Entry(name: "Encrypted Handshake Message", length: size)]
        case .handshake:
            var entries: [Entry] = []
            var cursor = DissectionCursor(record.fragment, range: 0..<size, recording: false)
            while !cursor.isAtEnd {
                do throws(DTLSError) {
                    let header = try DTLSHandshakeMessage(cursor: &cursor).header
                    let type = header.messageType
                    entries.append(Entry(name: type.name ?? "Handshake(\(type.rawValue))",
                                         messageSequence: header.messageSequence, length: Int(header.length),
                                         fragment: header.isFragment ? (Int(header.fragmentOffset), Int(header.fragmentLength)) : nil))
                } catch {
                    entries.append(Entry(name: "Malformed", length: size, detail: error.reason))
                    break
                }
            }
            return entries
        case .changeCipherSpec:
            return [Entry(name: "ChangeCipherSpec", length: size)]
        case .alert where record.isEncrypted:
            return [Entry(name: "Encrypted Alert", length: size)]
        case .alert:
            guard size == 2 else {
                return [Entry(name: "Alert", length: size, detail: "malformed: \(size) byte(s), an alert has 2")]
            }
            let level = DTLSAlert.Level(rawValue: record.fragment[0])
            let description = DTLSAlert.Description(rawValue: record.fragment[1])
            return [Entry(name: "Alert", length: size, detail: "\(level), \(description.name)")]
        case .applicationData:
            return [Entry(name: "Application Data", length: size)]
        case .heartbeat:
            return [Entry(name: "Heartbeat", length: size)]
        default:
            return [Entry(name: "Unknown Record", length: size, detail: "content type \(record.contentType.rawValue)")]
        }
    }
}
