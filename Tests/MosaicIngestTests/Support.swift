import Foundation
import XCTest
@testable import MosaicIngest

/// The test fixtures' folder.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
/// The repository (for kb/) and the shared folder beside it (for the seed article).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The fictional corpus KB (Fixtures/corpus/entities.tsv) as a gazetteer.
func corpusGazetteer() throws -> Gazetteer {
    let text = try String(contentsOf: fixtures.appendingPathComponent("corpus/entities.tsv"), encoding: .utf8)
    var list: [(Gazetteer.Entity, [String])] = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        let f = line.split(separator: "\t").map(String.init)
        guard f.count == 3 else { continue }
        list.append((Gazetteer.Entity(id: f[0], type: f[1], isPerson: f[1] == "Person", isCountry: f[1] == "Country"),
                     f[2].split(separator: "|").map(String.init)))
    }
    return Gazetteer(entities: list)
}

/// The UTF-8 byte span of the `n`-th occurrence (from 0) of `needle` in `text`.
func span(of needle: String, occurrence n: Int, in text: String) -> (Int, Int)? {
    let hay = Array(text.utf8), nd = Array(needle.utf8)
    guard !nd.isEmpty, hay.count >= nd.count else { return nil }
    var seen = 0
    for i in 0...(hay.count - nd.count) where hay[i] == nd[0] && Array(hay[i..<(i + nd.count)]) == nd {
        if seen == n { return (i, i + nd.count) }
        seen += 1
    }
    return nil
}

/// A short description of what a mention links to, in the expected files' notation.
func outcome(_ m: Mention) -> String {
    switch m.kind {
    case .new: return "new:\(m.newEntityType ?? "?")"
    case .nearMiss: return "near:" + (m.entity ?? m.candidates.joined(separator: ","))
    case .partial where m.entity != nil: return "partial:\(m.entity!)"
    default: return m.entity ?? "ambiguous:" + m.candidates.joined(separator: ",")
    }
}

func dateValue(_ d: DateMention) -> String {
    guard let f = d.from else { return "nil" }
    if d.precision == .range, let t = d.to { return "\(f)/\(t)" }
    return f.description
}

/// A test case with a scratch folder of its own (`dir`) and helpers to write files into it.
class ScratchFolderTestCase: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ingest-\(type(of: self))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let p = dir.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }
    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }
}
