import Testing
@testable import SCTP

@Suite("SCTPError")
struct SCTPErrorTests {
    @Test("blames the caller for misuse and the peer for protocol violations")
    func origins() {
        for code in SCTPError.Code.allCases {
            let error = SCTPError(code, "x")
            #expect(error.origin == (code == .protocolViolation ? .peer : .caller))
        }
        #expect(SCTPError(.messageTooLarge, "big").description == "SCTP messageTooLarge: big")
    }
}
