import ExerciseChecks
import Foundation

/// The instructor's gradebook: one row per student, one column per check (RFC 4180 CSV).
///
/// Columns: student, score, max_score, build, then each check's earned points under its id,
/// then `notes` (why a submission scored 0 on checks it could not run, or what the grading
/// sandbox refused).
public enum GradebookCSV {
    /// The whole file, header first, CRLF line ends as RFC 4180 says.
    public static func render(_ reports: [SubmissionReport]) -> String {
        let checkIDs = reports.first?.results.map(\.id) ?? []
        var rows = [["student", "score", "max_score", "build"] + checkIDs + ["notes"]]
        for report in reports {
            let byID = Dictionary(uniqueKeysWithValues: report.results.map { ($0.id, $0) })
            let build = report.build.succeeded ? "ok" : "failed"
            let distinctNotes = report.build.succeeded ? notes(report.results) : [report.results.first?.reason ?? "does not compile"]
            rows.append([report.name, String(report.earned), String(report.possible), build]
                        + checkIDs.map { byID[$0].map { String($0.earned) } ?? "" }
                        + [distinctNotes.joined(separator: "; ")])
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// One note per distinct reason a check could not run: "crashed: … (02.decode.a, 02.decode.b)".
    static func notes(_ results: [CheckResult]) -> [String] {
        var order: [String] = []
        var ids: [String: [String]] = [:]
        // A wrong answer has no note unless it carries a reason (what the grading sandbox refused).
        for result in results where result.status != .passed && (result.status != .failed || result.reason != nil) {
            let reason = result.reason ?? result.status.rawValue
            if ids[reason] == nil { order.append(reason) }
            ids[reason, default: []].append(result.id)
        }
        return order.map { "\($0) (\(ids[$0]!.joined(separator: ", ")))" }
    }

    /// Quotes a field when it holds a comma, quote or line break; doubles inner quotes.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
