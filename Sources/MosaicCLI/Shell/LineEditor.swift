import CEditline
import Foundation

/// Reads lines for the console: libedit (line editing, persistent history, reverse search
/// with Ctrl-R, Tab completion) on a terminal, plain standard input otherwise.
final class LineEditor {
    /// Completion: given the whole line and the word being completed, the candidates.
    typealias Completer = (_ line: String, _ word: String, _ wordStart: Int) -> [String]

    enum Input { case line(String), interrupted, end }

    let interactive: Bool
    private let historyPath: String?

    /// The active completer. Process-wide because libedit's completion hook is a C function
    /// pointer, which cannot capture context (and libedit keeps one hook per process). What
    /// protects it: `init` sets it before the first prompt, and libedit calls the hook only
    /// from inside `readline`, on the thread that reads; one console reads at a time.
    nonisolated(unsafe) static var completer: Completer?
    /// Set to 1 by the SIGINT handler, a C function pointer that cannot capture context (and
    /// signal dispositions are process-wide anyway); read and cleared by whoever is waiting:
    /// the prompt, and the cancellation checks of a running query or plugin (the Lua watchdog
    /// polls it). What protects it: it is a `sig_atomic_t`, the one type a handler may write,
    /// and it only ever goes 0 → 1 (handler) and 1 → 0 (the reader, before it waits again).
    nonisolated(unsafe) static var interruptFlag: sig_atomic_t = 0

    init(interactive: Bool, historyPath: String?, completer: Completer?) {
        self.interactive = interactive
        self.historyPath = historyPath
        LineEditor.completer = completer
        guard interactive else { return }
        mosaic_rl_set_catch_signals(0)
        mosaic_rl_set_word_breaks(LineEditor.wordBreaks)
        mosaic_rl_set_completion { text, start, _ in
            mosaic_rl_set_completion_over(1)
            guard let completer = LineEditor.completer else { return nil }
            let line = mosaic_rl_line_buffer().map { String(cString: $0) } ?? ""
            let word = text.map { String(cString: $0) } ?? ""
            let candidates = completer(line, word, Int(start))
            guard !candidates.isEmpty else { return nil }
            // readline's convention: [common prefix, candidates…, NULL], all malloc'd.
            let common = LineEditor.commonPrefix(candidates)
            let out = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: candidates.count + 2)
            out[0] = strdup(common)
            for (i, c) in candidates.enumerated() { out[i + 1] = strdup(c) }
            out[candidates.count + 1] = nil
            mosaic_rl_set_append_character(candidates.count == 1 && !candidates[0].hasSuffix("(") ? 32 : 0)
            return out
        }
        stifle_history(2000)
        if let historyPath { read_history(historyPath) }
        LineEditor.installInterruptHandler()
    }

    static func installInterruptHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in LineEditor.interruptFlag = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: a blocking read returns, so Ctrl-C reaches the prompt
        sigaction(SIGINT, &action, nil)
    }

    /// Reads one line; `.interrupted` on Ctrl-C, `.end` on Ctrl-D or end of input.
    func read(prompt: String) -> Input {
        guard interactive else {
            guard let line = Swift.readLine(strippingNewline: true) else { return .end }
            return .line(line)
        }
        LineEditor.interruptFlag = 0
        guard let raw = readline(prompt) else {
            if LineEditor.interruptFlag != 0 {
                LineEditor.interruptFlag = 0
                return .interrupted
            }
            return .end
        }
        defer { free(raw) }
        return .line(String(cString: raw))
    }

    /// Adds a statement (possibly several lines) to the history and saves it.
    func remember(_ entry: String) {
        guard interactive, !entry.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        add_history(entry)
        if let historyPath {
            write_history(historyPath)
        }
    }

    /// Word breaks for completion: `:` and `.` stay inside words (`:show`, `n.name`).
    /// nonisolated(unsafe) because a C pointer is not Sendable: libedit keeps the pointer
    /// (a process-wide C setting) after the call, so it is allocated once, never written and
    /// never freed.
    nonisolated(unsafe) static let wordBreaks: UnsafePointer<CChar> = UnsafePointer(strdup(" \t\n\"'`@$><=;|&{(,[)]}+-*/%")!)

    static func commonPrefix(_ items: [String]) -> String {
        guard var prefix = items.first else { return "" }
        for s in items.dropFirst() {
            while !s.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
