import Foundation

/// Writes the instructor outputs of a `lab grade` run into one folder.
public enum GradeReportWriter {
    /// The files written, for the summary printed at the end of a run.
    public struct Written: Sendable, Equatable {
        /// gradebook.csv
        public var gradebook: String
        /// junit.xml
        public var junit: String
        /// gradescope/<student>/results.json, by student
        public var gradescope: [String: String]
        /// writeups/<exercise>.md, by exercise (only exercises with written questions)
        public var writeups: [String: String] = [:]
    }

    /// The writeups page of each exercise with written questions, by exercise, in catalog
    /// order: every report's answers under each question.
    public static func writeupPages(_ reports: [SubmissionReport]) -> [(exerciseID: String, markdown: String)] {
        var order: [String] = []
        var sheets: [String: WriteupSheet] = [:]
        for writeup in reports.flatMap(\.writeups) where sheets[writeup.exerciseID] == nil {
            order.append(writeup.exerciseID)
            sheets[writeup.exerciseID] = WriteupSheet(exerciseID: writeup.exerciseID, exerciseTitle: writeup.exerciseTitle,
                                                      questions: writeup.answers.map(\.question))
        }
        return order.map { id in
            let students = reports.compactMap { report in
                report.writeups.first { $0.exerciseID == id }.map { (name: report.name, writeup: $0) }
            }
            return (id, WriteupsReport.render(sheet: sheets[id]!, students: students))
        }
    }

    /// Writes gradebook.csv, junit.xml, gradescope/<name>/results.json and
    /// writeups/<exercise>.md under `directory`.
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
            var writeups: [String: String] = [:]
            for page in writeupPages(reports) {
                try manager.createDirectory(atPath: directory + "/writeups", withIntermediateDirectories: true)
                let file = directory + "/writeups/" + page.exerciseID + ".md"
                try Data(page.markdown.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
                writeups[page.exerciseID] = file
            }
            return Written(gradebook: gradebook, junit: junit, gradescope: gradescope, writeups: writeups)
        } catch {
            throw LabError(.io, "cannot write the grade reports to \(directory): \(error.localizedDescription)")
        }
    }
}
