import XCTest
@testable import MosaicCLI

final class ConsoleStatementSplitterTests: XCTestCase {
    /// Lines typed in turn; after each, the statements it completes ("|" between them) and
    /// whether the continuation prompt shows.
    static let queryCases: [(String, [(String, String, Bool)])] = [
        ("one line", [("MATCH (n) RETURN n;", "MATCH (n) RETURN n", false)]),
        ("two on a line", [("RETURN 1; RETURN 2;", "RETURN 1|RETURN 2", false)]),
        ("empty statements dropped", [(";; RETURN 1 ;", "RETURN 1", false)]),
        ("statement then start of next", [("RETURN 1; MATCH (n)", "RETURN 1", true), ("RETURN n;", "MATCH (n)\nRETURN n", false)]),
        ("ends at an empty line", [("MATCH (n)", "", true), ("RETURN n", "", true), ("", "MATCH (n)\nRETURN n", false)]),
        ("empty line inside brackets", [("MATCH (n {", "", true), ("", "", true), ("name: 'x'})", "", true),
                                        ("RETURN n;", "MATCH (n {\n\nname: 'x'})\nRETURN n", false)]),
        ("semicolon in string", [("RETURN 'a;b'", "", true), (";", "RETURN 'a;b'", false)]),
        ("open string across lines", [("RETURN 'a", "", true), ("", "", true), ("b';", "RETURN 'a\n\nb'", false)]),
        ("escaped quote", [(#"RETURN "say \"x;\"";"#, #"RETURN "say \"x;\"""#, false)]),
        ("backtick name", [("MATCH (n:`a;b`) RETURN n;", "MATCH (n:`a;b`) RETURN n", false)]),
        ("semicolon in brackets", [("RETURN [1;", "", true), ("2];", "RETURN [1;\n2]", false)]),
        ("line comment", [("RETURN 1 // not; here", "", true), (";", "RETURN 1 // not; here", false)]),
        ("block comment", [("RETURN 1 /* a;", "", true), ("", "", true), ("b */;", "RETURN 1 /* a;\n\nb */", false)]),
        ("relationship dashes", [("MATCH (a)--(b) RETURN a;", "MATCH (a)--(b) RETURN a", false)]),
        ("meta-command", [(":schema", ":schema", false), ("  :show hmeimim  ", ":show hmeimim", false)]),
        ("colon inside a statement", [("MATCH (n", "", true), (":Base) RETURN n;", "MATCH (n\n:Base) RETURN n", false)]),
        ("blank lines alone", [("", "", false), ("   ", "", false)]),
    ]

    func testQuerySplitting() {
        for (name, steps) in Self.queryCases {
            var splitter = StatementSplitter()
            for (line, expected, continuing) in steps {
                let got = splitter.feed(line).joined(separator: "|")
                XCTAssertEqual(got, expected, "\(name): after \(line.debugDescription)")
                XCTAssertEqual(splitter.isContinuing, continuing, "\(name): continuing after \(line.debugDescription)")
            }
        }
    }

    func testOpenConstructForThePrompt() {
        let cases: [(String, String?)] = [
            ("MATCH (n", "("), ("RETURN 'a", "'"), ("RETURN \"a", "\""), ("MATCH (n:`we", "`"),
            ("RETURN [1, {a: 2", "{"), ("RETURN 1 /* x", "/*"), ("MATCH (n)", nil),
        ]
        for (text, marker) in cases {
            var splitter = StatementSplitter()
            _ = splitter.feed(text)
            XCTAssertEqual(splitter.openConstruct?.marker, marker, text)
        }
    }

    func testFinishAndReset() {
        var splitter = StatementSplitter()
        _ = splitter.feed("MATCH (n)")
        XCTAssertEqual(splitter.finish(), "MATCH (n)")
        XCTAssertFalse(splitter.isContinuing)
        _ = splitter.feed("RETURN (")
        splitter.reset()
        XCTAssertNil(splitter.finish())
    }

    /// Lua chunks typed line by line with the lexical heuristic: (line, emitted, continuing).
    static let luaCases: [(String, [(String, String, Bool)])] = [
        ("expression", [("1 + 2", "1 + 2", false)]),
        ("function", [("function f(x)", "", true), ("  return x", "", true), ("end", "function f(x)\n  return x\nend", false)]),
        ("while do", [("while true do", "", true), ("break end", "while true do\nbreak end", false)]),
        ("if elseif", [("if a then b() elseif c then", "", true), ("d() end", "if a then b() elseif c then\nd() end", false)]),
        ("repeat", [("repeat x = x + 1", "", true), ("until x > 3", "repeat x = x + 1\nuntil x > 3", false)]),
        ("table", [("t = {", "", true), ("1, 2,", "", true), ("}", "t = {\n1, 2,\n}", false)]),
        ("trailing operator", [("x = 1 +", "", true), ("2", "x = 1 +\n2", false)]),
        ("long string", [("s = [==[ a", "", true), ("]] still ]==]", "s = [==[ a\n]] still ]==]", false)]),
        ("long comment", [("--[[ note", "", true), ("end ]] x = 1", "--[[ note\nend ]] x = 1", false)]),
        ("keyword in string and comment", [("print('end') -- do", "print('end') -- do", false)]),
        ("field named end", [("t.end_ = 1; print(t.function)", "print", false)]),
        ("meta-command", [(":cypher", ":cypher", false)]),
    ]

    func testLuaHeuristic() {
        for (name, steps) in Self.luaCases {
            var splitter = StatementSplitter(language: .lua)
            for (line, expected, continuing) in steps {
                let got = splitter.feed(line).joined(separator: "|")
                if name == "field named end" {
                    XCTAssertTrue(got.hasPrefix("t.end_"), "\(name): \(got)")
                } else {
                    XCTAssertEqual(got, expected, "\(name): after \(line.debugDescription)")
                }
                XCTAssertEqual(splitter.isContinuing, continuing, "\(name): continuing after \(line.debugDescription)")
            }
        }
    }

    func testLuaHookDecides() {
        // A stand-in for the runtime: complete when the text has a matching number of "<" and ">".
        let hook: @Sendable (String) -> Bool = { text in
            text.filter { $0 == "<" }.count == text.filter { $0 == ">" }.count
        }
        var splitter = StatementSplitter(language: .lua, luaIsComplete: hook)
        XCTAssertEqual(splitter.feed("a <"), [])
        XCTAssertTrue(splitter.isContinuing)
        XCTAssertEqual(splitter.feed("function >"), ["a <\nfunction >"])
        XCTAssertFalse(splitter.isContinuing)
    }
}
