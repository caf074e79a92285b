import ExerciseChecks
import Foundation
import Testing
@testable import LabKit
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A class of five submissions made from the repository's own exercises and solutions.
private struct SampleClass {
    let directory: String
    let submissions: String

    /// reference = solutions/, starter = exercises/, broken/hangs/crashes = solutions/ with one fault each.
    init() throws {
        let root = GraderTestSupport.repositoryRoot
        directory = try GraderTestSupport.temporaryDirectory("lab-grade-e2e-")
        submissions = directory + "/submissions"
        let manager = FileManager.default
        try manager.createDirectory(atPath: submissions, withIntermediateDirectories: true)
        try manager.copyItem(atPath: root + "/solutions", toPath: submissions + "/reference")
        try manager.copyItem(atPath: root + "/exercises", toPath: submissions + "/starter")
        for name in ["broken", "hangs", "crashes"] {
            try manager.copyItem(atPath: root + "/solutions", toPath: submissions + "/" + name)
        }
        try Self.edit(submissions + "/broken/02-stun-coding/STUNCoding.swift") {
            $0 + "\nlet brokenOnPurpose: Int = \"not a number\"\n"
        }
        try Self.edit(submissions + "/hangs/01-protocol-stack/ProtocolStack.swift") {
            try Self.insert("        while Int.random(in: 0...1) >= 0 {}  // never ends\n        return",
                            after: "public static func layersTopDown() throws -> [StackLayer] {\n", in: $0)
        }
        try Self.edit(submissions + "/crashes/02-stun-coding/STUNCoding.swift") {
            try Self.insert("        if value.count >= 0 { fatalError(\"student bug: decoder gave up\") }\n",
                            after: "transactionID: [UInt8]) throws -> DecodedAddress {\n", in: $0)
        }
    }

    static func edit(_ path: String, _ change: (String) throws -> String) throws {
        try change(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func insert(_ text: String, after anchor: String, in source: String) throws -> String {
        let range = try #require(source.range(of: anchor), "the solution no longer contains \(anchor.debugDescription)")
        return source.replacingCharacters(in: range, with: anchor + text)
    }
}

@Suite("Instructor grading, end to end")
struct GradeEndToEndTests {
    @Test("grades reference, starter, broken, hanging and crashing submissions, and writes CSV, Gradescope and JUnit")
    func gradesAClass() throws {
        let sample = try SampleClass()
        defer { try? FileManager.default.removeItem(atPath: sample.directory) }
        var options = GradingOptions()
        // Long enough for the slowest honest check (exercise 12's 65 536-message SSN wrap
        // takes about 0.2 s alone and over 1.5 s on a loaded machine); a hang costs this much.
        options.checkTimeout = .seconds(10)
        options.parallelChecks = 2
        let workspace = GradingWorkspace(repository: try LabRepository(root: GraderTestSupport.repositoryRoot),
                                         directory: GraderTestSupport.scratchDirectory("lab-e2e-workspace"))
        let grader = ClassGrader(grader: SubmissionGrader(workspace: workspace, options: options))

        var started: [String] = []
        var checksSeen: [String: Int] = [:]
        let clock = ContinuousClock()
        let begin = clock.now
        let reports = try grader.gradeAll(in: sample.submissions) { event in
            switch event {
            case .submissionStarted(let name, let index, let count): started.append("\(index)/\(count) \(name)")
            case .checkFinished(let name, _, _, _): checksSeen[name, default: 0] += 1
            default: break
            }
        }
        let elapsed = begin.duration(to: clock.now)
        let builds = reports.map { "\($0.name) \(Format.seconds($0.buildDuration))" }.joined(separator: ", ")
        print("lab grade e2e: 5 submissions in \(Format.seconds(elapsed)); builds: \(builds)")

        #expect(started == ["1/5 broken", "2/5 crashes", "3/5 hangs", "4/5 reference", "5/5 starter"])
        // Totals from the catalog, so adding an exercise does not touch this test: n checks worth
        // `total` points; the hanging copy loses the two 01.order checks (3 points), the crashing
        // one the eight 02.decode checks (10 points).
        let n = CheckSuite.catalog.count, total = CheckSuite.catalog.reduce(0) { $0 + $1.points }
        #expect(checksSeen == ["crashes": n, "hangs": n, "reference": n, "starter": n])
        let byName = Dictionary(uniqueKeysWithValues: reports.map { ($0.name, $0) })
        let reference = try #require(byName["reference"])
        #expect(reference.build == .built && reference.earned == total && reference.possible == total)

        let starter = try #require(byName["starter"])
        #expect(starter.build == .built && starter.earned == 0)
        #expect(starter.results.allSatisfy { $0.status == .failed && $0.actual?.contains("notImplemented") == true })

        let broken = try #require(byName["broken"])
        guard case .failed(let reason) = broken.build else { Issue.record("broken compiled"); return }
        #expect(reason.contains("02-stun-coding/STUNCoding.swift:") && reason.contains("error:"))
        #expect(broken.earned == 0 && broken.results.allSatisfy { $0.status == .notBuilt && $0.reason == reason })

        let hangs = try #require(byName["hangs"])
        let hung = hangs.results.filter { $0.status != .passed }
        #expect(hung.map(\.id) == ["01.order.complete", "01.order.top-down"])
        #expect(hung.allSatisfy { $0.status == .timedOut && $0.reason?.contains("still running after 10.0 s") == true })
        #expect(hangs.earned == total - 3)

        let crashes = try #require(byName["crashes"])
        let crashed = crashes.results.filter { $0.status != .passed }
        #expect(crashed.map(\.id) == CheckSuite.catalog.filter { $0.id.hasPrefix("02.decode.") }.map(\.id))
        #expect(crashed.allSatisfy { $0.status == .crashed && $0.reason?.contains("Fatal error: student bug: decoder gave up") == true })
        #expect(crashes.earned == total - 10)

        // No bound on `elapsed`: it is printed above for people; how long five builds take
        // depends on the machine's load, and the hanging submission is already proved to be
        // cut off by its per-check timeout.
        try expectReports(reports, in: sample.directory + "/grades")
    }

    private func expectReports(_ reports: [SubmissionReport], in directory: String) throws {
        let n = CheckSuite.catalog.count, total = CheckSuite.catalog.reduce(0) { $0 + $1.points }
        let written = try GradeReportWriter.write(reports, to: directory)

        let csv = try String(contentsOfFile: written.gradebook, encoding: .utf8).components(separatedBy: "\r\n")
        #expect(csv[0].hasPrefix("student,score,max_score,build,01.order.complete,01.order.top-down,01.match.application,"))
        #expect(csv[0].contains(",02.decode.rejects-bad-id,03.type.preferences,"))
        #expect(csv[0].hasSuffix("," + CheckSuite.catalog.suffix(40).map(\.id).joined(separator: ",") + ",notes"))
        #expect(csv[0].contains(",04.fallback.udp-blocked,05.fingerprint.ecdsa-sha256,05.fingerprint.rsa-sha256,"))
        #expect(csv[0].contains(",08.demo.amortised,09."))
        #expect(csv[1].hasPrefix("broken,0,\(total),failed,0,0,") && csv[1].contains("does not compile: 02-stun-coding/STUNCoding.swift:"))
        #expect(csv[2].hasPrefix("crashes,\(total - 10),\(total),ok,1,2,") && csv[2].contains("Fatal error: student bug: decoder gave up (02.decode.rfc5769-ipv4, 02.decode.rfc5769-ipv6, "))
        #expect(csv[3].hasPrefix("hangs,\(total - 3),\(total),ok,0,0,1,") && csv[3].hasSuffix("(an endless loop?) and was stopped (01.order.complete, 01.order.top-down)\""))
        #expect(csv[4] == "reference,\(total),\(total),ok," + CheckSuite.catalog.map { String($0.points) }.joined(separator: ",") + ",")
        #expect(csv[5].hasPrefix("starter,0,\(total),ok,0,0,"))

        let xml = try String(contentsOfFile: written.junit, encoding: .utf8)
        GraderTestSupport.expectWellFormedXML(xml)
        #expect(xml.contains("<testsuites name=\"lab grade\" tests=\"\(5 * n)\" failures=\"\(n)\" errors=\"\(n + 10)\""))
        #expect(xml.contains("<testsuite name=\"broken\" tests=\"\(n)\" failures=\"0\" errors=\"\(n)\""))
        #expect(xml.contains("<testsuite name=\"hangs\" tests=\"\(n)\" failures=\"0\" errors=\"2\""))
        #expect(xml.contains("<testsuite name=\"reference\" tests=\"\(n)\" failures=\"0\" errors=\"0\""))
        #expect(xml.contains("<testsuite name=\"starter\" tests=\"\(n)\" failures=\"\(n)\" errors=\"0\""))
        #expect(xml.contains("<error type=\"crashed\" message=\"crashed: "))
        #expect(xml.contains("<error type=\"timed-out\" message=\"timed out: "))

        #expect(written.gradescope.keys.sorted() == ["broken", "crashes", "hangs", "reference", "starter"])
        let referenceJSON = try JSONDecoder().decode(GradescopeResults.self, from: Data(contentsOf: URL(fileURLWithPath: try #require(written.gradescope["reference"]))))
        // The checks' entries; the written answers' entries (tagged "written") wait for the instructor.
        let automatic = referenceJSON.tests.filter { $0.tags == nil }
        #expect(referenceJSON.score == Double(total) && automatic.count == n)
        #expect(automatic.allSatisfy { $0.status == "passed" && $0.score == $0.max_score })
        let hangsRaw = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: try #require(written.gradescope["hangs"]))))
        let hangs = try #require(hangsRaw as? [String: Any])
        #expect(hangs["score"] as? Double == Double(total - 3))
        let tests = try #require(hangs["tests"] as? [[String: Any]])
        let order = try #require(tests.first { $0["number"] as? String == "01.order.top-down" })
        #expect(order["score"] as? Double == 0 && order["max_score"] as? Double == 2)
        #expect((order["output"] as? String)?.hasPrefix("timed out:") == true)
    }
}

extension GraderTestSupport {
    /// A fresh directory under the system's temporary directory.
    static func temporaryDirectory(_ prefix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/" + prefix + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The build directory holding the test bundle, `lab` and the other products.
    static var buildDirectory: String {
        #if os(Linux)
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return (resolved as NSString).deletingLastPathComponent
        }
        #endif
        return Bundle.main.bundleURL.deletingLastPathComponent().path
    }

    /// A directory next to the build products that survives between runs (so grading
    /// workspaces build incrementally) and disappears with the scratch path.
    static func scratchDirectory(_ name: String) -> String { buildDirectory + "/" + name }
}
