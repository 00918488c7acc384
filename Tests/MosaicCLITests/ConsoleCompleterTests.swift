import XCTest
@testable import MosaicCLI

final class ConsoleCompleterTests: XCTestCase {
    static let vocabulary = StaticVocabulary(
        labels: ["Base", "Country", "Person", "Air Unit"],
        relationTypes: ["OPERATES", "LOCATED_IN", "MET_WITH", "FLEW_TO"],
        propertyKeys: ["name", "status", "opened", "aliases"],
        entityIDs: ["hmeimim-air-base", "tartus-naval-base", "russia"],
        entityNames: ["Hmeimim Air Base", "Tartus Naval Facility", "Russia"],
        pluginNames: ["syria_bases", "co_location"],
        reportNames: ["daily", "weekly"],
        luaNames: ["kb.find", "kb.entity", "kb.query", "print", "string.format"],
        functions: ["count", "toUpper", "toString", "duration", "duration.between", "duration.inDays", "date.truncate", "db.labels", "db.propertyKeys"])

    /// Line with `|` marking the cursor, the context, the prefix and the candidates.
    static let queryCases: [(String, CompletionResult.Context, String, [String])] = [
        (":sh|", .metaCommand, ":sh", [":show"]),
        (":|", .metaCommand, ":", ConsoleCompleter.metaCommands.sorted()),
        ("  :P|", .metaCommand, ":P", [":params", ":plugins", ":profile"]),
        (":run sy|", .plugin, "sy", ["syria_bases"]),
        (":brief |", .report, "", ["daily", "weekly"]),
        (":show hm|", .entityID, "hm", ["hmeimim-air-base"]),
        (":why t|", .entityID, "t", ["tartus-naval-base"]),
        (":timing o|", .option, "o", ["off", "on"]),
        (":format j|", .option, "j", ["json"]),
        (":help sc|", .metaCommand, "sc", ["schema"]),
        (":explain MATCH (n:B|", .label, "B", ["Base"]),
        ("MAT|", .keyword, "MAT", ["MATCH"]),
        ("mat|", .keyword, "mat", ["match"]),
        ("MATCH (n) RE|", .keyword, "RE", ["REMOVE", "RETURN"]),
        ("MATCH (n:|", .label, "", ["`Air Unit`", "Base", "Country", "Person"]),
        ("MATCH (n:Co|", .label, "Co", ["Country"]),
        ("MATCH (n:co|", .label, "co", ["Country"]),
        ("MATCH (a)-[r:OP|", .relationType, "OP", ["OPERATES"]),
        ("MATCH (a)-[:|", .relationType, "", ["FLEW_TO", "LOCATED_IN", "MET_WITH", "OPERATES"]),
        ("MATCH (a)-[:OPERATES|F|", .relationType, "F", ["FLEW_TO"]),
        ("MATCH (n) WHERE n.st|", .propertyKey, "st", ["status"]),
        ("MATCH (n {|", .propertyKey, "", ["aliases", "name", "opened", "status"]),
        ("MATCH (n {name: 'x', op|", .propertyKey, "op", ["opened"]),
        ("MATCH (n {name: |", .none, "", []),
        ("MATCH (n {name: 'Hm|", .entity, "Hm", ["Hmeimim Air Base", "hmeimim-air-base"]),
        ("MATCH (n) WHERE n.id = \"ru|", .entity, "ru", ["Russia", "russia"]),
        ("MATCH (n:`Ai|", .label, "Ai", ["Air Unit"]),
        ("RETURN 1.5|", .none, "5", []),
        ("MATCH (n) WHERE n:Ba|", .label, "Ba", ["Base"]),
        ("RETURN 'a:b' + x.na|", .propertyKey, "na", ["name"]),
        ("MATCH (n) // comment 'hm|", .keyword, "hm", []),
        ("RETURN toU|", .keyword, "toU", ["toUpper"]),
        ("RETURN co|", .keyword, "co", ["contains", "count"]),
        ("RETURN dur|", .keyword, "dur", ["duration", "duration.between", "duration.inDays"]),
        ("RETURN duration.in|", .function, "in", ["inDays"]),
        ("RETURN Duration.|", .function, "", ["between", "inDays"]),
        ("CALL db.l|", .function, "l", ["labels"]),
        ("MATCH (d) RETURN d.na|", .propertyKey, "na", ["name"]),
    ]

    func testQueryCompletion() {
        let completer = ConsoleCompleter(vocabulary: Self.vocabulary)
        for (typed, context, prefix, candidates) in Self.queryCases {
            let (line, cursor) = Self.split(typed)
            let r = completer.complete(line: line, cursor: cursor)
            XCTAssertEqual(r.context, context, typed)
            XCTAssertEqual(r.prefix, prefix, typed)
            XCTAssertEqual(r.candidates, candidates, typed)
            XCTAssertEqual(r.start + prefix.unicodeScalars.count, cursor, typed)
        }
    }

    func testCursorInTheMiddleOnlyLooksBehind() {
        let completer = ConsoleCompleter(vocabulary: Self.vocabulary)
        let (line, cursor) = Self.split("MATCH (n:Ba|) RETURN n")
        let r = completer.complete(line: line, cursor: cursor)
        XCTAssertEqual(r.candidates, ["Base"])
        XCTAssertEqual(r.start, 9)
    }

    func testNonASCIIOffsetsCountScalars() {
        let vocabulary = StaticVocabulary(propertyKeys: ["名前", "name"])
        let completer = ConsoleCompleter(vocabulary: vocabulary)
        let (line, cursor) = Self.split("MATCH (n {名|")
        let r = completer.complete(line: line, cursor: cursor)
        XCTAssertEqual(r.candidates, ["名前"])
        XCTAssertEqual(r.start, 10)
    }

    static let luaCases: [(String, String, [String])] = [
        ("kb.|", "kb.", ["kb.entity", "kb.find", "kb.query"]),
        ("local x = kb.f|", "kb.f", ["kb.find"]),
        ("pr|", "pr", ["print"]),
        ("kb:q|", "kb:q", ["kb:query"]),
        ("kb.entity('hm|", "hm", ["Hmeimim Air Base", "hmeimim-air-base"]),
        (":cy|", ":cy", [":cypher"]),
    ]

    func testLuaCompletion() {
        let completer = ConsoleCompleter(vocabulary: Self.vocabulary, mode: .lua)
        for (typed, prefix, candidates) in Self.luaCases {
            let (line, cursor) = Self.split(typed)
            let r = completer.complete(line: line, cursor: cursor)
            XCTAssertEqual(r.prefix, prefix, typed)
            XCTAssertEqual(r.candidates, candidates, typed)
        }
    }

    func testCommonPrefix() {
        let cases: [([String], String, String)] = [
            (["OPERATES"], "OP", "OPERATES"), ([":params", ":plugins", ":profile"], ":p", ":p"),
            (["kb.entity", "kb.find"], "kb.", "kb."), ([], "x", "x"), (["status", "statement"], "s", "stat"),
        ]
        for (candidates, prefix, expected) in cases {
            let r = CompletionResult(context: .keyword, start: 0, prefix: prefix, candidates: candidates)
            XCTAssertEqual(r.commonPrefix, expected, "\(candidates)")
        }
    }

    static func split(_ typed: String) -> (String, Int) {
        guard let bar = typed.lastIndex(of: "|") else { return (typed, typed.unicodeScalars.count) }
        var line = typed
        line.remove(at: bar)
        return (line, typed[..<bar].unicodeScalars.count)
    }
}
