// `mosaic load`: loads kb/ into the store now (MosaicKB's loader), or with --rebuild sets a
// damaged store aside (MosaicStore) and starts again from kb/.
import ArgumentParser
import Foundation
import MosaicKB
import MosaicStore

struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Load kb/ into the store now (other commands do it when kb/ changed).")
    @OptionGroup var options: WorkspaceOptions
    @Flag(help: "Read every file again, even unchanged ones.") var force = false
    @Flag(help: "Start the store again from kb/: set the store's files aside (.mosaic/store.sqlite.set-aside-TIME…) and load kb/ into a new one. For a store that cannot be opened; what is not in kb/ (imports, plugin writes, run history) stays in the set-aside file.")
    var rebuild = false

    func run() throws {
        if rebuild {
            let root = URL(fileURLWithPath: options.workspace).standardizedFileURL
            guard FileManager.default.fileExists(atPath: root.appendingPathComponent("kb").path) else {
                throw CLIError("error: --rebuild starts again from kb/, and \(root.path) has no kb/ folder; nothing was changed")
            }
            do {
                if let moved = try Store.setAside(path: Workspace.storePath(root)) {
                    print("set the old store aside as \(moved)")
                }
            } catch {
                throw CLIError("error: cannot set the store aside: \(error.localizedDescription); nothing was changed")
            }
        }
        let ws = try options.open(loadKB: false)
        do {
            if let report = try ws.kbLoader.load(force: force || rebuild) {
                print(report.summary)
            } else {
                print("kb: up to date (transaction \(ws.store.graph.transaction))")
            }
        } catch let e as KBError {
            throw CLIError(e.description)
        } catch let e as StoreError {
            throw CLIError("error: \(e)")
        }
    }
}
