import Foundation

/// Phase times of the store's long operations (bulk import, open), printed to stderr when
/// the environment sets `MOSAIC_TRACE=1`: how `scripts/bench` figures break down.
public struct PhaseTrace {
    static let enabled = ProcessInfo.processInfo.environment["MOSAIC_TRACE"] == "1"
    private let what: String
    private var last = DispatchTime.now()

    public init(_ what: String) { self.what = what }

    /// Prints the time since the previous mark (or the start) under `phase`.
    public mutating func mark(_ phase: @autoclosure () -> String) {
        guard PhaseTrace.enabled else { return }
        let phase = phase()
        let now = DispatchTime.now()
        FileHandle.standardError.write(Data(String(format: "%@: %@ %.3f s\n", what, phase,
                                                   Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9).utf8))
        last = now
    }

    /// Prints a phase timed elsewhere (a thread of a parallel decode), leaving the clock alone.
    public func report(_ phase: String, seconds: Double) {
        guard PhaseTrace.enabled else { return }
        FileHandle.standardError.write(Data(String(format: "%@:   %@ %.3f s\n", what, phase, seconds).utf8))
    }
}
