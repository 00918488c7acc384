import XCTest
@testable import MosaicIngest

/// Sentences: where the splitter cuts and where it does not (data-driven; texts of our own).
final class SentenceSplitterTests: XCTestCase {
    func testCuts() {
        let cases: [(String, [String])] = [
            ("The convoy left. It arrived later.", ["The convoy left.", "It arrived later."]),
            ("Gen. Brask spoke on Oct. 3 in Solvik. Then she left.", ["Gen. Brask spoke on Oct. 3 in Solvik.", "Then she left."]),
            ("Officials in the U.S. said so. Others did not.", ["Officials in the U.S. said so.", "Others did not."]),
            ("J. Novak wrote it. Was it true? “No,” she said.", ["J. Novak wrote it.", "Was it true?", "“No,” she said."]),
            ("He said “it is over.” The talks ended.", ["He said “it is over.”", "The talks ended."]),
            ("Convoy reaches port\n\nThe ships docked on 3 May. Crews rested.", ["Convoy reaches port", "The ships docked on 3 May.", "Crews rested."]),
            ("A line that wraps,\nand goes on. Next one.", ["A line that wraps,\nand goes on.", "Next one."]),
            ("version 2.5 was released. 2031 was a calm year.", ["version 2.5 was released.", "2031 was a calm year."]),
            ("", []),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(SentenceSplitter.split(text).map(\.text), expected, text)
        }
    }

    func testOffsetsAndParagraphs() {
        let text = "Título: Ḥmeimim.\n\nSecond paragraph here. And more.\n"
        let s = SentenceSplitter.split(text)
        XCTAssertEqual(s.map(\.paragraph), [0, 1, 1])
        XCTAssertEqual(s.map(\.index), [0, 1, 2])
        let bytes = Array(text.utf8)
        for x in s { XCTAssertEqual(String(decoding: bytes[x.start..<x.end], as: UTF8.self), x.text) }
    }
}
