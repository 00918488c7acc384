import Foundation

/// The console's query hook.
enum QueryConsoleGlue {
    static func install() {
        ConsoleGlue.extend.append { ws, e in
            let memory = (try? WorkspaceConfig.load(ws.root))?.queryMemoryMegabytes
            e.query = { text, params, graph, mode, timeout in
                var q = text
                if mode == .explain { q = "EXPLAIN " + text }
                if mode == .profile { q = "PROFILE " + text }
                LineEditor.interruptFlag = 0
                let outcome = try QueryRunner(workspace: ws).run(
                    q, parameters: params, graph: graph, readOnly: graph.transaction != ws.store.graph.transaction,
                    origin: .console(session: String(getpid())), timeout: timeout, memoryMegabytes: memory,
                    isCancelled: { LineEditor.interruptFlag != 0 })
                var table = outcome.table
                if let tx = outcome.transaction {
                    table.columns = table.columns.isEmpty ? ["written"] : table.columns
                    FileHandle.standardError.write(Data("wrote \(outcome.changes) statement change\(outcome.changes == 1 ? "" : "s") in transaction \(tx)\n".utf8))
                }
                return table
            }
        }
    }
}
