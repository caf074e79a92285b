import Testing
@testable import SCTP

@Suite("SCTPError")
struct SCTPErrorTests {
    @Test("blames the caller: peer trouble is reported as events, never thrown")
    func origins() {
        for code in SCTPError.Code.allCases {
            #expect(SCTPError(code, "x").origin == .caller)
        }
        #expect(SCTPError(.messageTooLarge, "big").description == "SCTP messageTooLarge: big")
    }
}
