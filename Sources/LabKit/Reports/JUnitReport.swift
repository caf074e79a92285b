import ExerciseChecks

/// All submissions as JUnit XML: one <testsuite> per student, one <testcase> per check.
///
/// Wrong answers are <failure>s; crashes, time-outs and builds that failed are <error>s,
/// which is how CI dashboards tell "the code is wrong" from "the code could not run".
public enum JUnitReport {
    /// The whole document.
    public static func render(_ reports: [SubmissionReport]) -> String {
        let allResults = reports.flatMap(\.results)
        let totalTime = reports.reduce(Duration.zero) { $0 + $1.buildDuration + $1.checksDuration }
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<testsuites name=\"lab grade\" tests=\"\(allResults.count)\" failures=\"\(count(allResults, .failed))\" "
                + "errors=\"\(allResults.count - count(allResults, .failed) - count(allResults, .passed))\" "
                + "time=\"\(seconds(totalTime))\">",
        ]
        for report in reports {
            let failures = count(report.results, .failed)
            let errors = report.results.count - failures - count(report.results, .passed)
            lines.append("  <testsuite name=\"\(escape(report.name))\" tests=\"\(report.results.count)\" "
                         + "failures=\"\(failures)\" errors=\"\(errors)\" "
                         + "time=\"\(seconds(report.buildDuration + report.checksDuration))\">")
            lines.append("    <properties>")
            lines.append("      <property name=\"score\" value=\"\(report.earned)\"/>")
            lines.append("      <property name=\"max_score\" value=\"\(report.possible)\"/>")
            lines.append("      <property name=\"build_seconds\" value=\"\(seconds(report.buildDuration))\"/>")
            lines.append("    </properties>")
            for result in report.results {
                let time = seconds(report.checkDurations[result.id] ?? .zero)
                let open = "    <testcase classname=\"\(escape(report.name)).\(escape(result.exercise))\" "
                    + "name=\"\(escape(result.id + ": " + result.title))\" time=\"\(time)\""
                let body = escape(ResultText.details(result).joined(separator: "\n"))
                switch result.status {
                case .passed:
                    lines.append(open + "/>")
                case .failed:
                    lines.append(open + ">")
                    lines.append("      <failure type=\"failed\" message=\"expected \(escape(result.expected ?? "")), got \(escape(result.actual ?? ""))\">\(body)</failure>")
                    lines.append("    </testcase>")
                case .crashed, .timedOut, .notBuilt:
                    let message = (result.reason ?? result.status.rawValue).split(separator: "\n").first.map(String.init) ?? ""
                    lines.append(open + ">")
                    lines.append("      <error type=\"\(result.status.rawValue)\" message=\"\(escape(message))\">\(body)</error>")
                    lines.append("    </testcase>")
                }
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func count(_ results: [CheckResult], _ status: CheckStatus) -> Int {
        results.filter { $0.status == status }.count
    }

    private static func seconds(_ duration: Duration) -> String {
        let value = Format.secondsValue(duration)
        let millis = Int((value * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// XML 1.0 text/attribute escaping; control characters XML cannot carry become U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t", "\r": out += "&#\(scalar.value);"
            case _ where scalar.value < 0x20: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
