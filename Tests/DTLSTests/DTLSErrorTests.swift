import Testing
import Wire
@testable import DTLS

@Suite("DTLS errors")
struct DTLSErrorTests {
    @Test("a peer that fails authentication is at fault, a caller who misuses the API is")
    func originFollowsCode() {
        #expect(DTLSError(.fingerprintMismatch, "x").origin == .peer)
        #expect(DTLSError(.malformedRecord, "x").origin == .peer)
        #expect(DTLSError(.invalidState, "x").origin == .caller)
        #expect(DTLSError(.invalidArgument, "x").description == "DTLS invalidArgument: x")
    }
}
