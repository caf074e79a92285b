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
        options.checkTimeout = .seconds(2)
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
        #expect(checksSeen == ["crashes": 115, "hangs": 115, "reference": 115, "starter": 115])
        let byName = Dictionary(uniqueKeysWithValues: reports.map { ($0.name, $0) })
        let reference = try #require(byName["reference"])
        #expect(reference.build == .built && reference.earned == 147 && reference.possible == 147)

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
        #expect(hung.allSatisfy { $0.status == .timedOut && $0.reason?.contains("still running after 2.0 s") == true })
        #expect(hangs.earned == 144)

        let crashes = try #require(byName["crashes"])
        let crashed = crashes.results.filter { $0.status != .passed }
        #expect(crashed.map(\.id) == CheckSuite.catalog.filter { $0.id.hasPrefix("02.decode.") }.map(\.id))
        #expect(crashed.allSatisfy { $0.status == .crashed && $0.reason?.contains("Fatal error: student bug: decoder gave up") == true })
        #expect(crashes.earned == 137)

        // No bound on `elapsed`: it is printed above for people; how long five builds take
        // depends on the machine's load, and the hanging submission is already proved to be
        // cut off by its per-check timeout.
        try expectReports(reports, in: sample.directory + "/grades")
    }

    private func expectReports(_ reports: [SubmissionReport], in directory: String) throws {
        let written = try GradeReportWriter.write(reports, to: directory)

        let csv = try String(contentsOfFile: written.gradebook, encoding: .utf8).components(separatedBy: "\r\n")
        #expect(csv[0].hasPrefix("student,score,max_score,build,01.order.complete,01.order.top-down,01.match.application,"))
        #expect(csv[0].contains(",02.decode.rejects-bad-id,03.type.preferences,"))
        #expect(csv[0].hasSuffix(",04.fallback.udp-blocked,05.fingerprint.ecdsa-sha256,05.fingerprint.rsa-sha256,05.fingerprint.other-hashes,05.fingerprint.name-case,05.fingerprint.unknown-algorithm,05.fingerprint.empty-der,05.match.identical,05.match.hex-case,05.match.name-case,05.match.whitespace,05.match.different-bytes,05.match.different-algorithm,05.match.separators,05.match.malformed,05.role.offerer,05.role.answerer,05.role.active-passive,05.role.conflicts,05.role.holdconn,05.role.unknown-values,06.mode.rpc,06.mode.file-chunks,06.mode.latest-value-sensor,06.mode.game-state,06.telemetry.mode,06.telemetry.reason,06.send.reliable-ordered,06.send.reliable-unordered,06.send.max-retransmits,06.send.max-lifetime,06.send.zero-limits,06.send.large-limits,06.send.rejects-both-limits,06.send.rejects-out-of-range,06.dcep.reliable,06.dcep.partial-rexmit,06.dcep.partial-timed,06.dcep.reliable-ignores-parameter,06.dcep.rejects-unknown-type,07.encode.reliable,07.encode.partial-rexmit,07.encode.partial-timed,07.encode.byte-order,07.encode.utf8,07.encode.empty-label,07.encode.rejects-too-long,07.decode.channel-types,07.decode.byte-order,07.decode.utf8,07.decode.round-trip,07.decode.rejects-truncated,07.decode.rejects-wrong-type,07.decode.rejects-bad-lengths,07.decode.rejects-invalid-utf8,08.connections.small,08.connections.mesh,08.connections.rejects-negative,08.connections.large,08.sequential.per-pair,08.sequential.rejects,08.parallel.lower-bound,08.parallel.rejects,08.amortised.per-message,08.amortised.no-messages,08.break-even.messages,08.break-even.rejects,08.demo.connections,08.demo.sequential,08.demo.amortised,notes"))
        #expect(csv[1].hasPrefix("broken,0,147,failed,0,0,") && csv[1].contains("does not compile: 02-stun-coding/STUNCoding.swift:"))
        #expect(csv[2].hasPrefix("crashes,137,147,ok,1,2,") && csv[2].contains("Fatal error: student bug: decoder gave up (02.decode.rfc5769-ipv4, 02.decode.rfc5769-ipv6, "))
        #expect(csv[3].hasPrefix("hangs,144,147,ok,0,0,1,") && csv[3].hasSuffix("(an endless loop?) and was stopped (01.order.complete, 01.order.top-down)\""))
        #expect(csv[4] == "reference,147,147,ok," + CheckSuite.catalog.map { String($0.points) }.joined(separator: ",") + ",")
        #expect(csv[5].hasPrefix("starter,0,147,ok,0,0,"))

        let xml = try String(contentsOfFile: written.junit, encoding: .utf8)
        GraderTestSupport.expectWellFormedXML(xml)
        #expect(xml.contains("<testsuites name=\"lab grade\" tests=\"575\" failures=\"115\" errors=\"125\""))
        #expect(xml.contains("<testsuite name=\"broken\" tests=\"115\" failures=\"0\" errors=\"115\""))
        #expect(xml.contains("<testsuite name=\"hangs\" tests=\"115\" failures=\"0\" errors=\"2\""))
        #expect(xml.contains("<testsuite name=\"reference\" tests=\"115\" failures=\"0\" errors=\"0\""))
        #expect(xml.contains("<testsuite name=\"starter\" tests=\"115\" failures=\"115\" errors=\"0\""))
        #expect(xml.contains("<error type=\"crashed\" message=\"crashed: "))
        #expect(xml.contains("<error type=\"timed-out\" message=\"timed out: "))

        #expect(written.gradescope.keys.sorted() == ["broken", "crashes", "hangs", "reference", "starter"])
        let referenceJSON = try JSONDecoder().decode(GradescopeResults.self, from: Data(contentsOf: URL(fileURLWithPath: try #require(written.gradescope["reference"]))))
        #expect(referenceJSON.score == 147 && referenceJSON.tests.count == 115)
        #expect(referenceJSON.tests.allSatisfy { $0.status == "passed" && $0.score == $0.max_score })
        let hangsRaw = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: try #require(written.gradescope["hangs"]))))
        let hangs = try #require(hangsRaw as? [String: Any])
        #expect(hangs["score"] as? Double == 144)
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
