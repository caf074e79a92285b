import CUsrsctp
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The usrsctp socket calls of an association. Everything here runs inside the
// runtime's serial section.
extension SCTPAssociation {
    /// Creates, configures and binds the one-to-one socket (RFC 6458 §4.2 style) that
    /// carries this association, using the id as its AF_CONN address.
    func openSocket() throws(SCTPError) -> SCTPSocket {
        usrsctp_register_address(SCTPRuntime.address(of: id))
        // No receive callback: usrsctp's callback frees the data from the socket's receive
        // buffer before calling, so the advertised window never closes and a receiver that
        // stops reading cannot slow the sender. Read instead (`readReceivedLocked`), so
        // unread data stays in the buffer and shrinks a_rwnd (RFC 9260 §6.2).
        guard let raw = usrsctp_socket(AF_CONN, SCTPSocket.streamType, SCTPSocket.sctpLevel,
                                       nil, nil, 0, nil) else {
            throw SCTPError(.usrsctpFailure, "usrsctp_socket failed (errno \(errno))")
        }
        let socket = SCTPSocket(raw)
        do throws(SCTPError) {
            try configure(socket)
            var address = connAddress(port: configuration.localPort)
            let result = withUnsafeMutableBytes(of: &address) { raw in
                usrsctp_bind(socket.pointer, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self),
                             socklen_t(MemoryLayout<sockaddr_conn>.size))
            }
            guard result == 0 else { throw SCTPError(.usrsctpFailure, "usrsctp_bind failed (errno \(errno))") }
            return socket
        } catch {
            runtime.bury(.close(socket, abortive: true))
            throw error
        }
    }

    private func configure(_ socket: SCTPSocket) throws(SCTPError) {
        func set<T: BitwiseCopyable>(_ name: Int32, _ value: T, _ what: String, level: Int32 = SCTPSocket.sctpLevel) throws(SCTPError) {
            let error = socket.setOption(name, value, level: level)
            guard error == 0 else { throw SCTPError(.usrsctpFailure, "setting \(what) failed (errno \(error))") }
        }
        let c = configuration
        guard usrsctp_set_non_blocking(socket.pointer, 1) == 0 else {
            throw SCTPError(.usrsctpFailure, "usrsctp_set_non_blocking failed (errno \(errno))")
        }
        // Buffers: the send buffer bounds the largest message usrsctp accepts in one call.
        try set(SO_SNDBUF, Int32(c.sendBufferSize), "SO_SNDBUF", level: SOL_SOCKET)
        try set(SO_RCVBUF, Int32(c.receiveBufferSize), "SO_RCVBUF", level: SOL_SOCKET)
        // Small messages must not wait for Nagle-style bundling (latency is the point of PR modes).
        try set(SCTP_NODELAY, Int32(1), "SCTP_NODELAY")
        try set(SCTP_RECVRCVINFO, Int32(1), "SCTP_RECVRCVINFO")
        try set(SCTP_ENABLE_STREAM_RESET,
                sctp_assoc_value(assoc_id: sctp_assoc_t(SCTP_ALL_ASSOC), assoc_value: UInt32(SCTP_ENABLE_RESET_STREAM_REQ)),
                "SCTP_ENABLE_STREAM_RESET")
        try set(SCTP_INITMSG, sctp_initmsg(sinit_num_ostreams: c.outboundStreams, sinit_max_instreams: c.maxInboundStreams,
                                           sinit_max_attempts: c.maxInitRetransmissions,
                                           sinit_max_init_timeo: UInt16(clamping: c.rtoMax.milliseconds)),
                "SCTP_INITMSG")
        try set(SCTP_RTOINFO, sctp_rtoinfo(srto_assoc_id: 0, srto_initial: c.rtoInitial.milliseconds,
                                           srto_max: c.rtoMax.milliseconds, srto_min: c.rtoMin.milliseconds),
                "SCTP_RTOINFO")
        var assocParams = sctp_assocparams()
        assocParams.sasoc_asocmaxrxt = c.maxRetransmissions
        try set(SCTP_ASSOCINFO, assocParams, "SCTP_ASSOCINFO")
        try set(SCTP_DELAYED_SACK, sctp_sack_info(sack_assoc_id: 0, sack_delay: c.delayedAck.milliseconds, sack_freq: 2),
                "SCTP_DELAYED_SACK")
        // Fixed path MTU, no discovery: see SCTPConfiguration.pathMTU.
        var path = sctp_paddrparams()
        path.spp_hbinterval = c.heartbeatInterval.milliseconds
        // usrsctp leaves the 12-byte common header out of its AF_CONN MTU arithmetic
        // (measured with 0.9.5.0: packets came out exactly spp_pathmtu + 12 bytes).
        path.spp_pathmtu = UInt32(c.pathMTU - SCTPChunkScan.commonHeaderLength)
        path.spp_flags = UInt32(SPP_PMTUD_DISABLE | SPP_HB_ENABLE)
        path.spp_pathmaxrxt = c.maxRetransmissions
        try set(SCTP_PEER_ADDR_PARAMS, path, "SCTP_PEER_ADDR_PARAMS")
        for type in [SCTP_ASSOC_CHANGE, SCTP_PEER_ADDR_CHANGE, SCTP_REMOTE_ERROR, SCTP_SEND_FAILED_EVENT,
                     SCTP_SHUTDOWN_EVENT, SCTP_PARTIAL_DELIVERY_EVENT, SCTP_SENDER_DRY_EVENT, SCTP_STREAM_RESET_EVENT] {
            try set(SCTP_EVENT, sctp_event(se_assoc_id: sctp_assoc_t(SCTP_ALL_ASSOC), se_type: UInt16(type), se_on: 1),
                    "SCTP_EVENT \(type)")
        }
    }

    /// Carries out what `ZeroWindowWatch` decided (see there). Serial section.
    func applyLocked(_ action: ZeroWindowWatch.Action) {
        guard let socket = ledger.withLock({ $0.socket }) else { return }
        switch action {
        case .suspendLimits, .restoreLimits:
            let limit = action == .suspendLimits ? UInt16.max : configuration.maxRetransmissions
            var assocParams = sctp_assocparams()
            assocParams.sasoc_asocmaxrxt = limit
            socket.setOption(SCTP_ASSOCINFO, assocParams)
            var path = sctp_paddrparams()
            path.spp_pathmaxrxt = limit
            socket.setOption(SCTP_PEER_ADDR_PARAMS, path)
        case .requestHeartbeat:
            var path = sctp_paddrparams()
            path.spp_flags = UInt32(SPP_HB_DEMAND)
            socket.setOption(SCTP_PEER_ADDR_PARAMS, path)
        }
    }

    /// From the tick: gives a silent peer its retransmission limits back.
    func watchZeroWindowLocked(now: ContinuousClock.Instant) {
        if let action = ledger.withLock({ $0.zeroWindow.check(now: now) }) { applyLocked(action) }
    }

    /// The AF_CONN address of this association at `port`.
    private func connAddress(port: UInt16) -> sockaddr_conn {
        var address = sockaddr_conn()
        address.sconn_family = UInt16(AF_CONN)
        address.sconn_port = port.bigEndian
        address.sconn_addr = SCTPRuntime.address(of: id)
        return address
    }

    /// Non-blocking connect: EINPROGRESS is the normal answer.
    func connectSocket(_ socket: SCTPSocket) throws(SCTPError) {
        var address = connAddress(port: configuration.remotePort)
        let result = withUnsafeMutableBytes(of: &address) { raw in
            usrsctp_connect(socket.pointer, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self),
                            socklen_t(MemoryLayout<sockaddr_conn>.size))
        }
        let error = errno
        guard result == 0 || error == EINPROGRESS else {
            throw SCTPError(.usrsctpFailure, "usrsctp_connect failed (errno \(error))")
        }
    }

    /// Hands one whole message to usrsctp; returns 0 or the errno.
    func sendMessage(_ message: AssociationLedger.PendingMessage, on socket: SCTPSocket) -> Int32 {
        var spa = sctp_sendv_spa()
        spa.sendv_flags = UInt32(SCTP_SEND_SNDINFO_VALID)
        spa.sendv_sndinfo.snd_sid = message.stream
        spa.sendv_sndinfo.snd_ppid = message.ppid.bigEndian   // usrsctp copies it to the wire as is
        // Comes back in every per-fragment send-failure notification: one message, one report.
        spa.sendv_sndinfo.snd_context = message.serial
        spa.sendv_sndinfo.snd_flags = message.options.unordered ? UInt16(SCTP_UNORDERED) : 0
        let (policy, value) = message.options.reliability.policy
        if policy != UInt16(SCTP_PR_SCTP_NONE) {
            spa.sendv_flags |= UInt32(SCTP_SEND_PRINFO_VALID)
            spa.sendv_prinfo.pr_policy = policy
            spa.sendv_prinfo.pr_value = value
        }
        let sent = message.bytes.withUnsafeBytes { raw in
            usrsctp_sendv(socket.pointer, raw.baseAddress, raw.count, nil, 0, &spa,
                          socklen_t(MemoryLayout<sctp_sendv_spa>.size), UInt32(SCTP_SENDV_SPA), 0)
        }
        return sent < 0 ? errno : 0
    }

    /// SCTP_RESET_STREAMS for outgoing streams; returns 0 or the errno.
    func requestReset(_ streams: [UInt16], on socket: SCTPSocket) -> Int32 {
        let header = MemoryLayout<sctp_reset_streams>.size
        var buffer = [UInt8](repeating: 0, count: header + 2 * streams.count)
        return buffer.withUnsafeMutableBytes { raw -> Int32 in
            var request = sctp_reset_streams()
            request.srs_flags = UInt16(SCTP_STREAM_RESET_OUTGOING)
            request.srs_number_streams = UInt16(streams.count)
            raw.storeBytes(of: request, as: sctp_reset_streams.self)
            for (index, stream) in streams.enumerated() {
                raw.storeBytes(of: stream, toByteOffset: header + 2 * index, as: UInt16.self)
            }
            let result = usrsctp_setsockopt(socket.pointer, SCTPSocket.sctpLevel, SCTP_RESET_STREAMS,
                                            raw.baseAddress, socklen_t(raw.count))
            return result == 0 ? 0 : errno
        }
    }
}
