// Lessons report failures through the module's one error type, `LabError`, with codes
// of their own. Authoring mistakes (`.malformedLesson`) carry the file and line so the
// author can fix them; lookup mistakes by the user (`.unknownLesson`) list what exists.

extension LabError.Code {
    /// The markdown breaks the runnable-lesson convention (see lessons/README.md).
    public static let malformedLesson = LabError.Code("malformed-lesson")
    /// No `lessons/` directory, or a lesson file could not be read.
    public static let missingLessons = LabError.Code("missing-lessons")
    /// The user asked for a lesson that does not exist.
    public static let unknownLesson = LabError.Code("unknown-lesson")
}

extension LabError {
    static func malformedLesson(_ path: String, line: Int, _ why: String) -> LabError {
        LabError(.malformedLesson, "\(path):\(line): \(why)")
    }
}
