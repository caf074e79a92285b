import Foundation
import Testing
import ToolTestSupport

/// The two targets of the text parsers (docs/FUZZING.md): `sdp-fuzz` (SDP descriptions
/// and candidate lines) and `mesh-fuzz` (signaling frames, sidecar IPC lines, the HTTP
/// /offer body, RegistryCore scripts), built plainly, replay their committed corpora,
/// seeds and minimised fuzzer finds alike, with every invariant check of the target.
@Suite("Fuzz targets: sdp-fuzz and mesh-fuzz replay their corpora")
struct MeshSDPReplayTests {
    @Test("sdp-fuzz replays every file of fuzz/sdp-corpus without a crash")
    func sdpCorpus() throws {
        let files = try expectReplay("sdp-fuzz", corpus: "fuzz/sdp-corpus", atLeast: 13)
        // The real descriptions the SDP tests use are among the seeds, byte for byte.
        let fixtures = Programs.repositoryRoot.appendingPathComponent("Tests/SDPTests/Fixtures")
        for name in try FileManager.default.contentsOfDirectory(atPath: fixtures.path) where name.hasSuffix(".sdp") {
            #expect(files.contains("fixture-\(name)"), "fuzz/sdp-corpus lacks the fixture \(name)")
            let seed = try Data(contentsOf: Self.corpusFile("sdp", "fixture-\(name)"))
            #expect(seed == (try Data(contentsOf: fixtures.appendingPathComponent(name))), "fixture-\(name) differs from the fixture")
        }
    }

    @Test("mesh-fuzz replays every file of fuzz/mesh-corpus without a crash")
    func meshCorpus() throws {
        try expectReplay("mesh-fuzz", corpus: "fuzz/mesh-corpus", atLeast: 24)
    }

    @Test("the mesh seeds cover all four parsers the first byte selects")
    func meshSelectors() throws {
        let directory = Programs.repositoryRoot.appendingPathComponent("fuzz/mesh-corpus")
        var selectors = Set<UInt8>()
        // Hand-written seeds are named "<selector>-<what>"; minimised finds "min-<sha1>".
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path)
        where name.first?.isNumber == true && name.dropFirst().first == "-" {
            if let first = try Data(contentsOf: directory.appendingPathComponent(name)).first { selectors.insert(first % 4) }
        }
        #expect(selectors == [0, 1, 2, 3])
    }

    @Test("without arguments the new replayers print their usage and exit 64", arguments: ["sdp-fuzz", "mesh-fuzz"])
    func usage(name: String) throws {
        let run = try Programs.runProduct(name, [], timeout: .seconds(120))
        #expect(run.status == 64)
        #expect(run.stdout.hasPrefix("usage: \(name) FILE|DIR..."))
    }

    private static func corpusFile(_ target: String, _ name: String) -> URL {
        Programs.repositoryRoot.appendingPathComponent("fuzz/\(target)-corpus/\(name)")
    }
}
