import ArgumentParser

/// The four delivery promises a WebRTC DataChannel can make (RFC 8831 §6.1),
/// each one an SCTP stream with its own send parameters:
///
/// ```
///   mode                   U flag (unordered)   PR-SCTP policy (RFC 3758, RFC 7496)
///   reliable-ordered       0                    none: retransmit until acknowledged
///   reliable-unordered     1                    none
///   unreliable-ordered     0                    max retransmits (rtx) or lifetime (ttl)
///   unreliable-unordered   1                    max retransmits (rtx) or lifetime (ttl)
/// ```
///
/// Ordered streams deliver message n+1 only after message n, so one lost packet
/// holds back everything behind it on that stream (head-of-line blocking);
/// unordered streams deliver each message as soon as it is complete.
enum DeliveryMode: String, CaseIterable, Codable, Sendable {
    case reliableOrdered = "reliable-ordered"
    case reliableUnordered = "reliable-unordered"
    case unreliableOrdered = "unreliable-ordered"
    case unreliableUnordered = "unreliable-unordered"

    /// True for the modes that retransmit until acknowledged.
    var isReliable: Bool { self == .reliableOrdered || self == .reliableUnordered }

    /// True for the modes that keep the sending order per stream.
    var isOrdered: Bool { self == .reliableOrdered || self == .unreliableOrdered }

    /// Parses `--modes` ("all" or a comma-separated list of mode names, no duplicates).
    static func parseList(_ text: String) throws(ValidationError) -> [DeliveryMode] {
        let trimmed = text.trimmingCharacters(in: " ")
        if trimmed == "all" { return allCases }
        var modes: [DeliveryMode] = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let name = String(part).trimmingCharacters(in: " ")
            guard let mode = DeliveryMode(rawValue: name) else {
                throw ValidationError("--modes: unknown mode \"\(name)\" (one of \(allCases.map(\.rawValue).joined(separator: ", ")), or all)")
            }
            guard !modes.contains(mode) else { throw ValidationError("--modes: \(name) appears twice") }
            modes.append(mode)
        }
        return modes
    }
}

/// PR-SCTP's abandonment rule for the unreliable modes (RFC 7496 §3): after so
/// many retransmissions, or once the message is older than its lifetime.
/// WebRTC allows one or the other on a channel, never both (RFC 8831 §6.6).
enum PartialReliability: Equatable, Codable, Sendable, CustomStringConvertible {
    /// Give up after this many retransmissions (0: sent once, never resent).
    case maxRetransmits(Int)
    /// Give up once the message has waited this many milliseconds.
    case lifetime(milliseconds: Int)

    var description: String {
        switch self {
        case let .maxRetransmits(count): return "max \(count) retransmission\(count == 1 ? "" : "s")"
        case let .lifetime(milliseconds): return "lifetime \(milliseconds) ms"
        }
    }
}

extension String {
    /// Without leading and trailing copies of `character`.
    func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
