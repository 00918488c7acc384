import Foundation

/// The one error type of MosaicSchedule: a cron expression that does not parse, or a
/// scheduler asked to act before a slot that already ran.
public enum ScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A cron expression that does not parse: the field (`minute`, `hour`, `day-of-month`,
    /// `month`, `day-of-week`; nil for the whole expression), the 1-based column of the
    /// offending text (0 when the position is not in the expression) and what is wrong,
    /// e.g. "61 is out of range 0–59".
    case cron(expression: String, field: String?, column: Int, detail: String)
    /// The scheduler was asked to act at `requested`, before the slot of a run that already
    /// ran (the clock went back, or `--now` names the past).
    case clockWentBack(requested: Date, lastSlot: Date)

    /// The column of a cron error's offending text (0 when not in the expression or not a
    /// cron error).
    public var column: Int {
        if case .cron(_, _, let column, _) = self { return column }
        return 0
    }

    /// The problem in words; for a cron error prefixed by its field: "minute field: 61 is
    /// out of range 0–59".
    public var message: String {
        switch self {
        case .cron(_, let field, _, let detail):
            return field.map { "\($0) field: \(detail)" } ?? detail
        case .clockWentBack(let requested, let lastSlot):
            let f = ISO8601DateFormatter()
            return "\(f.string(from: requested)) is earlier than the last scheduled run (slot \(f.string(from: lastSlot))); "
                + "the clock went back? --force acts at it anyway (slots that already ran are still not run again)"
        }
    }

    public var description: String {
        switch self {
        case .cron(let expression, _, let column, _):
            let at = column > 0 ? ", column \(column)" : ""
            return "cron '\(expression)'\(at): \(message)"
        case .clockWentBack:
            return message
        }
    }
}
