import Foundation
import Testing
import ToolTestSupport

/// `datachannel-chat echo --use-exercise` as the repository holds exercise 07: the
/// untouched starter, whose functions throw notImplemented. Either role must stop before
/// any socket, with exit status 4 and a message naming the function and the file. (The
/// success path, with the reference solution in the student's place, is proven in
/// DatachannelChatExerciseTests.)
@Suite("datachannel-chat echo --use-exercise with the starter")
struct UseExerciseToolTests {
    @Test("the client stops before any packet with exit 4, naming encodeOpen and the exercise file")
    func client() throws {
        // Nothing listens there: had the client sent anything, it would fail at the signal step (exit 1) instead.
        let port = try Programs.freeUDPPort()
        let run = try Programs.runProduct("datachannel-chat", ["echo", "http://127.0.0.1:\(port)/offer", "--use-exercise", "--json"])
        #expect(run.status == 4, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.isEmpty, "no result line: nothing ran")
        #expect(run.errorLines == ["datachannel-chat: error: --use-exercise: encodeOpen in exercises/07-dcep-open/DCEPOpen.swift "
            + "is not implemented yet (it throws notImplemented); write it, then check it with `lab check 07`"])
    }

    @Test("the server stops too, before it listens, and writes no capture")
    func server() throws {
        let pcap = Programs.temporaryPath("use-exercise", ".pcap")
        defer { try? FileManager.default.removeItem(atPath: pcap) }
        let run = try Programs.runProduct("datachannel-chat", ["echo", "--serve", "--listen", "127.0.0.1:0", "--use-exercise",
                                                               "--pcap", pcap], timeout: .seconds(30))
        #expect(run.status == 4, "\(run.stdout)\n\(run.stderr)")
        #expect(!run.stdout.contains("listening"))
        #expect(run.errorLines.first?.contains("encodeOpen in exercises/07-dcep-open/DCEPOpen.swift is not implemented yet") == true)
        #expect(!FileManager.default.fileExists(atPath: pcap))
    }

    @Test("--help documents --use-exercise and exit status 4")
    func help() throws {
        let run = try Programs.runProduct("datachannel-chat", ["echo", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("--use-exercise"))
        #expect(run.stdout.contains("exercises/07-dcep-open"))
        #expect(run.stdout.contains("  4   --use-exercise: exercise 07 not implemented, or wrong"))
    }
}
