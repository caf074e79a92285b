import Foundation
import Testing
@testable import LabKit

@Suite("Child processes")
struct ChildProcessTests {
    private let environment = ProcessInfo.processInfo.environment

    @Test("captures stdout and stderr apart, and the exit status")
    func captures() throws {
        let outcome = try ChildProcess.run(["sh", "-c", "echo out; echo err >&2; exit 3"], environment: environment, timeout: .seconds(10))
        #expect(outcome.stdout == "out\n")
        #expect(outcome.stderr == "err\n")
        #expect(outcome.termination == .exited(3))
    }

    @Test("a program still open for writing (ETXTBSY) is started once the writer lets go")
    func busyProgram() throws {
        let directory = try GraderTestSupport.temporaryDirectory("lab-busy-program-")
        let path = directory + "/busy.sh"
        // A writer holds the script open, as a child spawned while it was being written
        // would: exec fails with ETXTBSY until the descriptor closes, 100 ms later.
        // O_CLOEXEC: without it, a child that a test running beside this one spawns
        // meanwhile would inherit the descriptor and keep the script busy for its life.
        let writer = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        try #require(writer >= 0)
        let script = Array("#!/bin/sh\necho started\n".utf8)
        #expect(script.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } == script.count)
        // Held throughout: the retries run out and the run fails, naming the cause.
        let refused = #expect(throws: LabError.self) {
            try ChildProcess.run([path], environment: environment, timeout: .seconds(1))
        }
        #expect("\(refused.map { "\($0)" } ?? "")".contains(String(cString: strerror(ETXTBSY))))
        // Let go 100 ms into the next run: it starts the script.
        let releaser = Thread { usleep(100_000); close(writer) }
        releaser.start()
        let outcome = try ChildProcess.run([path], environment: environment, timeout: .seconds(10))
        #expect(outcome.termination == .exited(0), "\(outcome.stderr)")
        #expect(outcome.stdout == "started\n")
    }

    @Test("kills a process that outlives its time limit, with everything it started")
    func timesOut() throws {
        let started = ContinuousClock.now
        let outcome = try ChildProcess.run(["sh", "-c", "sleep 30 & echo started; wait"], environment: environment,
                                           timeout: .milliseconds(300))
        #expect(outcome.termination == .timedOut(.milliseconds(300)))
        #expect(outcome.stdout == "started\n")
        // The child sleeps 30 s: well under that shows the kill, whatever the machine's load.
        #expect(started.duration(to: .now) < .seconds(25))
    }

    @Test("reports a signal death, and keeps the head and the tail of a flood")
    func signalAndLimit() throws {
        let killed = try ChildProcess.run(["sh", "-c", "kill -ILL $$"], environment: environment, timeout: .seconds(10))
        #expect(killed.termination == .signalled(SIGILL))
        #expect(killed.termination.description.contains("SIGILL"))
        let flood = try ChildProcess.run(["sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x; echo; echo last line"],
                                         environment: environment, timeout: .seconds(10), outputLimit: 1000)
        let kept = String(repeating: "x", count: 1000) + "\n[… \(100_001 - 1000 - 16384 + 10) bytes not kept]\n"
        #expect(flood.stdout.hasPrefix(kept))
        #expect(flood.stdout.hasSuffix("x\nlast line\n"))
        #expect(flood.stdout.count == kept.count + 16384)
    }

    @Test("a program that does not exist is a readable error, not a crash")
    func missingProgram() {
        #expect(throws: LabError.self) {
            _ = try ChildProcess.run(["/nonexistent/program"], environment: environment, timeout: .seconds(1))
        }
    }
}
