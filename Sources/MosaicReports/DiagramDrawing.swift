import Foundation

/// Turns Graphviz DOT text into an SVG picture. The HTML renderer draws diagrams through
/// this protocol so tests can inject a drawing and machines without Graphviz still render.
public protocol DiagramDrawing: Sendable {
    /// An `<svg …>…</svg>` element for the DOT source, or an error saying what failed.
    func svg(fromDOT dot: String) throws -> String
}

/// Draws with the Graphviz `dot` program (`dot -Tsvg`).
public struct GraphvizDot: DiagramDrawing {
    public let executable: URL

    public init(executable: URL) { self.executable = executable }

    /// `dot` found on `PATH` (from `environment`), or nil when Graphviz is not installed.
    public static func onPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> GraphvizDot? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("dot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return GraphvizDot(executable: candidate)
            }
        }
        return nil
    }

    public func svg(fromDOT dot: String) throws -> String {
        let input = FileManager.default.temporaryDirectory
            .appendingPathComponent("mosaic-diagram-\(UUID().uuidString).dot")
        try Data(dot.utf8).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-Tsvg", input.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ReportsError.diagram("could not start \(executable.path): \(error.localizedDescription)")
        }
        // Drain stderr concurrently so a chatty `dot` cannot block on a full pipe.
        let errorBox = DataBox()
        let errorRead = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errorBox.data = err.fileHandleForReading.readDataToEndOfFile()
            errorRead.signal()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorRead.wait()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorBox.data, as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw ReportsError.diagram("dot exited with status \(process.terminationStatus): \(message)")
        }
        return try GraphvizDot.svgElement(String(decoding: data, as: UTF8.self))
    }

    /// The `<svg>` element of dot's output without the XML prolog, doctype and comments
    /// (they carry the Graphviz version, which would make output differ between machines).
    public static func svgElement(_ output: String) throws -> String {
        guard let start = output.range(of: "<svg") else {
            throw ReportsError.diagram("dot produced no <svg> element")
        }
        var svg = String(output[start.lowerBound...])
        while let open = svg.range(of: "<!--"),
              let close = svg.range(of: "-->", range: open.upperBound..<svg.endIndex) {
            var end = close.upperBound
            if end < svg.endIndex, svg[end] == "\n" { end = svg.index(after: end) }
            svg.removeSubrange(open.lowerBound..<end)
        }
        return svg.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

// @unchecked Sendable: `_data` only under `lock`.
private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _data = Data()
    var data: Data {
        get { lock.withLock { _data } }
        set { lock.withLock { _data = newValue } }
    }
}

/// DOT source for a diagram: left to right, rounded boxes labelled with the entity name
/// and type, derived relations dashed.
public enum DiagramDOT {
    public static func source(for diagram: Diagram) -> String {
        var lines = [
            "digraph mosaic {",
            "  graph [rankdir=LR, bgcolor=\"transparent\", fontname=\"Helvetica\"];",
            "  node [shape=box, style=\"rounded\", fontname=\"Helvetica\", fontsize=11];",
            "  edge [fontname=\"Helvetica\", fontsize=9];",
        ]
        for node in diagram.nodes {
            let label = node.type.map { "\(node.label)\n(\($0))" } ?? node.label
            lines.append("  \(quoted(node.id)) [label=\(quoted(label))];")
        }
        for edge in diagram.edges {
            var attrs = "label=\(quoted(edge.label))"
            if edge.derived { attrs += ", style=dashed" }
            lines.append("  \(quoted(edge.from)) -> \(quoted(edge.to)) [\(attrs)];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A DOT double-quoted string; a newline becomes a centred line break.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for ch in text {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n", "\r\n", "\r": out += "\\n"
            default: out.append(ch)
            }
        }
        return out + "\""
    }
}
