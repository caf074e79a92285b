import DataTransport
import DTLS
import SDP
import Wire

/// The SDP offer/answer a real WebRTC session exchanges before DTLS starts, done in
/// memory: it is how each side's `a=max-message-size` (RFC 8841 §6) reaches the
/// other. Each side advertises what its own SCTP accepts, and applies the other's
/// value as its send limit, exactly as it would with a browser's description; the
/// text goes through SDP's serializer and parser on the way, so the number the
/// sender enforces is the one written in the receiver's SDP.
extension LoopbackRun {
    /// Builds the client's offer and the server's answer, and applies each to the other side.
    func exchangeDescriptions(identities: [DTLSCertificate]) throws {
        var generator = SplitMix64(seed: settings.seed)
        do throws(SDPError) {
            let offer = try DataChannelSessionBuilder(fingerprint: identities[0].fingerprint(.sha256),
                                                      maxMessageSize: client.advertisedMaxMessageSize)
                .makeOffer(using: &generator)
            let answer = try DataChannelSessionBuilder(fingerprint: identities[1].fingerprint(.sha256),
                                                       maxMessageSize: server.advertisedMaxMessageSize)
                .makeAnswer(to: SessionDescription(parsing: offer.description), preferredRole: .passive, using: &generator)
            let remoteOffer = try RemoteDataChannelDescription(validating: SessionDescription(parsing: offer.description), as: .offer)
            let remoteAnswer = try RemoteDataChannelDescription(validating: SessionDescription(parsing: answer.description), as: .answer)
            server.applyRemoteMaxMessageSize(of: remoteOffer)
            client.applyRemoteMaxMessageSize(of: remoteAnswer)
            report.advertisedMaxMessageSize = Int(clamping: remoteAnswer.maxMessageSize)
        } catch {
            throw StreamsFailure(.localFailure, "cannot build the SDP descriptions: \(error.reason)")
        }
        report.ownMaxMessageSize = client.association.configuration.maxMessageSize
        report.maximumMessageSize = client.association.maxMessageSize
    }
}
