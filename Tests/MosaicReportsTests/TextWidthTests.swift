import XCTest
@testable import MosaicReports

final class TextWidthTests: XCTestCase {
    func testWidths() {
        let cases: [(String, Int)] = [
            ("", 0), ("abc", 3), ("日本語", 6), ("한국어", 6), ("ｆｕｌｌ", 8),
            ("مرحبا", 5), ("שלום", 4), ("e\u{301}", 1), ("👍", 2), ("🇸🇾", 2),
            ("👩‍👩‍👧", 2), ("a\u{200B}b", 2), ("…", 1), ("Ελλάδα", 6),
        ]
        for (text, width) in cases {
            XCTAssertEqual(TextWidth.of(text), width, text)
        }
    }

    func testTruncation() {
        let cases: [(String, Int, String)] = [
            ("abcdef", 6, "abcdef"), ("abcdef", 5, "abcd…"), ("abcdef", 1, "…"), ("abcdef", 0, ""),
            ("日本語テキスト", 7, "日本語…"), ("日本語テキスト", 6, "日本…"),
            ("e\u{301}e\u{301}e\u{301}", 2, "e\u{301}…"),
        ]
        for (text, width, expected) in cases {
            let cut = TextWidth.truncated(text, to: width)
            XCTAssertEqual(cut, expected, "\(text) to \(width)")
            XCTAssertLessThanOrEqual(TextWidth.of(cut), width)
        }
    }

    func testPaddingAndSanitising() {
        XCTAssertEqual(TextWidth.padded("日本", to: 6, alignment: .right), "  日本")
        XCTAssertEqual(TextWidth.padded("ab", to: 5, alignment: .center), " ab  ")
        XCTAssertEqual(TextWidth.sanitized("a\nb\tc\r\nd"), "a↵b c↵d")
    }
}
