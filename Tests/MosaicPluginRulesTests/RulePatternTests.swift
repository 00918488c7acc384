import XCTest
@testable import MosaicPluginRules

final class RulePatternTests: XCTestCase {
    func testPatternsParse() throws {
        let cases: [(String, String)] = [
            ("MATCH (b:Base)-[l:LOCATED_IN]->(g:Governorate)-[p:PART_OF]->(c:Country)",
             "l:b-LOCATED_IN->g p:g-PART_OF->c | b:Base c:Country g:Governorate"),
            ("(x)<-[r:OPERATES|USES]-(o:Country)", "r:o-OPERATES|USES->x | o:Country"),
            ("(a:Aircraft)-[f:FLEW_TO]->(b:Base), (a)-[g:FLEW_TO]->(b)", "f:a-FLEW_TO->b g:a-FLEW_TO->b | a:Aircraft b:Base"),
        ]
        for (text, expected) in cases {
            let p = try RulePattern.parse(text)
            let edges = p.edges.map { "\($0.name):\($0.from)-\($0.types.joined(separator: "|"))->\($0.to)" }.joined(separator: " ")
            let labels = p.labels.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ")
            XCTAssertEqual("\(edges) | \(labels)", expected, text)
        }
    }

    func testMistakesAreExplained() {
        let cases: [(String, String)] = [
            ("(:Base)-[l:LOCATED_IN]->(c)", "column 2: name every node"),
            ("(b)-[:LOCATED_IN]->(c)", "column 6: name every relationship"),
            ("(b)-[l:LOCATED_IN*]->(c)", "variable-length relationships are not supported"),
            ("(b)-[l:LOCATED_IN]-(c)", "give the relationship one direction"),
            ("(b)-[l:X]->(c) WHERE l.x = 1", "write WHERE conditions as a Lua function"),
        ]
        for (text, fragment) in cases {
            XCTAssertThrowsError(try RulePattern.parse(text), text) { e in
                XCTAssertTrue("\(e)".contains(fragment), "\(text): \(e)")
            }
        }
    }
}
