import CUsrsctp
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Receive flow control (RFC 9260 §6.2, §6.1 rule A): the association reads from
// usrsctp's socket only while the layer above wants data. What it does not read stays
// in usrsctp's receive buffer (`SCTPConfiguration.receiveBufferSize`), which lowers the
// a_rwnd our SACKs advertise; at 0 the peer's SCTP stops sending new DATA (one zero-window
// probe per RTO keeps the association alive) and the peer's buffered amount grows
// instead of our memory. Reading again frees the buffer, and usrsctp sends a window
// update SACK once a quarter of it is free, so the peer resumes.
extension SCTPAssociation {
    /// True while `pauseReceiving()` holds received data back.
    public var isReceivingPaused: Bool { ledger.withLock { $0.receivePaused } }

    /// Stops handing received messages up: no `.message` event until `resumeReceiving()`.
    ///
    /// Messages that arrive meanwhile wait in usrsctp's receive buffer, whose free space
    /// is the receive window the peer sees. Once it is full the peer stops sending, so
    /// memory stays bounded by `receiveBufferSize` and nothing is lost (a reliable peer
    /// keeps the rest queued; its `bufferedAmount` grows). The window is the
    /// association's: every stream stops, not only one.
    ///
    /// Notifications queued behind unread data wait with it (as on a kernel SCTP socket);
    /// those at the head of the queue (the association coming up or going down while
    /// nothing is unread) are still read. Sending, stream resets, shutdown and abort are
    /// not affected.
    public func pauseReceiving() {
        ledger.withLock { $0.receivePaused = true }
    }

    /// Hands up what waited in usrsctp's buffer, then keeps reading. The window update
    /// usrsctp sends as the buffer empties is queued for `poll()`: drain it afterwards.
    public func resumeReceiving() {
        runtime.perform { () -> Void in
            let wasPaused = ledger.withLock { ledger -> Bool in
                defer { ledger.receivePaused = false }
                return ledger.receivePaused
            }
            if wasPaused { flushLocked() }
        }
    }

    /// The receive windows as usrsctp sees them now (SCTP_ASSOCINFO): `local` is what
    /// our SACKs advertise, `peer` what the peer last advertised minus our data in flight.
    /// Nil before the socket exists or after the association closed.
    public var receiveWindows: (local: UInt32, peer: UInt32)? {
        runtime.perform { () -> (local: UInt32, peer: UInt32)? in
            guard let socket = ledger.withLock({ $0.socket }) else { return nil }
            var info = sctp_assocparams()
            var length = socklen_t(MemoryLayout<sctp_assocparams>.size)
            guard usrsctp_getsockopt(socket.pointer, SCTPSocket.sctpLevel, SCTP_ASSOCINFO, &info, &length) == 0 else {
                return nil
            }
            return (info.sasoc_local_rwnd, info.sasoc_peer_rwnd)
        }
    }

    /// Reads what usrsctp delivered (messages and notifications) into the ledger, in
    /// order, until the socket is empty, or, while paused, until the next item is data.
    /// Runs in the serial section, outside the ledger lock (usrsctp may call conn_output
    /// to send a window update from inside the read).
    func readReceivedLocked() {
        let buffer = runtime.readBuffer
        while let (socket, paused) = ledger.withLock({ ledger in ledger.socket.map { ($0, ledger.receivePaused) } }) {
            if paused, !headIsNotification(socket) { return }
            var info = sctp_rcvinfo()
            var infoLength = socklen_t(MemoryLayout<sctp_rcvinfo>.size)
            var infoType: UInt32 = 0
            var flags: Int32 = 0   // in: no MSG_PEEK (the socket is non-blocking); out: EOR, NOTIFICATION
            let count = usrsctp_recvv(socket.pointer, buffer.baseAddress, buffer.count, nil, nil,
                                      &info, &infoLength, &infoType, &flags)
            // -1: EWOULDBLOCK, nothing to read; 0: the socket can read no more (the
            // association change notification already said why).
            guard count > 0 else { return }
            deliver(UnsafeRawBufferPointer(rebasing: buffer[..<count]), info: info, flags: flags)
        }
    }

    /// Peeks at the head of the receive queue: true when it is a notification.
    private func headIsNotification(_ socket: SCTPSocket) -> Bool {
        var byte: UInt8 = 0
        var info = sctp_rcvinfo()
        var infoLength = socklen_t(MemoryLayout<sctp_rcvinfo>.size)
        var infoType: UInt32 = 0   // usrsctp_recvv writes it unconditionally: never nil
        var flags = Int32(MSG_PEEK)
        let count = usrsctp_recvv(socket.pointer, &byte, 1, nil, nil, &info, &infoLength, &infoType, &flags)
        return count > 0 && flags & Int32(MSG_NOTIFICATION) != 0
    }

    /// One read: a piece of a message (whole messages and pieces past the partial
    /// delivery point alike), or of a notification.
    private func deliver(_ bytes: UnsafeRawBufferPointer, info: sctp_rcvinfo, flags: Int32) {
        if flags & Int32(MSG_NOTIFICATION) != 0 {
            guard let whole = ledger.withLock({ $0.notificationPiece(bytes, endOfRecord: flags & Int32(MSG_EOR) != 0) }) else {
                return
            }
            whole.withUnsafeBytes { raw in
                if let notification = SCTPNotification(raw) { apply(notification) }
            }
            return
        }
        let limit = configuration.maxMessageSize
        ledger.withLock { ledger in
            ledger.receive(bytes, stream: info.rcv_sid, ppid: UInt32(bigEndian: info.rcv_ppid),
                           unordered: info.rcv_flags & UInt16(SCTP_UNORDERED) != 0,
                           endOfRecord: flags & Int32(MSG_EOR) != 0, maxMessageSize: limit)
        }
    }
}

extension AssociationLedger {
    /// Collects a notification read in pieces (a send failure carries the failed data);
    /// returns it whole once `sn_length` bytes or the end of record arrived.
    mutating func notificationPiece(_ piece: UnsafeRawBufferPointer, endOfRecord: Bool) -> [UInt8]? {
        pendingNotification.append(contentsOf: piece)
        var complete = endOfRecord
        if pendingNotification.count >= 8 {
            let declared = pendingNotification.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self) }
            complete = complete || pendingNotification.count >= Int(declared)
        }
        guard complete else { return nil }
        defer { pendingNotification = [] }
        return pendingNotification
    }
}
