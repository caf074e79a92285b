// lab: the student's and instructor's entry point to the WebRTC lab.
//
// Thin by design: every decision lives in LabKit (grading, workspaces, reports, lessons);
// this target only parses arguments and prints. Errors are LabError values
// whose description is one sentence, which ArgumentParser prints as "Error: …".
import ArgumentParser
import Foundation
import LabKit

@main
struct Lab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "The WebRTC lab: lessons, exercises, checks, hints and grading.",
        discussion: """
            Run `lab` alone to see the lessons and your progress on the exercises.

            Students:
              lab lesson 01     read lesson 01 (add --run to run its commands)
              lab check 02      build your exercises/, check exercise 02, run its tool
              lab check capstone    your pieces together, against Chromium
              lab hint 02       reveal the next hint of exercise 02
            Some exercises also ask questions in prose: answer them in the exercise's
            ANSWERS.md, under each "## Qn" heading. `lab check` lists the empty ones; your
            instructor scores them.
            Instructors:
              lab grade DIR     grade each student folder of DIR (copies of exercises/), and
                                collect the written answers (writeups/<exercise>.md)

            The repository is found from the current directory, or given with --root.
            """,
        subcommands: [ListCommand.self, LessonsCommand.self, CheckCommand.self, HintCommand.self, GradeCommand.self],
        defaultSubcommand: ListCommand.self)
}

/// Prints and flushes, so progress shows up even when stdout is a pipe.
func emit(_ text: String, terminator: String = "\n") {
    print(text, terminator: terminator)
    fflush(nil)
}

/// Seconds given on the command line as a `Duration`, rejecting nonsense.
func seconds(_ value: Double, _ option: String) throws -> Duration {
    guard value > 0, value.isFinite else { throw ValidationError("\(option) must be a positive number of seconds") }
    return .milliseconds(Int64(value * 1000))
}
