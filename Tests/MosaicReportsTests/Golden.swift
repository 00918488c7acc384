import Foundation
import XCTest

/// Compares a rendering with a committed file under `Golden/` beside this file.
/// `MOSAIC_UPDATE_GOLDEN=1 swift test --filter MosaicReportsTests` rewrites the files.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    static func check(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["MOSAIC_UPDATE_GOLDEN"] == "1" {
            XCTAssertNoThrow(try Data(actual.utf8).write(to: url), file: file, line: line)
            return
        }
        guard let data = try? Data(contentsOf: url) else {
            XCTFail("missing golden file \(url.path); run with MOSAIC_UPDATE_GOLDEN=1 to create it",
                    file: file, line: line)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return }
        let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
        let i = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
        XCTFail("""
            \(name) differs at line \(i + 1) (MOSAIC_UPDATE_GOLDEN=1 rewrites it)
              expected: \(i < e.count ? e[i] : "<end>")
              actual:   \(i < a.count ? a[i] : "<end>")
            """, file: file, line: line)
    }
}
