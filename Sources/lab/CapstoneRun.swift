import ArgumentParser
import Foundation
import LabKit

/// `lab check capstone`: build datachannel-chat with the student's code and run its echo
/// client, every piece of theirs swapped in, against headless Chromium.
struct CapstoneRun {
    let repository: LabRepository
    let scratchPath: String?

    func run() throws {
        let runs = ToolRuns(builder: ToolBuilder(repository: repository, scratchPath: scratchPath))
        emit("Capstone: datachannel-chat echo --use-exercise against headless Chromium, every piece of yours at once.")
        emit("Building datachannel-chat with your code… ", terminator: "")
        let build = runs.builder.build(ToolRunPlan.echoChromium.tool)
        guard build.succeeded else {
            emit("FAILED after \(Format.seconds(build.duration)):")
            emit(build.errors.map { "  " + $0 }.joined(separator: "\n"))
            throw ExitCode.failure
        }
        emit("built in \(Format.seconds(build.duration)).")
        emit("Starting Chromium's echo server and running the echo (a minute at most)…")
        let result = Capstone.judge(runs.runner.run(.echoChromium))
        emit("\n\(result.passed ? "PASS" : "FAIL") capstone: \(result.summary)")
        emit("  ran: \(result.command)")
        emit("  peer: \(result.peer)")
        emit("  echo steps passed: \(result.steps.passed) of \(result.steps.total)")
        emit("  pieces in the stack:")
        for piece in result.pieces { emit("    \(piece.id): \(piece.ran)") }
        if !result.passed {
            if let exit = result.exit { emit("  the tool ended with \(exit); its last lines:") }
            emit(result.outputTail.map { "    | " + $0 }.joined(separator: "\n"))
            throw ExitCode.failure
        }
    }
}
