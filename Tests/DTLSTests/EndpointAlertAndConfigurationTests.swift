import Testing
import SDP
import Wire
@testable import DTLS

@Suite("DTLS endpoint: alerts and configuration")
struct EndpointAlertAndConfigurationTests {
    @Test("an alert body round-trips, unknown codes included")
    func alertRoundTrip() throws {
        for (level, code) in [(UInt8(2), UInt8(42)), (1, 0), (2, 90), (7, 201)] {
            var reader = ByteReader([level, code])
            let alert = try DTLSAlert(parsing: &reader, direction: .received)
            var writer = ByteWriter()
            alert.encode(into: &writer)
            #expect(writer.bytes == [level, code])
        }
        var reader = ByteReader([2, 42])
        let alert = try DTLSAlert(parsing: &reader, direction: .received)
        #expect(alert.isFatal && alert.alertDescription == .badCertificate)
        #expect(alert.description == "received fatal bad_certificate(42)")
        #expect(DTLSAlert.Description(rawValue: 201).name == "unknown(201)")
        #expect(DTLSAlert.Level(rawValue: 7).description == "level(7)")
    }

    @Test("a one-byte alert body is a truncation error, not a trap")
    func truncatedAlert() {
        var reader = ByteReader([2])
        #expect(throws: WireError.self) { _ = try DTLSAlert(parsing: &reader, direction: .received) }
    }

    @Test("out-of-range MTU, timer or deadline is refused as misuse")
    func invalidConfiguration() throws {
        let certificate = try DTLSCertificate.generateSelfSigned()
        func make(mtu: Int = 1200, rto: Duration = .seconds(1), deadline: Duration = .seconds(30)) -> DTLSError? {
            do {
                _ = try DTLSEndpoint(configuration: DTLSConfiguration(
                    role: .client, certificate: certificate, localAddress: EndpointPair.clientAddress,
                    remoteAddress: EndpointPair.serverAddress, mtu: mtu, initialRetransmitTimeout: rto,
                    handshakeDeadline: deadline))
                return nil
            } catch {
                return error
            }
        }
        #expect(make() == nil)
        #expect(make(mtu: 100)?.code == .invalidArgument)
        #expect(make(mtu: 70_000)?.code == .invalidArgument)
        #expect(make(rto: .microseconds(10))?.code == .invalidArgument)
        #expect(make(deadline: .zero)?.code == .invalidArgument)
    }

    @Test("the deadline and the retransmission timer drive nextTimeout; nothing is armed before start")
    func timeouts() throws {
        let pair = try EndpointPair(initialRetransmitTimeout: .milliseconds(200), handshakeDeadline: .seconds(3))
        #expect(pair.client.nextTimeout == nil && pair.server.nextTimeout == nil)
        pair.filter = { _, _, _ in [] }
        let started = pair.now
        pair.client.start(at: started)
        let elapsed = pair.now - started
        let next = try #require(pair.client.nextTimeout)
        // OpenSSL's 200 ms timer, anchored to the instant we supplied: what real time
        // passed inside OpenSSL (a few milliseconds, more on a busy machine) is all it
        // may have lost.
        #expect(next <= started + .milliseconds(200) && next >= started + .milliseconds(199) - elapsed,
                "next \(next), started \(started), \(elapsed) inside start")
        // A waiting server has only its deadline.
        pair.server.start(at: started)
        #expect(pair.server.nextTimeout == started + .seconds(3))
    }
}
