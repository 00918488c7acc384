import ArgumentParser
import Foundation
import MosaicStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bulk-import nodes and edges from CSV or JSON Lines files (one transaction).",
        discussion: """
            CSV nodes: id,type,name[,props,aliases,labels] (props a JSON object; aliases and labels separated by ';').
            CSV edges: src,dst,type[,date,source,since,until,grade,confidence,note,props].
            JSON Lines (.jsonl): one object a line with the same keys. `mosaic export --format jsonl` writes this.
            Data imported this way does not live in kb/ files; it stays until retracted.
            """)
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "CSV or JSONL files; nodes and edges may be given together.") var files: [String]
    @Flag(help: "One transaction per file, each reported as it commits (for long resumable imports).") var each = false

    func run() throws {
        guard !files.isEmpty else { throw CLIError.usage("name at least one file", usage: "mosaic import FILE…") }
        let ws = try options.open(strictKB: true)  // a write: not on top of a kb/ that does not load
        let start = Date()
        do {
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
