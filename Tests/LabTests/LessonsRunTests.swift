import Foundation
import Testing
import LabKit

/// The checkout these tests were compiled from (Tests/LabTests/<file> → three levels up).
private let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// Lesson file names, listed without parsing so that a broken lesson still becomes a
/// failing test case instead of an empty argument list.
private func lessonFiles() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/lessons")) ?? []
    return names.filter { $0.hasSuffix(".md") && $0.first?.isNumber == true }.sorted()
}

@Suite("Lessons in lessons/ run as written")
struct LessonsRunTests {
    @Test("the catalog holds the lessons in order, each with runnable blocks and existing exercises")
    func catalog() throws {
        let lessons = try LessonCatalog.load(repositoryRoot: repositoryRoot)
        #expect(lessons.map(\.id) == lessonFiles().map { String($0.prefix(2)) })
        #expect(Array(lessons.map(\.id).prefix(2)) == ["01", "02"])
        for lesson in lessons {
            #expect(!lesson.blocks.isEmpty, "\(lesson.path) has no runnable blocks")
            #expect(!lesson.exerciseIDs.isEmpty, "\(lesson.path) links no exercise")
            for exercise in lesson.exerciseIDs {
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: "\(repositoryRoot)/exercises/\(exercise)", isDirectory: &isDirectory)
                #expect(exists && isDirectory.boolValue, "\(lesson.path) links exercises/\(exercise), which does not exist")
            }
        }
        #expect(lessons.first?.exerciseIDs == ["01-protocol-stack"])
    }

    @Test("relative links in lessons point at files that exist", arguments: lessonFiles())
    func links(file: String) throws {
        let markdown = try String(contentsOfFile: "\(repositoryRoot)/lessons/\(file)", encoding: .utf8)
        var rest = markdown[...]
        while let open = rest.range(of: "](") {
            let target = rest[open.upperBound...].prefix(while: { $0 != ")" && $0 != "#" && $0 != " " })
            rest = rest[open.upperBound...]
            guard !target.isEmpty, !target.contains("://") else { continue }
            let path = URL(fileURLWithPath: "\(repositoryRoot)/lessons/\(target)").standardizedFileURL.path
            #expect(FileManager.default.fileExists(atPath: path), "lessons/\(file) links \(target), which does not exist")
        }
    }

    @Test("every runnable block runs and shows what the lesson says to notice", arguments: lessonFiles())
    func runs(file: String) throws {
        let lesson = try LessonCatalog.lesson(file, repositoryRoot: repositoryRoot)
        let binaries = try #require(LessonRunner.directoryOfRunningExecutable())
        for tool in ["stun-probe", "lab"] {
            try #require(FileManager.default.isExecutableFile(atPath: "\(binaries)/\(tool)"),
                         "\(tool) is not built next to the test bundle in \(binaries): the lessons need it")
        }
        let runner = LessonRunner(repositoryRoot: repositoryRoot, executableDirectory: binaries)
        let result = try runner.run(lesson)
        #expect(result.blocks.count == lesson.blocks.count)
        for failure in result.failures {
            Issue.record(Comment(rawValue: failure))
        }
    }
}
