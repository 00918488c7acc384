import Foundation

/// The subset of Gherkin the openCypher TCK uses: Feature, Background, Scenario,
/// Scenario Outline with Examples, steps with doc strings and tables.
struct GherkinStep {
    var keyword: String
    var text: String
    var docString: String?
    var table: [[String]]?
}

struct GherkinScenario {
    /// "folder/File.feature" relative to the features root.
    var file: String
    var name: String
    /// Index of the Examples row for outlines (nil for plain scenarios).
    var example: Int?
    var steps: [GherkinStep]
    var line: Int
    var id: String { "\(file) \(name)" + (example.map { " #\($0 + 1)" } ?? "") }
    var folder: String { (file as NSString).deletingLastPathComponent }
}

enum Gherkin {
    static func splitRow(_ line: String) -> [String] {
        var t = line.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("|") else { return [] }
        t.removeFirst()
        var cells: [String] = []
        var cur = ""
        var it = t.makeIterator()
        while let c = it.next() {
            if c == "\\" {
                if let n = it.next() {
                    if n == "|" || n == "\\" { cur.append(n) } else { cur.append("\\"); cur.append(n) }
                }
            } else if c == "|" {
                cells.append(cur.trimmingCharacters(in: .whitespaces)); cur = ""
            } else { cur.append(c) }
        }
        return cells
    }

    static func parse(_ text: String, file: String) -> [GherkinScenario] {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        var background: [GherkinStep] = []
        var scenarios: [GherkinScenario] = []
        var current: (name: String, outline: Bool, steps: [GherkinStep], line: Int)? = nil
        var examples: [[String]] = []
        var inBackground = false
        var inExamples = false
        var i = 0

        func flush() {
            guard let c = current else { return }
            if c.outline {
                guard examples.count > 1 else { current = nil; return }
                let header = examples[0]
                for (k, row) in examples.dropFirst().enumerated() {
                    func sub(_ s: String) -> String {
                        var out = s
                        for (h, v) in zip(header, row) { out = out.replacingOccurrences(of: "<\(h)>", with: v) }
                        return out
                    }
                    let steps = (background + c.steps).map { st in
                        GherkinStep(keyword: st.keyword, text: sub(st.text), docString: st.docString.map(sub), table: st.table.map { $0.map { $0.map(sub) } })
                    }
                    scenarios.append(GherkinScenario(file: file, name: c.name, example: k, steps: steps, line: c.line))
                }
            } else {
                scenarios.append(GherkinScenario(file: file, name: c.name, example: nil, steps: background + c.steps, line: c.line))
            }
            current = nil; examples = []
        }

        while i < lines.count {
            let raw = lines[i]
            let line = raw.trimmingCharacters(in: .whitespaces)
            i += 1
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("@") { continue }
            if line.hasPrefix("Feature:") { continue }
            if line.hasPrefix("Background:") { inBackground = true; continue }
            if line.hasPrefix("Scenario Outline:") || line.hasPrefix("Scenario Template:") {
                flush(); inBackground = false; inExamples = false
                current = (String(line.drop { $0 != ":" }.dropFirst()).trimmingCharacters(in: .whitespaces), true, [], i)
                continue
            }
            if line.hasPrefix("Scenario:") {
                flush(); inBackground = false; inExamples = false
                current = (String(line.dropFirst("Scenario:".count)).trimmingCharacters(in: .whitespaces), false, [], i)
                continue
            }
            if line.hasPrefix("Examples:") || line.hasPrefix("Scenarios:") {
                inExamples = true
                // a later Examples block repeats the header: drop it
                if !examples.isEmpty, i < lines.count, splitRow(lines[i]) == examples[0] { i += 1 }
                continue
            }
            if line.hasPrefix("|") {
                let row = splitRow(line)
                if inExamples { examples.append(row); continue }
                if inBackground {
                    if background.isEmpty { continue }
                    background[background.count - 1].table = (background.last!.table ?? []) + [row]
                } else if current != nil, !current!.steps.isEmpty {
                    current!.steps[current!.steps.count - 1].table = (current!.steps.last!.table ?? []) + [row]
                }
                continue
            }
            if line.hasPrefix("\"\"\"") {
                let indent = raw.prefix { $0 == " " }.count
                var doc: [String] = []
                while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("\"\"\"") {
                    let l = lines[i]
                    let drop = min(indent, l.prefix { $0 == " " }.count)
                    doc.append(String(l.dropFirst(drop)))
                    i += 1
                }
                i += 1
                let d = doc.joined(separator: "\n")
                if inBackground { if !background.isEmpty { background[background.count - 1].docString = d } }
                else if current != nil, !current!.steps.isEmpty { current!.steps[current!.steps.count - 1].docString = d }
                continue
            }
            for kw in ["Given", "When", "Then", "And", "But"] where line.hasPrefix(kw + " ") {
                let step = GherkinStep(keyword: kw, text: String(line.dropFirst(kw.count + 1)), docString: nil, table: nil)
                if inBackground { background.append(step) } else { current?.steps.append(step) }
            }
        }
        flush()
        return scenarios
    }
}
