import ExerciseChecks
import Foundation
import Testing
@testable import LabKit
#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket on 127.0.0.1 (port 0: the kernel picks), to see whether anyone
/// connected to it.
private final class LoopbackListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0, "socket: \(String(cString: strerror(errno)))")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        if !bound { close(fd) }
        try #require(bound, "bind/listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        self.fd = fd
        port = in_port_t(bigEndian: address.sin_port)
    }

    /// Connections that reached the listen queue (accepting them empties it).
    func acceptedCount() -> Int {
        var count = 0
        while true {
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { return count }
            close(connection)
            count += 1
        }
    }

    deinit { close(fd) }
}

@Suite("Sandboxed grading")
struct SandboxGradingTests {
    @Test("the command line of a check: namespaces, limits, and only the runner, system and Swift runtime in view")
    func commandLine() throws {
        let sandbox = try Sandbox.prepare()
        let line = sandbox.command(program: "/somewhere/workspace/.build/debug/exercise-runner", arguments: ["--check", "03.candidate.host"])
        let joined = line.joined(separator: " ")
        for option in ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
                       "--new-session", "--clearenv", "--proc /proc", "--dev /dev", "--tmpfs /tmp", "--remount-ro /"] {
            #expect(joined.contains(option), "missing \(option) in \(joined)")
        }
        #expect(joined.contains("--ro-bind /somewhere/workspace/.build/debug/exercise-runner /grading/exercise-runner"))
        #expect(joined.hasSuffix("--as=1073741824 --nproc=64 --fsize=67108864 --core=0 -- /grading/exercise-runner --check 03.candidate.host"))
        // Nothing writable from the host, and nothing of the repository or of a home folder.
        #expect(!line.contains("--bind") && !line.contains("--dev-bind"))
        let exposed = line.indices.filter { line[$0] == "--ro-bind" || line[$0] == "--ro-bind-try" }.map { line[$0 + 1] }
        #expect(exposed.allSatisfy { !$0.hasPrefix(GraderTestSupport.repositoryRoot) && !$0.hasPrefix("/home") && !$0.hasPrefix("/root") })
        if geteuid() == 0 {
            #expect(joined.contains("/grading/.setpriv --reuid="), "as root each check must drop to a fresh uid")
        } else {
            #expect(joined.contains("--unshare-user --cap-drop ALL"))
        }
    }

    @Test("no bwrap in PATH is a typed error naming the fix, never an unsandboxed run")
    func missingBubblewrap() throws {
        #expect(throws: SandboxError.self) { try Sandbox.prepare(environment: ["PATH": "/nonexistent-bin"]) }
        do {
            _ = try Sandbox.prepare(environment: ["PATH": "/nonexistent-bin"])
            Issue.record("a jail was prepared without bwrap")
        } catch {
            // `prepare` throws only SandboxError (typed throws), so `error` is one.
            #expect(error.kind == .bubblewrapMissing)
            #expect(error.description.contains("bubblewrap (bwrap) is not installed") && error.description.contains("--no-sandbox"))
        }
    }

    @Test("what the sandbox refused is named from how the check ended and what it said")
    func refusalWords() {
        let limits = SandboxLimits()
        func outcome(_ termination: ChildTermination, stderr: String = "", processes: Int? = nil, overflow: Bool = false) -> ChildOutcome {
            ChildOutcome(stdout: "", stderr: stderr, termination: termination, duration: .zero,
                         stoppedAtOutputLimit: overflow, processesAtTimeout: processes)
        }
        #expect(SandboxRefusal.explain(outcome(.exited(128 + SIGXFSZ)), limits: limits)?.contains("the file size limit (64 MiB)") == true)
        #expect(SandboxRefusal.explain(outcome(.signalled(SIGKILL), overflow: true), limits: limits) == "refused by the sandbox: output over 256 KiB: stopped")
        #expect(SandboxRefusal.explain(outcome(.timedOut(.seconds(5)), processes: 66), limits: limits)?.contains("the process limit (fork bomb?): 64 processes, still running") == true)
        #expect(SandboxRefusal.explain(outcome(.timedOut(.seconds(5)), processes: 3), limits: limits) == nil, "an endless loop is not a fork bomb")
        #expect(SandboxRefusal.explain(outcome(.exited(0), stderr: "connect 127.0.0.1:9: Connection refused\n"), limits: limits)
                == "refused: no network in grading (stderr: connect 127.0.0.1:9: Connection refused)")
        #expect(SandboxRefusal.explain(outcome(.exited(0), stderr: "open /x/y: No such file or directory"), limits: limits)?
                    .hasPrefix("refused by the sandbox: a file outside the check's view") == true)
        #expect(SandboxRefusal.explain(outcome(.signalled(SIGILL), stderr: "Fatal error: boom"), limits: limits) == nil)
        // What Swift's runtime prints when RLIMIT_AS refuses an allocation (seen in the jail: exit 128 + SIGABRT).
        #expect(SandboxRefusal.explain(outcome(.exited(134), stderr: "Fatal error: failed to allocate 67108896 bytes of memory with alignment 8\n"),
                                       limits: limits)?.hasPrefix("refused by the sandbox: the memory limit (1024 MiB of address space)") == true)
    }

    @Test("a class with six hostile submissions: each fails what it touched, is named in the gradebook, and the honest get full marks")
    func hostileClass() throws {
        let sandbox = try Sandbox.prepare()
        let root = GraderTestSupport.repositoryRoot
        let directory = try GraderTestSupport.temporaryDirectory("lab-sandbox-")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let submissions = directory + "/class"
        let manager = FileManager.default
        try manager.createDirectory(atPath: submissions, withIntermediateDirectories: true)
        for honest in ["ada", "zoe"] {
            try manager.copyItem(atPath: root + "/solutions", toPath: submissions + "/" + honest)
        }
        let listener = try LoopbackListener()
        let classmate = submissions + "/ada/\(HostileSubmissions.exerciseID)/\(HostileSubmissions.file)"
        let acts = [
            HostileSubmissions.reader(classmateFile: classmate, repositoryFile: root + "/Package.swift"),
            HostileSubmissions.socket(port: listener.port),
            HostileSubmissions.forkBomb,
            HostileSubmissions.diskFill,
            HostileSubmissions.chatter,
            HostileSubmissions.forger,
        ]
        for act in acts {
            try HostileSubmissions.write(act, to: submissions + "/" + act.name, repository: root)
        }

        var options = GradingOptions()
        options.exercises = [HostileSubmissions.exerciseID]
        // Generous for the honest checks under double load; each fork-bombing check costs this much.
        options.checkTimeout = .seconds(5)
        options.parallelChecks = 2
        options.sandbox = sandbox
        let workspace = GradingWorkspace(repository: try LabRepository(root: root),
                                         directory: GraderTestSupport.scratchDirectory("lab-sandbox-workspace"))
        let clock = ContinuousClock()
        let begin = clock.now
        let reports = try ClassGrader(grader: SubmissionGrader(workspace: workspace, options: options)).gradeAll(in: submissions)
        print("sandboxed grading: \(reports.count) submissions in \(Format.seconds(begin.duration(to: clock.now)))")

        // The grader's machine is still usable: it can start a process.
        let after = try ChildProcess.run(["true"], environment: ProcessInfo.processInfo.environment, timeout: .seconds(30))
        #expect(after.termination == .exited(0))
        #expect(listener.acceptedCount() == 0, "a sandboxed check reached the grader's loopback")

        let checks = CheckSuite.catalog.filter { $0.exerciseID == HostileSubmissions.exerciseID }
        let total = checks.reduce(0) { $0 + $1.points }
        let lost = checks.filter { HostileSubmissions.affectedChecks.contains($0.id) }.reduce(0) { $0 + $1.points }
        #expect(lost > 0 && lost < total)
        let byName = Dictionary(uniqueKeysWithValues: reports.map { ($0.name, $0) })
        for honest in ["ada", "zoe"] {
            let report = try #require(byName[honest])
            #expect(report.build == .built && report.earned == total && report.possible == total, "\(honest): \(report.results)")
        }
        let expectations: [(name: String, status: CheckStatus, words: String)] = [
            ("reader", .failed, "refused by the sandbox: a file outside the check's view"),
            ("socket", .failed, "refused: no network in grading (stderr: connect 127.0.0.1:\(listener.port): Connection refused)"),
            ("forkbomb", .timedOut, "refused by the sandbox: the process limit (fork bomb?)"),
            ("diskfill", .crashed, "refused by the sandbox: the file size limit (64 MiB)"),
            ("chatter", .crashed, "refused by the sandbox: output over 256 KiB: stopped"),
            ("forger", .failed, "forged result: the output has a result line without the grader's seal"),
        ]
        for expected in expectations {
            let report = try #require(byName[expected.name])
            #expect(report.build == .built, "\(expected.name) did not build: \(report.build)")
            let failing = report.results.filter { !$0.passed }
            let affected = report.results.filter { HostileSubmissions.affectedChecks.contains($0.id) }
            #expect(affected.count == HostileSubmissions.affectedChecks.count && affected.allSatisfy { !$0.passed })
            if expected.name == "forkbomb" {
                // Its other checks may share the cores with 64 spinning processes when they run
                // beside a bombing one (--jobs 2); under load one of them may time out too.
                #expect(report.earned <= total - lost)
            } else {
                #expect(failing.map(\.id) == HostileSubmissions.affectedChecks, "\(expected.name): \(failing.map(\.id))")
                #expect(report.earned == total - lost)
            }
            for result in affected {
                #expect(result.status == expected.status, "\(expected.name) \(result.id): \(result.status) \(result.reason ?? "")")
                #expect(result.reason?.contains(expected.words) == true, "\(expected.name) \(result.id): \(result.reason ?? "no reason")")
            }
        }

        let written = try GradeReportWriter.write(reports, to: directory + "/grades")
        let csv = try String(contentsOfFile: written.gradebook, encoding: .utf8).components(separatedBy: "\r\n")
        print("sandboxed grading gradebook:\n" + csv.joined(separator: "\n"))
        for expected in expectations {
            let row = try #require(csv.first { $0.hasPrefix(expected.name + ",") })
            #expect(row.hasPrefix("\(expected.name),") && row.contains(",\(total),ok,"))
            #expect(row.contains(expected.words), "gradebook row of \(expected.name): \(row)")
        }
        #expect(csv.contains { $0.hasPrefix("ada,\(total),\(total),ok,") && $0.hasSuffix(",") })
        let junit = try String(contentsOfFile: written.junit, encoding: .utf8)
        #expect(junit.contains("refused by the sandbox: the process limit (fork bomb?)"))
        let chatter = try String(contentsOfFile: try #require(written.gradescope["chatter"]), encoding: .utf8)
        #expect(chatter.contains("output over 256 KiB: stopped"))
    }
}
