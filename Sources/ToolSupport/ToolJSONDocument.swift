import Foundation

/// A tool's --json report. The tools share one style, so a script reading several of
/// them meets the same layout: pretty-printed, keys sorted and in snake_case.
public protocol ToolJSONDocument: Encodable {}

extension ToolJSONDocument {
    /// The document as printed; a one-line failure object in the unlikely case that it
    /// cannot be encoded (a non-finite Double), so --json always prints JSON.
    public var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(self) else { return "{\"ok\": false, \"error\": \"cannot encode the report\"}" }
        return String(decoding: data, as: UTF8.self)
    }
}
