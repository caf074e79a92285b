import Foundation

/// Writes the three instructor outputs of a `lab grade` run into one folder.
public enum GradeReportWriter {
    /// The files written, for the summary printed at the end of a run.
    public struct Written: Sendable, Equatable {
        /// gradebook.csv
        public var gradebook: String
        /// junit.xml
        public var junit: String
        /// gradescope/<student>/results.json, by student
        public var gradescope: [String: String]
    }

    /// Writes gradebook.csv, junit.xml and gradescope/<name>/results.json under `directory`.
    public static func write(_ reports: [SubmissionReport], to directory: String) throws -> Written {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let gradebook = directory + "/gradebook.csv"
            try Data(GradebookCSV.render(reports).utf8).write(to: URL(fileURLWithPath: gradebook), options: .atomic)
            let junit = directory + "/junit.xml"
            try Data(JUnitReport.render(reports).utf8).write(to: URL(fileURLWithPath: junit), options: .atomic)
            var gradescope: [String: String] = [:]
            for report in reports {
                let folder = directory + "/gradescope/" + report.name
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
                let file = folder + "/results.json"
                try GradescopeResults(report).encoded().write(to: URL(fileURLWithPath: file), options: .atomic)
                gradescope[report.name] = file
            }
            return Written(gradebook: gradebook, junit: junit, gradescope: gradescope)
        } catch {
            throw LabError(.io, "cannot write the grade reports to \(directory): \(error.localizedDescription)")
        }
    }
}
