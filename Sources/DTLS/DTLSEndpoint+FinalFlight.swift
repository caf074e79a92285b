import Wire

/// The last flight after the handshake (RFC 6347 §4.2.4): "when in the FINISHED
/// state, the node that transmits the last flight ... MUST respond to a
/// retransmission of the peer's last flight with a retransmission of the last
/// flight. This avoids deadlock conditions if the last flight gets lost."
///
/// The last flight (the server's ChangeCipherSpec and Finished) has no timer: if
/// it is lost, only the peer's retransmissions can bring it back, and those come
/// ever more rarely (the peer's timer doubles), so each round of them counts.
/// OpenSSL 3.0 answers a round only when the peer's resent *Finished* record
/// arrives; a peer that resends one message per datagram (OpenSSL does) got no
/// answer when that one datagram was lost, even though its Certificate,
/// ClientKeyExchange or ChangeCipherSpec arrived. Here any plaintext record of the
/// peer's last flight arriving after we finished marks a round, and the round is
/// answered with our last flight, once, besides OpenSSL's own answer when the
/// Finished came too: two copies of the one flight that has no timer make
/// losing both less likely (`flushOutbound` packs each copy into one datagram).
///
/// Our copy repeats the exact bytes of the last flight as first sent (same record
/// sequence numbers): to the peer it is a network duplicate, accepted if the
/// original was lost and dropped by its replay window otherwise (§4.1.2.6).
extension DTLSEndpoint {
    /// The last flight we sent and what we saw of the peer's retransmissions since.
    struct FinalFlight {
        /// The datagrams written in the burst that finished our handshake: the
        /// last flight if we sent it, empty if the peer did (then we have nothing to repeat).
        var datagrams: [[UInt8]] = []
        /// Keys (see `flightKeys`) of the peer's records seen since our last answer:
        /// a key seen again means the peer started another round of retransmission.
        var seenSinceAnswer: Set<Int> = []
        /// How many rounds we answered ourselves (OpenSSL's own answers not counted).
        var answers = 0
    }

    /// Keys of the plaintext records of a datagram that belong to a handshake still
    /// in progress on the peer's side: handshake messages (by message_seq) and
    /// ChangeCipherSpec (key -1). Epoch-0 records after our handshake finished can
    /// only be the peer's retransmitted flight; OpenSSL drops them unread.
    static func flightKeys(_ datagram: [UInt8]) -> Set<Int> {
        var keys: Set<Int> = []
        for record in DTLSRecord.scan(datagram: datagram).records where !record.isEncrypted {
            if record.contentType == .changeCipherSpec {
                keys.insert(-1)
            } else if record.contentType == .handshake,
                      let messages = try? DTLSHandshakeMessage.parseAll(recordFragment: record.fragment) {
                for message in messages { keys.insert(Int(message.header.messageSequence)) }
            }
        }
        return keys
    }

    /// Called for a datagram received while connected, before OpenSSL reads it:
    /// true when it opens a new round of the peer's retransmitted last flight.
    func opensRetransmissionRound(_ datagram: [UInt8]) -> Bool {
        guard !finalFlight.datagrams.isEmpty else { return false }
        let keys = Self.flightKeys(datagram)
        guard !keys.isEmpty else { return false }
        let newRound = finalFlight.seenSinceAnswer.isEmpty || !finalFlight.seenSinceAnswer.isDisjoint(with: keys)
        if newRound { finalFlight.seenSinceAnswer = [] }
        finalFlight.seenSinceAnswer.formUnion(keys)
        return newRound
    }

    /// How many rounds we answer at most. A peer's timer doubles from at least
    /// 1 ms up to 60 s, so its legitimate rounds are few; the cap keeps anyone who
    /// can inject plaintext records from making us send our flight without end.
    static let finalFlightAnswerLimit = 24

    /// Repeats the last flight (after OpenSSL had its turn with the same datagram).
    func repeatFinalFlight() {
        guard state == .connected, finalFlight.answers < Self.finalFlightAnswerLimit else { return }
        finalFlight.answers += 1
        for payload in finalFlight.datagrams {
            outputs.transmit(Datagram(from: configuration.localAddress, to: configuration.remoteAddress, payload: payload))
        }
    }
}
