import Foundation
import Testing
import ToolTestSupport

/// Replays every file of `corpus` through the plain build of fuzz target `name` and
/// expects each to run without a crash; returns the corpus's file names.
@discardableResult
func expectReplay(_ name: String, corpus: String, atLeast minimum: Int) throws -> [String] {
    let directory = Programs.repositoryRoot.appendingPathComponent(corpus)
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }
    #expect(files.count >= minimum)
    let run = try Programs.runProduct(name, [directory.path], timeout: .seconds(120))
    #expect(run.status == 0, "\(name) exited with \(run.status): \(run.stderr.suffix(2000))")
    #expect(run.stdout == "\(name): replayed \(files.count) input(s), no crash\n")
    return files
}
