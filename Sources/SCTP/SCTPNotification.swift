import CUsrsctp

/// One usrsctp notification (RFC 6458 §6.1 layouts, as usrsctp.h declares them),
/// decoded from the bytes `usrsctp_recvv` reads with MSG_NOTIFICATION.
///
/// Every notification opens with the same TLV header:
/// ```
/// +-------------------------------+-------------------------------+
/// |        sn_type (16)           |         sn_flags (16)         |
/// +-------------------------------+-------------------------------+
/// |                        sn_length (32)                         |
/// +---------------------------------------------------------------+
/// \                type-specific fields (host order)              /
/// ```
/// Fields are read at the offsets of usrsctp's own C structs, in host byte order
/// (notifications never cross the wire), except PPIDs, which usrsctp keeps as sent.
/// A notification shorter than its struct decodes to nil.
package enum SCTPNotification: Equatable {
    /// SCTP_ASSOC_CHANGE: sac_state (SCTP_COMM_UP...), streams.
    case associationChange(state: UInt16, error: UInt16, outboundStreams: UInt16, inboundStreams: UInt16)
    /// SCTP_PEER_ADDR_CHANGE: spc_state (SCTP_ADDR_AVAILABLE, SCTP_ADDR_UNREACHABLE...).
    case peerAddressChange(state: UInt32)
    /// SCTP_REMOTE_ERROR: the ERROR chunk's cause.
    case remoteError(cause: UInt16)
    /// SCTP_SEND_FAILED_EVENT: flags SCTP_DATA_SENT/UNSENT, the message's stream and PPID
    /// (host order), how many of its bytes came back, and the `snd_context` the message
    /// was sent with. usrsctp 0.9.5.0 reports an abandoned message once per DATA chunk
    /// (fragment), each with the message's context.
    case sendFailed(flags: UInt16, stream: UInt16, ppid: UInt32, dataLength: Int, context: UInt32 = 0)
    /// SCTP_SHUTDOWN_EVENT: the peer sent SHUTDOWN.
    case shutdown
    /// SCTP_PARTIAL_DELIVERY_EVENT.
    case partialDelivery(indication: UInt32, stream: UInt32)
    /// SCTP_SENDER_DRY_EVENT.
    case senderDry
    /// SCTP_STREAM_RESET_EVENT: SCTP_STREAM_RESET_INCOMING_SSN/OUTGOING_SSN/DENIED/FAILED.
    case streamReset(flags: UInt16, streams: [UInt16])
    /// Anything else (adaptation, authentication, stream change...), by type.
    case other(type: UInt16)

    package init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 8 else { return nil }
        func field<T: FixedWidthInteger>(_ offset: Int?, _: T.Type) -> T? {
            guard let offset, offset + MemoryLayout<T>.size <= bytes.count else { return nil }
            return bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        }
        let type = bytes.loadUnaligned(fromByteOffset: 0, as: UInt16.self)
        let flags = bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self)
        let length = min(Int(bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)), bytes.count)
        switch Int32(type) {
        case SCTP_ASSOC_CHANGE:
            typealias S = sctp_assoc_change
            guard let state = field(MemoryLayout<S>.offset(of: \.sac_state), UInt16.self),
                  let error = field(MemoryLayout<S>.offset(of: \.sac_error), UInt16.self),
                  let outbound = field(MemoryLayout<S>.offset(of: \.sac_outbound_streams), UInt16.self),
                  let inbound = field(MemoryLayout<S>.offset(of: \.sac_inbound_streams), UInt16.self)
            else { return nil }
            self = .associationChange(state: state, error: error, outboundStreams: outbound, inboundStreams: inbound)
        case SCTP_PEER_ADDR_CHANGE:
            guard let state = field(MemoryLayout<sctp_paddr_change>.offset(of: \.spc_state), UInt32.self)
            else { return nil }
            self = .peerAddressChange(state: state)
        case SCTP_REMOTE_ERROR:
            guard let cause = field(MemoryLayout<sctp_remote_error>.offset(of: \.sre_error), UInt16.self)
            else { return nil }
            self = .remoteError(cause: cause)
        case SCTP_SEND_FAILED_EVENT:
            typealias S = sctp_send_failed_event
            guard let infoOffset = MemoryLayout<S>.offset(of: \.ssfe_info),
                  let stream = field(infoOffset + MemoryLayout<sctp_sndinfo>.offset(of: \.snd_sid)!, UInt16.self),
                  let ppid = field(infoOffset + MemoryLayout<sctp_sndinfo>.offset(of: \.snd_ppid)!, UInt32.self),
                  let context = field(infoOffset + MemoryLayout<sctp_sndinfo>.offset(of: \.snd_context)!, UInt32.self)
            else { return nil }
            // The returned data follows the fixed part; sn_length covers both.
            let header = MemoryLayout<S>.size
            self = .sendFailed(flags: flags, stream: stream, ppid: UInt32(bigEndian: ppid),
                               dataLength: max(0, length - header), context: context)
        case SCTP_SHUTDOWN_EVENT:
            self = .shutdown
        case SCTP_PARTIAL_DELIVERY_EVENT:
            typealias S = sctp_pdapi_event
            guard let indication = field(MemoryLayout<S>.offset(of: \.pdapi_indication), UInt32.self),
                  let stream = field(MemoryLayout<S>.offset(of: \.pdapi_stream), UInt32.self)
            else { return nil }
            self = .partialDelivery(indication: indication, stream: stream)
        case SCTP_SENDER_DRY_EVENT:
            self = .senderDry
        case SCTP_STREAM_RESET_EVENT:
            let listStart = MemoryLayout<sctp_stream_reset_event>.size
            guard length >= listStart else { return nil }
            let count = (length - listStart) / 2
            let streams = (0..<count).map { bytes.loadUnaligned(fromByteOffset: listStart + 2 * $0, as: UInt16.self) }
            self = .streamReset(flags: flags, streams: streams)
        default:
            self = .other(type: type)
        }
    }
}
