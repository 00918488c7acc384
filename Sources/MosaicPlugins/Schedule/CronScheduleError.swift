import Foundation

/// A cron expression that does not parse: the field, the column (1-based, in the
/// expression as written) and what is wrong, e.g. "minute field: 61 is out of range 0–59".
public struct CronScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    public let expression: String
    /// `minute`, `hour`, `day-of-month`, `month`, `day-of-week`; nil for the whole expression.
    public let field: String?
    /// 1-based column of the offending text; 0 when the position is not in the expression.
    public let column: Int
    public let detail: String

    public init(expression: String, field: String?, column: Int, message: String) {
        self.expression = expression
        self.field = field
        self.column = column
        self.detail = message
    }

    /// The problem in words, prefixed by its field: "minute field: 61 is out of range 0–59".
    public var message: String { field.map { "\($0) field: \(detail)" } ?? detail }

    public var description: String {
        let at = column > 0 ? ", column \(column)" : ""
        return "cron '\(expression)'\(at): \(message)"
    }
}
