import Foundation
import MosaicGraph
import MosaicKB

/// kb data files through the parser and compiler (in memory, as `mosaic check` reads them):
/// mutated windows and whole sample files, and generated files with hostile shapes (deep
/// nesting, huge `times`, odd dates, control characters, unknown keys, alias bombs).
struct KBTarget: FuzzTarget {
    let name = "kb"
    let hangSeconds = 10.0
    let checker: KBTextCheck
    let seeds: [(path: String, bytes: [UInt8])]

    init(workspace: URL) throws {
        let kb = workspace.appendingPathComponent("kb")
        let schemaText = try String(contentsOf: kb.appendingPathComponent("schema.yaml"), encoding: .utf8)
        guard let schema = KBTextCheck.schema(schemaText).0 else { throw FuzzError("the sample schema has errors") }
        var checker = KBTextCheck(schema: schema)
        var seeds: [(String, [UInt8])] = []
        for f in try FileManager.default.contentsOfDirectory(atPath: kb.path).sorted() where f.hasSuffix(".yaml") && f != "schema.yaml" {
            let text = try String(contentsOf: kb.appendingPathComponent(f), encoding: .utf8)
            checker.declare(path: "kb/" + f, text: text)
            seeds.append(("kb/" + f, Array(text.utf8)))
        }
        self.checker = checker
        self.seeds = seeds
        self.schemaSeed = Array(schemaText.utf8)
    }
    let schemaSeed: [UInt8]

    static let tokens = ["times: ", "times: 9223372036854775807", "times: 100000000", "times: -1", "on: ", "since: ", "until: ",
                         "2025-02-30", "2025-13-01", "-99999-01-01", "99999", "2025-10-29T25:61Z", "0000-00-00", "2025-W44",
                         "grade: Z9", "grade: ", "confidence: 1e309", "confidence: -0.5", "confidence: nan", "denied: maybe",
                         "&a ", "*a", "<<: *a", "!!binary ", "!!python/object ", "? ", "- ", "[", "]", "{", "}", "'", "\"",
                         "\u{0}", "\u{1b}[2J", "\u{7f}", "\u{202e}", "\u{feff}", "\t", "\r\n", "...", "---", "%YAML 1.1\n", "|-\n", ">\n",
                         "via: [", "sources: ", "props: ", "labels: ", "unknown_key: 1", "id: ../etc/passwd", "id: ", "type: Base",
                         "type: NoSuchType", "FLEW_TO", "OPERATES", "hmeimim-air-base", "syria", "russia", "enab-2025-10-30", "null", "~"]

    func generate(_ r: inout FuzzRandom) -> [UInt8] {
        switch r.below(10) {
        case 0, 1, 2:   // a small window of a sample file, mutated
            let seed = r.pick(seeds).bytes
            let l = Mutate.lines(seed)
            let start = r.below(l.count), n = min(l.count - start, r.size(12, 40))
            var window = Array(l[start..<(start + n)])
            if r.chance(60) { window.insert(ArraySlice(Array((r.chance(50) ? "entities:" : "relations:").utf8)), at: 0) }
            return Mutate.mutate(Mutate.join(window), &r, tokens: KBTarget.tokens, others: seeds.map(\.bytes), rounds: r.size(3, 12))
        case 3, 4:      // a whole sample file, mutated
            return Mutate.mutate(r.pick(seeds).bytes, &r, tokens: KBTarget.tokens, others: seeds.map(\.bytes), rounds: r.size(4, 20))
        case 5:         // the schema, mutated (through the schema parser)
            return Array("#schema\n".utf8) + Mutate.mutate(schemaSeed, &r, tokens: KBTarget.tokens, others: [], rounds: r.size(3, 10))
        default:        // generated
            let g = Array(KBTarget.generated(&r).utf8)
            return r.chance(40) ? Mutate.mutate(g, &r, tokens: KBTarget.tokens, others: [], rounds: r.size(2, 6)) : g
        }
    }

    static let ids = ["hmeimim-air-base", "syria", "russia", "ru-heavy-cargo-1", "moscow-area", "enab-2025-10-30", "bloomberg", "x", "", "../x", "a b"]
    static let types = ["Base", "Country", "Aircraft", "Person", "Event", "Article", "NoSuch", "", "base"]
    static let relTypes = ["FLEW_TO", "OPERATES", "LOCATED_IN", "NOPE", "", "flew to"]

    static func scalar(_ r: inout FuzzRandom) -> String {
        switch r.below(16) {
        case 0: return r.pick(Mutate.interestingNumbers)
        case 1: return r.pick(["2025", "2025-10", "2025-10-29", "2025-10-29T06:00Z", "2025-02-29", "2024-02-29", "-0001-01-01", "9999-12-31", "10000-01-01", "2025-10-29T24:00Z", "0001-01-01"])
        case 2: return "\"" + String(repeating: "x", count: r.size(10, 5000)) + "\""
        case 3: return "\"\\u0000\\u001b\\t\""
        case 4: return r.pick(["true", "no", "yes", "~", "null", "''", "\"\"", ".nan", ".inf", "-.inf", "0x10", "1e3"])
        case 5: return "[" + (0..<r.size(4, 50)).map { _ in "\(r.below(1000))" }.joined(separator: ", ") + "]"
        case 6: let d = r.size(5, 3000); return String(repeating: "[", count: d) + "1" + String(repeating: "]", count: d)
        case 7: let d = r.size(5, 3000); return String(repeating: "{a: ", count: d) + "1" + String(repeating: "}", count: d)
        case 8: return "{value: \(scalar(&r)), note: n, via: \(r.pick(ids)), grade: \(r.pick(["A1", "B2", "F6", "Z", "b3"]))}"
        default: return r.pick(["air base", "Hmeimim", "Новая база", "قاعدة", "a: b", "- x", "#", "x # y"])
        }
    }

    static func generated(_ r: inout FuzzRandom) -> String {
        var out = ""
        if r.chance(30) { out += "defaults:\n  source: \(r.pick(ids))\n  grade: \(r.pick(["B2", "A1", "Q9", "", "[1]"]))\n" }
        if r.chance(10) {   // an alias bomb inside an entity
            out += "entities:\n  - id: bomb\n    type: Base\n    props:\n      a0: &a0 [x, x, x, x, x, x, x, x]\n"
            let levels = r.size(4, 12)
            for i in 1..<levels { out += "      a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 8).joined(separator: ", ") + "]\n" }
            return out
        }
        out += "entities:\n"
        for _ in 0..<r.size(3, 20) {
            out += "  - id: \(r.chance(80) ? "gen-\(r.below(50))" : r.pick(ids))\n    type: \(r.pick(types))\n"
            if r.chance(70) { out += "    name: \(scalar(&r))\n" }
            if r.chance(30) { out += "    aliases: [\(scalar(&r)), \(scalar(&r))]\n" }
            if r.chance(20) { out += "    \(r.pick(["grade", "confidence", "via", "source", "unknown", "labels"])): \(scalar(&r))\n" }
            if r.chance(50) {
                out += "    props:\n"
                for _ in 0..<r.size(3, 10) { out += "      \(r.pick(["kind", "role", "country", "since", "x", "date", "count", "name"])): \(scalar(&r))\n" }
            }
        }
        out += "relations:\n"
        for _ in 0..<r.size(4, 30) {
            var opts: [String] = []
            for _ in 0..<r.below(4) {
                let k = r.pick(["on", "since", "until", "times", "via", "grade", "confidence", "note", "denied", "source", "props", "bogus"])
                opts.append("\(k): \(k == "times" ? r.pick(["3", "0", "-2", "100000000", "9223372036854775807", "1e9", "x"]) : scalar(&r))")
            }
            let tail = opts.isEmpty ? "" : ", {" + opts.joined(separator: ", ") + "}"
            out += "  - [\(r.chance(80) ? "gen-\(r.below(50))" : r.pick(ids)), \(r.pick(relTypes)), \(r.pick(ids))\(tail)]\n"
        }
        return out
    }

    func run(_ input: [UInt8]) -> Outcome {
        let text = String(decoding: input, as: UTF8.self)
        if text.hasPrefix("#schema\n") {
            return KBTextCheck.schema(text).1.isEmpty ? .ok : .error
        }
        return checker.check(path: "kb/fuzz.yaml", text: text).diagnostics.isEmpty ? .ok : .error
    }
}

struct FuzzError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
