import Foundation

/// Finds and parses the lessons of a repository checkout.
public enum LessonCatalog {
    /// Every `lessons/NN-*.md` under `repositoryRoot`, parsed, in file-name order.
    /// Throws the first authoring error found: a broken lesson must not be skipped.
    public static func load(repositoryRoot: String) throws -> [Lesson] {
        let directory = (repositoryRoot as NSString).appendingPathComponent("lessons")
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw LabError(.missingLessons, "cannot read \(directory): is \(repositoryRoot) the lab's repository root?")
        }
        let lessonFiles = names.filter { name in
            name.hasSuffix(".md") && name.count > 3
                && name.prefix(2).allSatisfy { $0.isASCII && $0.isNumber }
                && name.dropFirst(2).first == "-"
        }.sorted()
        return try lessonFiles.map { name in
            let path = "lessons/" + name
            let absolute = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: absolute),
                  let markdown = String(data: data, encoding: .utf8) else {
                throw LabError(.missingLessons, "cannot read \(absolute) as UTF-8 text")
            }
            return try LessonParser.parse(markdown: markdown, path: path)
        }
    }

    /// The lesson named by `query`: its number (`"2"`, `"02"`), its file name with or
    /// without `.md`, or its path.
    public static func lesson(_ query: String, repositoryRoot: String) throws -> Lesson {
        let lessons = try load(repositoryRoot: repositoryRoot)
        let wanted = query.hasPrefix("lessons/") ? String(query.dropFirst("lessons/".count)) : query
        if let match = lessons.first(where: { lesson in
            lesson.fileName == wanted || lesson.fileName == wanted + ".md"
                || lesson.id == wanted || (Int(wanted).map { Int(lesson.id) == $0 } ?? false)
        }) {
            return match
        }
        let known = lessons.map { "\($0.id) (\($0.fileName))" }.joined(separator: ", ")
        throw LabError(.unknownLesson, "no lesson '\(query)'; known lessons: \(known.isEmpty ? "none" : known)")
    }
}

extension LessonRunner {
    /// The directory holding the running executable (`/proc/self/exe` on Linux, else
    /// `argv[0]`): the build directory where `lab`, `stun-probe` and the test bundle live
    /// side by side, whatever `--scratch-path` was used.
    public static func directoryOfRunningExecutable() -> String? {
        #if os(Linux)
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return (resolved as NSString).deletingLastPathComponent
        }
        #endif
        guard let first = CommandLine.arguments.first, first.contains("/") else { return nil }
        let absolute = first.hasPrefix("/") ? first
            : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(first)
        return ((absolute as NSString).standardizingPath as NSString).deletingLastPathComponent
    }
}
