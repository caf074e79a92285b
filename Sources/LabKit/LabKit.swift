// LabKit: the lab's engine behind the `lab` tool.
//
// Theory of operation (grading): a submission is a folder shaped like exercises/. It is
// never built inside the lab's own package: `GradingWorkspace` keeps one scratch SwiftPM
// package (by default .build-lab/workspace, git-ignored) whose Exercises target is a clean
// copy of ONE submission's .swift files and whose other targets are copies of the repo's
// ExerciseInterfaces, ExerciseChecks and exercise-runner. Files are rewritten only when
// their bytes change, so moving from one student to the next rebuilds just their
// Exercises module and relinks the runner (seconds, not a full build).
// `SubmissionGrader` then starts the runner once per check (`exercise-runner --check ID`)
// in its own process group with a time limit, so a trap or endless loop in student code
// costs that check and nothing else. A submission that does not compile scores 0 on every
// check with the compiler's first errors as the reason; the run always continues.
// Results feed the terminal, .lab/progress.json (`lab check`), and the instructor's
// gradebook CSV, Gradescope results.json and JUnit XML (`lab grade`).
//
// Written answers (Writeups*.swift): exercises whose solution has an ANSWERS.md ask questions
// in prose. A submission's ANSWERS.md is read (bounded, never through a link) and matched to
// the repository's questions by number; `lab check` lists the empty ones, `lab grade` writes a
// writeups page per exercise (Reports/WriteupsReport.swift) and adds one manual-grading test
// per question to results.json. They never change the checks' points.
//
// Lessons (Sources/LabKit/Lessons) are a separate part of this module: runnable markdown.
