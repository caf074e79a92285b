import Foundation

/// `lab grade DIR`: every student folder of DIR, one after another, in one reused workspace.
public struct ClassGrader: Sendable {
    /// Grades each submission.
    public let grader: SubmissionGrader

    /// A class grader built on `grader`.
    public init(grader: SubmissionGrader) { self.grader = grader }

    /// The submission folders of `directory`: its non-hidden subdirectories, by name. A
    /// folder that holds an `exercises/` folder (a whole clone handed in) is graded there.
    public static func submissions(in directory: String) throws -> [(name: String, path: String)] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LabError(.badPath, "\(directory) is not a directory of submissions")
        }
        let names = try manager.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }.sorted()
        let folders: [(String, String)] = names.compactMap { name in
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).standardizedFileURL.path
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
            let nested = path + "/exercises"
            if manager.fileExists(atPath: nested, isDirectory: &isDirectory), isDirectory.boolValue { return (name, nested) }
            return (name, path)
        }
        guard !folders.isEmpty else {
            throw LabError(.noSubmissions, "\(directory) holds no submission folders (expected one folder per student, each a copy of exercises/)")
        }
        return folders
    }

    /// Grades every submission in `directory`. A student's build failure, crash or hang is a
    /// result, never an error: the run always reaches the last student.
    public func gradeAll(in directory: String, progress: (GradingEvent) -> Void = { _ in }) throws -> [SubmissionReport] {
        let folders = try Self.submissions(in: directory)
        var reports: [SubmissionReport] = []
        for (offset, folder) in folders.enumerated() {
            progress(.submissionStarted(name: folder.name, index: offset + 1, count: folders.count))
            reports.append(try grader.grade(submission: folder.path, name: folder.name, progress: progress))
        }
        return reports
    }
}
