import Wire

/// Telling the peer that we gave up on the handshake.
///
/// OpenSSL sends alerts for the failures it detects (a refused certificate, a
/// broken message), but when our own deadline expires it has nothing to say and
/// offers no call to send an arbitrary alert. While every record we sent was
/// still plaintext (epoch 0), the alert can be written by hand: the peer accepts
/// an epoch-0 record whose sequence number is above every one we used (RFC 6347
/// §4.1.2.6 replay window) and whose version field is the negotiated one: DTLS
/// 1.2 (0xFEFD), the only version we allow (a client's very first ClientHello
/// record says 0xFEFF for compatibility, but the server checks later records
/// against the version it chose).
/// Once we switched to epoch 1 (our ChangeCipherSpec went out) an alert would
/// need the new keys, so none is sent. That happens to a client whose deadline
/// fires while it waits for the server's last flight: the server, which read our
/// ChangeCipherSpec, reads epoch 1 only and would drop an epoch-0 alert, and
/// OpenSSL cannot encrypt one for us, since SSL_shutdown sends nothing while the
/// handshake is in progress and no other call sends an arbitrary alert. The server
/// is usually connected by then; its consent checks (ICE) or its own use of the
/// association end it. Tested in EndpointFinalFlightTests.
extension DTLSEndpoint {
    /// What a handshake-time record header told us about our own output.
    struct SentRecordLog {
        /// The highest epoch-0 sequence number sent.
        var lastPlaintextSequence: UInt64?
        /// True once any record in a later epoch went out.
        var sentEncrypted = false
    }

    /// Walks the records of an outgoing handshake datagram (RFC 6347 §4.1 header:
    /// type 1, version 2, epoch 2, sequence 6, length 2).
    func noteSentRecords(_ payload: [UInt8]) {
        var reader = ByteReader(payload)
        while let _ = try? reader.readUInt8(),
              let _ = try? reader.readUInt16(),
              let epoch = try? reader.readUInt16(),
              let high = try? reader.readUInt16(),
              let low = try? reader.readUInt32(),
              let length = try? reader.readUInt16(),
              (try? reader.skip(Int(length))) != nil {
            if epoch == 0 {
                let sequence = UInt64(high) << 32 | UInt64(low)
                sentRecords.lastPlaintextSequence = max(sentRecords.lastPlaintextSequence ?? 0, sequence)
            } else {
                sentRecords.sentEncrypted = true
            }
        }
    }

    /// Fails the handshake and, if still possible, sends a fatal user_canceled
    /// alert ("canceled for some reason unrelated to a protocol failure", RFC 5246 §7.2.2).
    func abandonHandshake(_ error: DTLSError) {
        if !sentRecords.sentEncrypted, let last = sentRecords.lastPlaintextSequence, last < (1 << 48) - 1 {
            let alert = DTLSAlert(direction: .sent, level: .fatal, description: .userCanceled)
            let sequence = last + 1
            var writer = ByteWriter(capacity: 15)
            writer.writeUInt8(21) // alert
            writer.writeUInt16(0xFEFD) // DTLS 1.2
            writer.writeUInt16(0) // epoch
            writer.writeUInt16(UInt16(truncatingIfNeeded: sequence >> 32))
            writer.writeUInt32(UInt32(truncatingIfNeeded: sequence))
            writer.writeUInt16(2)
            alert.encode(into: &writer)
            outputs.transmit(Datagram(from: configuration.localAddress, to: configuration.remoteAddress, payload: writer.bytes))
            outputs.emit(.alert(alert))
        }
        fail(error)
    }
}
