import Wire

/// The first gate every received datagram passes, shared by `STUNClient` and
/// `STUNServer`: RFC 7983 demultiplexing, then hostile-input-safe parsing.
///
/// A failure is a drop reason (a sentence for the endpoint's `dropped` event),
/// never a throw towards the driver: a bad packet from the network must not
/// stop an endpoint.
enum STUNInbound {
    static func parse(_ bytes: [UInt8], maximumSize: Int = STUNMessage.defaultMaximumSize,
                      acceptingClassic: Bool = false) -> Result<STUNMessage, DropReason> {
        let kind = DemuxedProtocol.classify(bytes)
        guard kind == .stun else {
            let first = bytes.first.map { "first byte 0x\(STUNFormat.hex($0, digits: 2))" } ?? "empty datagram"
            return .failure(DropReason("not STUN (\(first): \(kind.rawValue), RFC 7983)"))
        }
        do {
            return .success(try STUNMessage(parsing: bytes, maximumSize: maximumSize, acceptingClassic: acceptingClassic))
        } catch {
            return .failure(DropReason("malformed STUN: \(STUNError.from(error, context: "message"))"))
        }
    }

    /// Why a datagram was dropped, as the sentence the endpoint reports.
    struct DropReason: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }
}
