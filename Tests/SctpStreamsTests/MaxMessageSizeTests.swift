import Foundation
import Testing
import ToolTestSupport

@Suite("sctp-streams: a message above the max message size is refused by SCTP itself")
struct MaxMessageSizeTests {
    @Test("--size 262145: SCTP's messageTooLarge as one error line, exit 7, nothing sent, the limit in the header")
    func ownLimit() throws {
        let run = try sctpStreams(["--size", "262145", "--messages", "1", "--loss", "0", "--delay", "0"])
        #expect(run.status == 7, "status \(run.status), stderr \(run.stderr)")
        #expect(run.errorLines == ["sctp-streams: error: sending on stream 0 (reliable-ordered): SCTP messageTooLarge: a 262145-byte "
                                   + "message exceeds the maximum message size of 262144 bytes; nothing was sent"], "\(run.stderr)")
        #expect(run.stdout.contains("  max message 262144 B: the receiver's SDP says a=max-message-size:262144, "
                                    + "the sender's own limit is 262144 B"), "\(run.stdout)")
        #expect(!run.stdout.contains("\nmode "), "a table although nothing was sent:\n\(run.stdout)")
    }

    @Test("--max-message-size 65536: the receiver's SDP lowers the sender's limit; 65536 B pass, 65537 B are refused")
    func receiverLimit() throws {
        let common = ["--json", "--max-message-size", "65536", "--loss", "0", "--delay", "0", "--interval", "0",
                      "--modes", "reliable-ordered", "--messages", "3"]
        let refused = try sctpStreams(common + ["--size", "65537"])
        #expect(refused.status == 7, "status \(refused.status), stderr \(refused.stderr)")
        let report = try refused.json()
        #expect(report["exit_code"] as? Int == 7)
        #expect(report["advertised_max_message_size"] as? Int == 65536)
        #expect(report["own_max_message_size"] as? Int == 262_144)
        #expect(report["maximum_message_size"] as? Int == 65536)
        #expect((report["error"] as? String)?.contains("a 65537-byte message exceeds the maximum message size of 65536 bytes") == true)
        #expect(try modes(of: report)["reliable-ordered"]?["sent"] as? Int == 0)

        let fits = try sctpStreams(common + ["--size", "65536"])
        #expect(fits.status == 0, "stderr \(fits.stderr)")
        #expect(try modes(of: fits.json())["reliable-ordered"]?["delivered"] as? Int == 3)
    }
}
