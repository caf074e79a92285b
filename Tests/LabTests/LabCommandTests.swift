import Foundation
import ExerciseChecks
import Testing
@testable import LabKit

/// Runs the built `lab` executable (it sits next to the test bundle).
private func lab(_ arguments: [String], timeout: Duration = .seconds(300)) throws -> ChildOutcome {
    let executable = GraderTestSupport.buildDirectory + "/lab"
    #expect(FileManager.default.isExecutableFile(atPath: executable), "\(executable) is missing: build the package first")
    return try ChildProcess.run([executable] + arguments, environment: ProcessInfo.processInfo.environment, timeout: timeout)
}

@Suite("The lab command")
struct LabCommandTests {
    private let root = GraderTestSupport.repositoryRoot

    @Test("--help names every subcommand")
    func help() throws {
        let outcome = try lab(["--help"])
        #expect(outcome.termination == .exited(0))
        for word in ["USAGE: lab <subcommand>", "list (default)", "lesson", "check", "hint", "grade"] {
            #expect(outcome.stdout.contains(word), "help lacks \(word)")
        }
    }

    @Test("mistakes get one readable line and a non-zero exit, never a stack trace")
    func oneLineErrors() throws {
        let cases: [([String], String)] = [
            (["check", "99", "--root", root], "Error: no exercise '99'; known exercises: 01 (01-protocol-stack), 02 (02-stun-coding), 03 (03-candidate-priority), 04 (04-read-sdp-offer), 05 (05-dtls-fingerprint), 06 (06-delivery-modes), 07 (07-dcep-open), 08 (08-mesh-cost), 09 (09-stun-transaction), 10 (10-ice-checklist), 11 (11-dcep-channel), 12 (12-stream-receive), 13 (13-debug-by-layer)"),
            (["grade", "/nonexistent/submissions", "--root", root], "Error: /nonexistent/submissions is not a directory of submissions"),
            (["hint", "02", "--root", "/"], "Error: / is not the lab's repository root"),
            (["grade", "/tmp", "--timeout", "0", "--root", root], "Error: --timeout must be a positive number of seconds"),
        ]
        for (arguments, expected) in cases {
            let outcome = try lab(arguments)
            #expect(outcome.termination != .exited(0), "\(arguments)")
            let lines = outcome.stderr.split(separator: "\n").filter { !$0.isEmpty }
            #expect(lines.first?.hasPrefix(expected) == true, "\(arguments): \(outcome.stderr)")
            #expect(!outcome.stderr.contains("Fatal error") && !outcome.stderr.contains("Stack dump"))
        }
    }

    @Test("`lab` lists lessons and exercises with points")
    func listing() throws {
        let outcome = try lab(["--root", root])
        #expect(outcome.termination == .exited(0))
        #expect(outcome.stdout.contains("Lessons\n  01  "))
        #expect(outcome.stdout.contains("01  Label the protocol stack"))
        #expect(outcome.stdout.contains("/17"))
    }

    @Test("`lab check` explains failures and `lab grade` shows progress, both through the real binary")
    func checkAndGrade() throws {
        let workspace = GraderTestSupport.scratchDirectory("lab-cli-workspace")
        let check = try lab(["check", "02", "--dir", root + "/exercises", "--root", root, "--workspace", workspace])
        #expect(check.termination == .exited(1), "\(check.stderr)")
        #expect(check.stdout.contains("02-stun-coding — STUN coding: Binding request and XOR-MAPPED-ADDRESS: 0/17 points"))
        #expect(check.stdout.contains("✗ 02.decode.rfc5769-ipv4  decodes the RFC 5769 §2.2 IPv4 vector to 192.0.2.1 port 32853  (0/2)"))
        #expect(check.stdout.contains("      expected: IPv4 192.0.2.1 port 32853\n"))
        #expect(check.stdout.contains("      rule:     RFC 8489 §14.2: for IPv4, X-Address"))
        #expect(check.stdout.contains("Total: 0/17 points, 0 of 15 checks pass."))

        let directory = try GraderTestSupport.temporaryDirectory("lab-grade-cli-")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.copyItem(atPath: root + "/solutions", toPath: directory + "/class/ada")
        try FileManager.default.createDirectory(atPath: directory + "/class/bob", withIntermediateDirectories: true)
        try "let x: Int = \"no\"\n".write(toFile: directory + "/class/bob/Broken.swift", atomically: true, encoding: .utf8)
        let grade = try lab(["grade", directory + "/class", "--root", root, "--workspace", workspace])
        let n = CheckSuite.catalog.count, total = CheckSuite.catalog.reduce(0) { $0 + $1.points }
        #expect(grade.termination == .exited(0), "\(grade.stderr)")
        #expect(grade.stdout.contains("Grading 2 submissions in \(directory)/class: \(n) checks"))
        #expect(grade.stdout.contains("[1/2] ada: build … ok ("))
        #expect(grade.stdout.contains("checks " + String(repeating: ".", count: n) + "\n        \(total)/\(total) points"))
        #expect(grade.stdout.contains("[2/2] bob: build … FAILED ("))
        #expect(grade.stdout.contains("        0/\(total) points — does not compile: Broken.swift:1:14: error:"))
        for file in ["gradebook.csv", "junit.xml", "gradescope/ada/results.json", "gradescope/bob/results.json"] {
            #expect(FileManager.default.fileExists(atPath: directory + "/class-grades/" + file), "\(file) missing")
        }
    }
}
