import ArgumentParser
import Foundation
import MosaicStore
import MosaicKB

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bulk-import nodes and edges from CSV or JSON Lines files (one transaction).",
        discussion: """
            CSV nodes: id,type,name[,props,aliases,labels] (props a JSON object; aliases and labels separated by ';').
            CSV edges: src,dst,type[,date,source,since,until,grade,confidence,note,props].
            JSON Lines (.jsonl): one object a line with the same keys. `mosaic export --format jsonl` writes this.
            Data imported this way does not live in kb/ files; it stays until retracted.
            --format ftm: FollowTheMoney entity JSON Lines (OpenSanctions, `ftm` output), each file one dataset source.
            --format iso3166: iso-codes' iso_3166-1.json / iso_3166-2.json (countries, subdivisions; Debian: /usr/share/iso-codes/json).
            --format airports: the airportsdata CSV (airports.csv of the airportsdata package): airfields with their codes and places.
            An entity whose same_as names a record (icao:OSLK, iso3166:SY) receives it instead of a new entity.
            The mappings: docs/interop.md.
            """)
    enum Format: String, ExpressibleByArgument, CaseIterable { case auto, ftm, iso3166, airports }
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "CSV or JSONL files; nodes and edges may be given together.") var files: [String]
    @Option(help: "auto (CSV or JSON Lines by extension), ftm, iso3166 or airports.") var format: Format = .auto
    @Option(help: "The dataset name (ftm; default: the file name). Imported facts cite a source entity for it.") var dataset: String?
    @Flag(help: "One transaction per file, each reported as it commits (for long resumable imports).") var each = false

    func run() throws {
        guard !files.isEmpty else { throw CLIError.usage("name at least one file", usage: "mosaic import FILE…") }
        let ws = try options.open(strictKB: true)  // a write: not on top of a kb/ that does not load
        let start = Date()
        do {
            if format != .auto {
                for f in files {
                    let line: String
                    switch format {
                    case .ftm:
                        let r = try FtMImporter(store: ws.store).importFile(f, dataset: dataset)
                        line = "imported \(r.entities) entities and \(r.relations) relations (\(r.statements) statements) from \(f) in transaction \(r.transaction), citing \(r.dataset)"
                    case .iso3166:
                        let r = try GazetteerImporter(store: ws.store).importISO3166(f, schema: ws.kbLoader.currentSchema())
                        line = "imported \(r.created) new and \(r.linked) linked places (\(r.statements) statements) from \(f) in transaction \(r.transaction), citing \(r.dataset)"
                    case .airports:
                        let r = try AirportsImporter(store: ws.store).importFile(f)
                        for w in r.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
                        line = "imported \(r.created) new and \(r.linked) linked airfields, \(r.placed) placed in a country or subdivision (\(r.statements) statements) from \(f) in transaction \(r.transaction), citing \(r.dataset)"
                    case .auto: line = ""
                    }
                    print(line + ", \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
                }
                return
            }
            if each {
                for f in files {
                    let r = try BulkImporter(store: ws.store).importFiles([f])
                    FileHandle.standardOutput.write(Data("committed transaction \(r.transaction): \(f) (\(r.nodes) entities, \(r.relations) relations)\n".utf8))
                }
                return
            }
            let r = try BulkImporter(store: ws.store).importFiles(files)
            print("imported \(r.nodes) entities and \(r.relations) relations (\(r.statements) statements) in transaction \(r.transaction), \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
        } catch let e as StoreError {
            throw CLIError("error: \(e)")
        }
    }
}
