import Foundation
import Testing
import ToolTestSupport

/// The fuzz executables, built plainly by `swift build`, are corpus replayers
/// (FuzzSupport). Replaying each seed corpus through them runs every input through
/// the whole fuzz target, invariant checks included, in every test run: a seed or a
/// saved crash reproducer that traps fails here without libFuzzer.
@Suite("Fuzz targets: plain builds replay their seed corpora")
struct FuzzReplayTests {
    @Test("dtls-fuzz replays every file of fuzz/dtls-corpus without a crash")
    func dtlsCorpus() throws {
        try expectReplay("dtls-fuzz", corpus: "fuzz/dtls-corpus", atLeast: 23)
    }

    @Test("stun-fuzz still replays every file of fuzz/stun-corpus without a crash")
    func stunCorpus() throws {
        try expectReplay("stun-fuzz", corpus: "fuzz/stun-corpus", atLeast: 11)
    }

    @Test("without arguments a replayer prints its usage and exits 64", arguments: ["stun-fuzz", "dtls-fuzz"])
    func usage(name: String) throws {
        let run = try Programs.runProduct(name, [], timeout: .seconds(120))
        #expect(run.status == 64)
        #expect(run.stdout.hasPrefix("usage: \(name) FILE|DIR..."))
    }

    @Test("an unreadable input is reported with exit status 66")
    func unreadable() throws {
        let missing = Programs.repositoryRoot.appendingPathComponent("fuzz/no-such-input.bin").path
        let run = try Programs.runProduct("dtls-fuzz", [missing], timeout: .seconds(120))
        #expect(run.status == 66)
        #expect(run.stdout == "dtls-fuzz: cannot read \(missing)\n")
    }
}
