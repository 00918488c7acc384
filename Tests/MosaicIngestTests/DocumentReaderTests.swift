import XCTest
@testable import MosaicIngest

final class DocumentReaderTests: ScratchFolderTestCase {
    func error(_ body: () throws -> Document) -> IngestError? {
        do { _ = try body(); return nil } catch let e as IngestError { return e } catch { return nil }
    }

    func testFrontMatterAndFlags() throws {
        let p = write("a.md", "---\ntitle: Drills resume\npublisher: The Coastline Courier\ndate: 2031-03-12\nreliability: c\ntags: [navy]\n---\nBody text.\n")
        let d = try DocumentReader.read(path: p, overrides: DocumentMetadata(publisher: "meridian-wire"))
        XCTAssertEqual(d.metadata.title, "Drills resume")
        XCTAssertEqual(d.metadata.publisher, "meridian-wire", "a flag overrides the front matter")
        XCTAssertEqual(d.metadata.date, "2031-03-12")
        XCTAssertEqual(d.metadata.reliability, "C")
        XCTAssertEqual(d.text, "Body text.\n")
        XCTAssertEqual(d.bodyOffset, p.isEmpty ? 0 : Array(try String(contentsOfFile: p, encoding: .utf8).utf8).count - "Body text.\n".utf8.count)
        XCTAssertEqual(d.hash.count, 64)
    }

    func testPlainTextKeepsEverything() throws {
        let d = try DocumentReader.read(path: write("a.txt", "\u{FEFF}Title line\n\nBody.\n"))
        XCTAssertEqual(d.text, "Title line\n\nBody.\n")
        XCTAssertEqual(d.bodyOffset, 3, "the byte order mark is not part of the text")
    }

    func testBadInputIsAClearError() throws {
        XCTAssertEqual(error { try DocumentReader.read(path: write("e.txt", "")) }, .empty(path: dir.appendingPathComponent("e.txt").path))
        XCTAssertEqual(error { try DocumentReader.read(path: write("w.txt", "  \n\t\n")) }, .empty(path: dir.appendingPathComponent("w.txt").path))
        guard case .binary? = error({ try DocumentReader.read(path: write("b.txt", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46])) }) else { return XCTFail("NUL bytes") }
        guard case .encoding(_, let latin)? = error({ try DocumentReader.read(path: write("l.txt", Array("caf".utf8) + [0xE9, 0x20] + Array("au lait".utf8))) }) else { return XCTFail("Latin-1") }
        XCTAssertTrue(latin.contains("offset 3"), latin)
        guard case .encoding(_, let utf16)? = error({ try DocumentReader.read(path: write("u.txt", [0xFF, 0xFE, 0x41, 0x00])) }) else { return XCTFail("UTF-16") }
        XCTAssertTrue(utf16.contains("UTF-16"))
        guard case .encoding? = error({ try DocumentReader.read(path: write("u2.txt", Array("Hello world".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })) }) else { return XCTFail("UTF-16 without a BOM") }
        let big = write("big.txt", [UInt8](repeating: 0x61, count: 2_001))
        XCTAssertEqual(error { try DocumentReader.read(path: big, sizeLimit: 2_000) }, .tooLarge(path: big, bytes: 2_001, limit: 2_000))
        guard case .unsupported? = error({ try DocumentReader.read(path: write("p.pdf", "%PDF-1.7")) }) else { return XCTFail("pdf") }
        guard case .unreadable? = error({ try DocumentReader.read(path: dir.appendingPathComponent("missing.txt").path) }) else { return XCTFail("missing") }
    }

    func testBrokenFrontMatterNamesItsLine() throws {
        let p = write("f.md", "---\ntitle: ok\ndate: [2031-03-12\nurl: x\n---\nBody\n")
        guard case .frontMatter(_, let line, _)? = error({ try DocumentReader.read(path: p) }) else { return XCTFail("broken YAML") }
        XCTAssertTrue((3...5).contains(line), "line \(line)")
        guard case .frontMatter(_, 3, let m)? = error({ try DocumentReader.read(path: write("d.md", "---\ntitle: ok\ndate: 30 Oct\n---\nBody\n")) }) else { return XCTFail("bad date") }
        XCTAssertTrue(m.contains("not a date"))
        guard case .frontMatter(_, 1, _)? = error({ try DocumentReader.read(path: write("o.md", "---\ntitle: never closed\nBody\n")) }) else { return XCTFail("unclosed") }
        guard case .frontMatter(_, 2, _)? = error({ try DocumentReader.read(path: write("r.md", "---\n- a list\n---\nBody\n")) }) else { return XCTFail("not a mapping") }
        guard case .empty? = error({ try DocumentReader.read(path: write("only.md", "---\ntitle: x\n---\n\n")) }) else { return XCTFail("front matter only") }
        guard case .invalidMetadata? = error({ try DocumentReader.read(path: write("g.txt", "Body"), overrides: DocumentMetadata(reliability: "G")) }) else { return XCTFail("reliability") }
    }
}
