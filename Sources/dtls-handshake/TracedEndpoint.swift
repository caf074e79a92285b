import DTLS
import SDP
import SocketDriver
import Wire

/// A `DTLSEndpoint` as the event loop sees it, with the tool's instruments around
/// it: every datagram it sends goes into the flight log, --loss drops datagrams
/// (outgoing always; incoming too when the peer is another process), and in
/// unauthenticated mode the peer's certificate is read from its plaintext flight.
///
/// A listening server does not know its client's address before the first
/// datagram, and `DTLSConfiguration` wants it, so the endpoint is made then
/// (`make`); afterwards datagrams from any other address are ignored (one client).
final class TracedEndpoint: DatagramEndpoint {
    typealias Event = DTLSEvent

    let side: String
    let peerName: String
    private let log: FlightLog
    private let loss: LossModel
    private let dropIncoming: Bool
    private let make: (TransportAddress) throws(DTLSError) -> DTLSEndpoint
    /// The association, once made.
    private(set) var dtls: DTLSEndpoint?
    /// The peer's address: fixed for a client, the first sender for a server.
    private(set) var peer: TransportAddress?
    /// Reads the peer's certificate when no fingerprint was given (trust on first use).
    private var sniffer: PeerCertificateSniffer?
    /// The fingerprint accepted on first use (unauthenticated mode only).
    private(set) var trustedOnFirstUse: Fingerprint?
    /// Datagrams from another address than the peer's, ignored.
    private(set) var strangerCount = 0
    private var pendingFailure: DTLSError?
    /// When the last datagram from the peer arrived.
    private(set) var lastHeard: Instant?

    init(side: String, peerName: String, log: FlightLog, loss: LossModel, dropIncoming: Bool,
         peer: TransportAddress?, trustOnFirstUse: Bool,
         make: @escaping (TransportAddress) throws(DTLSError) -> DTLSEndpoint) {
        self.side = side
        self.peerName = peerName
        self.log = log
        self.loss = loss
        self.dropIncoming = dropIncoming
        self.peer = peer
        self.make = make
        self.sniffer = trustOnFirstUse ? PeerCertificateSniffer() : nil
    }

    /// Makes the association now (a client, whose peer is known).
    func open() throws(DTLSError) {
        guard dtls == nil, let peer else { return }
        dtls = try make(peer)
    }

    func handle(_ input: EndpointInput) {
        switch input {
        case let .timeout(now):
            dtls?.handle(.timeout(now))
        case let .datagram(datagram, now):
            if peer == nil { peer = datagram.source }
            guard datagram.source == peer else {
                strangerCount += 1
                return
            }
            if dropIncoming, loss.drop() {
                log.datagram(from: peerName, to: side, payload: datagram.payload, lost: true)
                return
            }
            lastHeard = now
            // In a loopback run the sender already logged it; a remote peer's datagrams are logged here.
            if dropIncoming { log.datagram(from: peerName, to: side, payload: datagram.payload, lost: false) }
            if dtls == nil {
                do throws(DTLSError) { dtls = try make(datagram.source) } catch {
                    pendingFailure = error
                    return
                }
            }
            guard let dtls else { return }
            dtls.handle(.datagram(datagram, at: now))
            if var sniffer {
                let found = sniffer.inspect(datagram.payload)
                self.sniffer = sniffer
                if let der = found, let fingerprint = try? Fingerprint(certificateDER: der, hashFunction: .sha256) {
                    trustedOnFirstUse = fingerprint
                    dtls.setRemoteFingerprints([fingerprint], at: now)
                }
            }
        }
    }

    func poll() -> EndpointOutput<DTLSEvent>? {
        if let failure = pendingFailure {
            pendingFailure = nil
            return .event(.failed(failure))
        }
        while let output = dtls?.poll() {
            switch output {
            case let .transmit(datagram):
                let lost = loss.drop()
                log.datagram(from: side, to: peerName, payload: datagram.payload, lost: lost)
                if lost { continue }
                return output
            case let .event(event):
                switch event {
                case let .retransmitted(info): log.retransmission(side: side, info: info)
                case let .alert(alert): log.alert(side: side, alert: alert)
                default: break
                }
                return output
            }
        }
        log.endRetransmission(side: side)
        return nil
    }

    var nextTimeout: Instant? { dtls?.nextTimeout }
}
