// .html ingest: the article text libxml2's parser gives (navigation, scripts and the like
// dropped, <article>/<main> preferred, paragraphs kept, entities decoded), the head's
// metadata, bad input, and mentions whose offsets point into the extracted text. The pages
// are small hand-written fixtures of invented events.
import XCTest
@testable import MosaicIngest

final class HTMLExtractorTests: ScratchFolderTestCase {
    static let page = """
    <!DOCTYPE html>
    <html lang="en-GB">
    <head>
      <meta charset="utf-8">
      <title>Ferry link to Port Irrin reopens | The Coastline Courier</title>
      <meta property="og:title" content="Ferry link to Port Irrin reopens">
      <meta property="og:site_name" content="The Coastline Courier">
      <meta property="article:published_time" content="2031-04-02T07:15:00+00:00">
      <meta name="author" content="Mara Quell">
      <link rel="canonical" href="https://courier.example/ferry-port-irrin">
      <style>p { color: red }</style>
      <script>var tracking = "Port Irrin analytics";</script>
    </head>
    <body>
      <header><a href="/">The Coastline Courier</a> <nav><a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
      <aside class="promo">Subscribe to the Courier &amp; never miss a tide table.</aside>
      <article>
        <h1>Ferry link to Port&nbsp;Irrin reopens</h1>
        <p>The <b>Velorian</b> coast guard said on Tuesday that the ferry
           between Saltmere and   Port Irrin would resume &ndash; after six weeks &amp; two storms.</p>
        <p>Captain Ilsa Varn&eacute; told reporters: &#8220;The channel is clear.&#8221;<br>Crossings start at dawn.</p>
        <script>document.write("not article text")</script>
        <noscript>Enable JavaScript to read the comments.</noscript>
        <ul><li>Saltmere: 06:00</li><li>Port Irrin: 08:30</li></ul>
        <form><label>Comment</label><textarea>spam</textarea></form>
      </article>
      <footer>© 2031 The Coastline Courier. All rights reserved.</footer>
    </body>
    </html>
    """

    func testArticleTextAndMetadata() throws {
        let d = try DocumentReader.read(path: write("ferry.html", Self.page))
        XCTAssertEqual(d.format, .html)
        XCTAssertEqual(d.text, """
        Ferry link to Port Irrin reopens

        The Velorian coast guard said on Tuesday that the ferry between Saltmere and Port Irrin would resume – after six weeks & two storms.

        Captain Ilsa Varné told reporters: “The channel is clear.”
        Crossings start at dawn.

        Saltmere: 06:00

        Port Irrin: 08:30
        """)
        XCTAssertEqual(d.metadata.title, "Ferry link to Port Irrin reopens", "og:title wins over <title>")
        XCTAssertEqual(d.metadata.publisher, "The Coastline Courier", "og:site_name")
        XCTAssertEqual(d.metadata.date, "2031-04-02", "the date part of article:published_time")
        XCTAssertEqual(d.metadata.url, "https://courier.example/ferry-port-irrin")
        XCTAssertEqual(d.metadata.language, "en-GB")
        XCTAssertEqual(d.bodyOffset, 0)
    }

    func testFlagsOverrideTheHead() throws {
        let d = try DocumentReader.read(path: write("ferry.html", Self.page),
                                        overrides: DocumentMetadata(publisher: "coastline-courier", date: "2031-04-03"))
        XCTAssertEqual(d.metadata.publisher, "coastline-courier")
        XCTAssertEqual(d.metadata.date, "2031-04-03")
        XCTAssertEqual(d.metadata.title, "Ferry link to Port Irrin reopens")
    }

    func testMainThenBodyAndTheHeadFallbacks() throws {
        let main = """
        <html><head><title>Harbour dues rise</title><meta name="author" content="Saltmere Ledger">
        <meta name="date" content="2031-05"></head>
        <body><nav>Home | News</nav><div class="sidebar">Most read</div>
        <main><h2>Harbour dues rise</h2><div>Dues at Saltmere rise by a tenth.</div></main></body></html>
        """
        let d = try DocumentReader.read(path: write("main.html", main))
        XCTAssertEqual(d.text, "Harbour dues rise\n\nDues at Saltmere rise by a tenth.", "<main> only: the sidebar is outside it")
        XCTAssertEqual(d.metadata.title, "Harbour dues rise")
        XCTAssertEqual(d.metadata.publisher, "Saltmere Ledger", "the author when nothing names a publisher")
        XCTAssertEqual(d.metadata.date, "2031-05")
        XCTAssertNil(d.metadata.url)

        let body = "<p>One line.</p><div>Two <i>lines</i>.</div><pre>  kept\n  as is</pre>"
        let b = try DocumentReader.read(path: write("body.htm", body))
        XCTAssertEqual(b.text, "One line.\n\nTwo lines.\n\n  kept\n  as is")
        XCTAssertNil(b.metadata.title)
    }

    func testBrokenMarkupStillGivesText() throws {
        let broken = "<html><body><p>Unclosed <b>bold paragraph<p>Second one</div></span><p>Third &amp; last &bogus; <a href=x>link"
        let d = try DocumentReader.read(path: write("broken.html", broken))
        XCTAssertEqual(d.text, "Unclosed bold paragraph\n\nSecond one\n\nThird & last &bogus; link")
    }

    func testNoTextIsEmpty() {
        let p = write("blank.html", "<html><head><title>Only a title</title><script>x()</script></head><body><nav>Menu</nav>  <!-- nothing --> </body></html>")
        XCTAssertThrowsError(try DocumentReader.read(path: p)) { e in
            XCTAssertEqual(e as? IngestError, .empty(path: p))
            XCTAssertTrue("\(e)".contains("for HTML, no article text"), "\(e)")
        }
    }

    func testDeclaredCharsetAndEncodingErrors() throws {
        // Latin-1 bytes with a declared charset: libxml2 converts them.
        let latin = Array("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf".utf8) + [0xE9] + Array(" du port</p></body></html>".utf8)
        XCTAssertEqual(try DocumentReader.read(path: write("latin.html", latin)).text, "Café du port")
        // Without one, the file is refused as a text file would be.
        let p = write("nocharset.html", Array("<p>Caf".utf8) + [0xE9] + Array("</p>".utf8))
        XCTAssertThrowsError(try DocumentReader.read(path: p)) { e in
            guard case .encoding(_, let reason)? = e as? IngestError else { return XCTFail("\(e)") }
            XCTAssertTrue(reason.contains("offset 6"), reason)
        }
        // NUL bytes: binary, before any parsing.
        XCTAssertThrowsError(try DocumentReader.read(path: write("nul.html", [0x3C, 0x70, 0x3E, 0x00, 0x41]))) { e in
            guard case .binary? = e as? IngestError else { return XCTFail("\(e)") }
        }
    }

    func testMentionOffsetsPointIntoTheExtractedText() throws {
        let d = try DocumentReader.read(path: write("ferry.html", Self.page))
        let g = Gazetteer(entities: [
            (.init(id: "port-irrin", type: "City"), ["Port Irrin"]),
            (.init(id: "saltmere", type: "City"), ["Saltmere"]),
            (.init(id: "ilsa-varne", type: "Person", isPerson: true), ["Ilsa Varné"]),
        ])
        let ms = Linker(gazetteer: g).link(d.text).filter { $0.kind == .name }
        let utf8 = Array(d.text.utf8)
        XCTAssertEqual(ms.map { $0.entity ?? "?" }, ["port-irrin", "saltmere", "port-irrin", "ilsa-varne", "saltmere", "port-irrin"])
        for m in ms { XCTAssertEqual(String(decoding: utf8[m.start..<m.end], as: UTF8.self), m.text) }
    }
}
