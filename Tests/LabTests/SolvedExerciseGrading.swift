import ExerciseChecks
import Foundation
import Testing
@testable import LabKit

extension GraderTestSupport {
    /// Grades a copy of the starters in which only `file` of exercise `exerciseID` is replaced by
    /// its reference answer, and expects exactly that exercise's `checks` to pass for its `points`,
    /// every other check failing on the starter's notImplemented.
    static func expectOnlySolvedExerciseEarns(_ exerciseID: String, file: String, checks: Int, points: Int) throws {
        let root = repositoryRoot
        let directory = try temporaryDirectory("lab-grade-\(exerciseID.prefix(2))-")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let submission = directory + "/student"
        try FileManager.default.copyItem(atPath: root + "/exercises", toPath: submission)
        let path = "/" + exerciseID + "/" + file
        try FileManager.default.removeItem(atPath: submission + path)
        try FileManager.default.copyItem(atPath: root + "/solutions" + path, toPath: submission + path)

        // One scratch workspace per exercise: the tests run in parallel and must not share one.
        let workspace = GradingWorkspace(repository: try LabRepository(root: root),
                                         directory: scratchDirectory("lab-ex\(exerciseID.prefix(2))-workspace"))
        var options = GradingOptions()
        options.checkTimeout = .seconds(5)
        let report = try SubmissionGrader(workspace: workspace, options: options).grade(submission: submission, name: "student")
        #expect(report.build == .built)
        let solved = report.results(forExercise: exerciseID)
        #expect(solved.count == checks && solved.allSatisfy(\.passed))
        #expect(report.earned == points && report.possible == CheckSuite.catalog.reduce(0) { $0 + $1.points })
        #expect(report.results.filter { $0.exercise != exerciseID }.allSatisfy {
            $0.status == .failed && $0.actual?.contains("notImplemented") == true
        })
    }
}
