/// The walk-through of `--turn`, in order: each step is one request (or one
/// round trip of data) and what the reader should take from it.
enum TurnStep: Int, CaseIterable, Encodable {
    case allocate = 1, createPermission, sendIndication, channelBind, channelData, refresh, deallocate

    /// The heading.
    var title: String {
        switch self {
        case .allocate: return "Allocate: ask for a relayed address (RFC 8656 §7)"
        case .createPermission: return "CreatePermission: let the peer's IP in (§9, §10)"
        case .sendIndication: return "Send indication out, Data indication back (§11)"
        case .channelBind: return "ChannelBind: give the peer a 2-byte channel number (§12)"
        case .channelData: return "ChannelData both ways (§12.4)"
        case .refresh: return "Refresh: keep the allocation alive (§7.5)"
        case .deallocate: return "Refresh with LIFETIME 0: delete the allocation (§7.5)"
        }
    }

    /// Why the step exists, in a sentence or two.
    var why: String {
        switch self {
        case .allocate:
            return "The first Allocate goes unsigned: the server answers 401 with a REALM and a NONCE, and the client "
                + "sends it again with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY keyed with MD5(username:realm:password)."
        case .createPermission:
            return "Without a permission the relay drops whatever the peer sends. A permission names an IP only: the "
                + "port in XOR-PEER-ADDRESS is ignored, because a peer behind a NAT may answer from another port."
        case .sendIndication:
            return "An indication gets no response and is never retransmitted. The relay strips the framing and sends "
                + "the bare payload to the peer from the relayed address; the answer comes back as a Data indication."
        case .channelBind:
            return "Binding a channel (0x4000-0x4FFF) to the peer's address lets both sides drop XOR-PEER-ADDRESS and the "
                + "STUN header. It also installs (refreshes) the peer's permission."
        case .channelData:
            return "Same payload, same peer: now framed by a 4-byte ChannelData header instead of a STUN message."
        case .refresh:
            return "An allocation dies when its LIFETIME runs out; a client refreshes well before (permissions last 300 s, "
                + "channels 600 s, and are refreshed by their own requests)."
        case .deallocate:
            return "Refresh with LIFETIME 0 frees the relayed port at once instead of letting it expire."
        }
    }
}
