import SDP
import Testing
@testable import DTLS

@Suite("DTLS role from a=setup")
struct RoleTests {
    static let values: [SetupRole] = [.active, .passive, .actpass, .holdconn, SetupRole("bogus")]

    /// The whole table: (local, remote) → role, nil where it must throw.
    static func expected(local: SetupRole, remote: SetupRole) -> DTLSRole? {
        switch (local.rawValue, remote.rawValue) {
        case ("active", "passive"), ("active", "actpass"), ("actpass", "passive"): .client
        case ("passive", "active"), ("passive", "actpass"), ("actpass", "active"): .server
        default: nil
        }
    }

    @Test("every pair of setup values gives the RFC 8842 role or a typed error",
          arguments: values, values)
    func table(local: SetupRole, remote: SetupRole) throws {
        if let role = Self.expected(local: local, remote: remote) {
            #expect(try DTLSRole(local: local, remote: remote) == role)
        } else {
            let error = expectDTLSError(.invalidArgument) { () throws(DTLSError) in
                try DTLSRole(local: local, remote: remote)
            }
            #expect(error?.reason.isEmpty == false)
        }
    }

    @Test("the error names the rule that was broken")
    func reasons() {
        let cases: [(SetupRole, SetupRole, String)] = [
            (.actpass, .actpass, "actpass"),
            (.active, .active, "two DTLS clients"),
            (.passive, .passive, "two DTLS servers"),
            (.holdconn, .active, "local setup is holdconn"),
            (.active, .holdconn, "remote setup is holdconn"),
            (SetupRole("Active"), .passive, "'Active'"),
        ]
        for (local, remote, phrase) in cases {
            let error = expectDTLSError(.invalidArgument) { () throws(DTLSError) in try DTLSRole(local: local, remote: remote) }
            #expect(error?.reason.contains(phrase) == true, "\(local)/\(remote): \(error?.reason ?? "")")
        }
    }

    @Test("the answerer picks active for actpass and the opposite otherwise")
    func answererSetup() {
        #expect(DTLSRole.answererSetup(forOffer: .actpass) == .active)
        #expect(DTLSRole.answererSetup(forOffer: .active) == .passive)
        #expect(DTLSRole.answererSetup(forOffer: .passive) == .active)
        #expect(DTLSRole.answererSetup(forOffer: .holdconn) == nil)
        #expect(DTLSRole.answererSetup(forOffer: SetupRole("bogus")) == nil)
    }

    @Test("offerer and answerer always end up in opposite roles", arguments: [SetupRole.actpass, .active, .passive])
    func offerAnswerAgree(offer: SetupRole) throws {
        let answer = try #require(DTLSRole.answererSetup(forOffer: offer))
        let offerer = try DTLSRole(local: offer, remote: answer)
        let answerer = try DTLSRole(local: answer, remote: offer)
        #expect(offerer != answerer)
        #expect(answerer.setup == answer)
        if offer == .actpass { #expect(answerer == .client, "JSEP: the answerer sends the ClientHello") }
    }

    @Test("a role states itself as active or passive")
    func setupOfRole() {
        #expect(DTLSRole.client.setup == .active)
        #expect(DTLSRole.server.setup == .passive)
        #expect(DTLSRole(rawValue: "client") == .client)
    }
}
