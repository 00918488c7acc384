import Foundation
import XCTest

/// `kill -9` during imports, at random moments: the store must open, pass
/// `PRAGMA integrity_check`, and hold every transaction reported committed before the kill.
final class CrashSafetyTests: XCTestCase {
    func testKillNineDuringImportLosesNothingCommitted() throws {
        let bin = MosaicBinary.url
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // 40 files of 300 entities each, with relations to the previous file's entities.
        var files: [String] = []
        for f in 0..<40 {
            var csv = "id,type,name,props\n"
            for i in 0..<300 { csv += "E\(f)-\(i),Thing,Thing \(f) \(i),\"{\"\"n\"\":\(i)}\"\n" }
            let nodes = dir.appendingPathComponent("n\(f).csv")
            try csv.write(to: nodes, atomically: true, encoding: .utf8)
            files.append(nodes.path)
        }
        var rng = SystemRandomNumberGenerator()
        var totalSeen = 0
        for round in 0..<6 {
            let ws = dir.appendingPathComponent("ws\(round)")
            try FileManager.default.createDirectory(at: ws, withIntermediateDirectories: true)
            let p = Process()
            p.executableURL = bin
            p.arguments = ["import", "--workspace", ws.path, "--each"] + files
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 20_000...400_000, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let committed = printed.split(separator: "\n").filter { $0.hasPrefix("committed transaction") }.count
            totalSeen += committed
            // Reopen with the CLI itself: stats must work and count at least what was committed.
            let check = Process()
            check.executableURL = bin
            check.arguments = ["stats", "--workspace", ws.path, "--json"]
            let cout = Pipe()
            check.standardOutput = cout
            try check.run()
            check.waitUntilExit()
            XCTAssertEqual(check.terminationStatus, 0, "store did not reopen after kill in round \(round)")
            let stats = String(decoding: cout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let entities = Int(stats.split(separator: "\n").first { $0.contains("\"entities\"") }?
                .split(separator: ":").last?.trimmingCharacters(in: CharacterSet(charactersIn: " ,")) ?? "") ?? -1
            XCTAssertGreaterThanOrEqual(entities, committed * 300, "round \(round): committed \(committed) files")
            XCTAssertEqual(entities % 300, 0, "round \(round): a partial transaction is visible")
            let sqlite = Process()
            sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            sqlite.arguments = ["sqlite3", ws.appendingPathComponent(".mosaic/store.sqlite").path, "PRAGMA integrity_check;"]
            let sout = Pipe()
            sqlite.standardOutput = sout
            if (try? sqlite.run()) != nil {
                sqlite.waitUntilExit()
                let verdict = String(decoding: sout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                XCTAssertEqual(verdict.trimmingCharacters(in: .whitespacesAndNewlines), "ok")
            }
        }
        XCTAssertGreaterThan(totalSeen, 0, "no import committed before any kill: the test proves nothing")
    }

    /// `kill -9` during one import into a new store (the rollback-journal path,
    /// Store+FreshImport.swift): the store opens with all of the import or none of it, passes
    /// `PRAGMA integrity_check`, is back in WAL mode, and its rollback journal is gone.
    func testKillNineDuringAFreshImportLeavesAllOrNothing() throws {
        let bin = MosaicBinary.url
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-freshcrash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let total = 20_000
        var nodes = "id,type,name,props\n", edges = "src,dst,type,date\n"
        for i in 0..<total { nodes += "E\(i),Thing,Thing \(i),\"{\"\"n\"\":\(i)}\"\n" }
        for i in 0..<(3 * total) { edges += "E\(i % total),E\((i * 7 + 3) % total),NEAR,20\(10 + i % 15)-0\(i % 9 + 1)\n" }
        let files = try [("nodes.csv", nodes), ("edges.csv", edges)].map { name, text in
            let url = dir.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        func run(_ args: [String]) throws -> (status: Int32, out: String) {
            args[0] == "sqlite3" ? try MosaicBinary.capture(URL(fileURLWithPath: "/usr/bin/env"), args)
                                 : try MosaicBinary.capture(bin, Array(args.dropFirst()))
        }
        var rng = SystemRandomNumberGenerator()
        var outcomes: [Int] = []
        for round in 0..<5 {
            let ws = dir.appendingPathComponent("ws\(round)")
            try FileManager.default.createDirectory(at: ws, withIntermediateDirectories: true)
            try MosaicBinary.killNine(["import", "--workspace", ws.path] + files, after: 300_000...3_000_000, using: &rng)
            let stats = try run(["mosaic", "stats", "--workspace", ws.path, "--json"])
            XCTAssertEqual(stats.status, 0, "round \(round): the store did not reopen after the kill")
            let entities = Int(stats.out.split(separator: "\n").first { $0.contains("\"entities\"") }?
                .split(separator: ":").last?.trimmingCharacters(in: CharacterSet(charactersIn: " ,")) ?? "") ?? -1
            XCTAssertTrue(entities == 0 || entities == total, "round \(round): \(entities) entities, a partial import")
            outcomes.append(entities)
            let db = ws.appendingPathComponent(".mosaic/store.sqlite").path
            XCTAssertFalse(FileManager.default.fileExists(atPath: db + "-journal"), "round \(round): the journal was not rolled back")
            if let check = try? run(["sqlite3", db, "PRAGMA integrity_check; PRAGMA journal_mode;"]), check.status == 0 {
                XCTAssertEqual(check.out.split(separator: "\n"), ["ok", "wal"], "round \(round)")
            }
        }
        print("fresh-import kills: entities after each", outcomes)
    }
}

/// The `mosaic` executable built beside the tests.
enum MosaicBinary {
    /// Starts `mosaic` with `args` and kills it with SIGKILL after a random number of
    /// microseconds in `range`.
    static func killNine(_ args: [String], after range: ClosedRange<UInt32>, using rng: inout SystemRandomNumberGenerator) throws {
        let p = Process()
        p.executableURL = url
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(UInt32.random(in: range, using: &rng))
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// Runs `executable` with `args` to its end: its status and standard output (standard
    /// error dropped).
    static func capture(_ executable: URL, _ args: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static var url: URL {
        var dir = Bundle(for: CrashSafetyTests.self).bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("mosaic")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/mosaic")
    }
}

/// `kill -9` during a kb/ load: a load is one transaction, so after the kill the store holds
/// either all of it or none of it, and a later command completes the load.
final class LoadCrashSafetyTests: XCTestCase {
    func testKillNineDuringALoadLeavesAllOrNothing() throws {
        let ws = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-loadcrash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: ws) }
        let kb = ws.appendingPathComponent("kb")
        try FileManager.default.createDirectory(at: kb, withIntermediateDirectories: true)
        try """
            require_sources: false
            entity_types: {Thing: {}}
            relation_types: {NEXT: {}}
            """.write(to: kb.appendingPathComponent("schema.yaml"), atomically: true, encoding: .utf8)
        let total = 3000
        for f in 0..<3 {
            var text = "entities:\n"
            for i in 0..<1000 {
                let n = f * 1000 + i
                text += "  - {id: t\(n), type: Thing, name: Thing \(n), props: {rank: \(n), note: \"item \(n)\"}}\n"
            }
            text += "relations:\n"
            for i in 0..<1000 where f * 1000 + i + 1 < total { text += "  - [t\(f * 1000 + i), NEXT, t\(f * 1000 + i + 1)]\n" }
            try text.write(to: kb.appendingPathComponent("part\(f).yaml"), atomically: true, encoding: .utf8)
        }
        var rng = SystemRandomNumberGenerator()
        func stats() throws -> (status: Int32, entities: Int) {
            let (status, text) = try MosaicBinary.capture(MosaicBinary.url, ["stats", "--workspace", ws.path, "--json"])
            let n = Int(text.split(separator: "\n").first { $0.contains("\"entities\"") }?.split(separator: ":").last?
                .trimmingCharacters(in: CharacterSet(charactersIn: " ,")) ?? "") ?? -1
            return (status, n)
        }
        for round in 0..<2 {
            try? FileManager.default.removeItem(at: ws.appendingPathComponent(".mosaic"))
            try MosaicBinary.killNine(["load", "--workspace", ws.path], after: 50_000...1_000_000, using: &rng)
            // Reading the store does not load (load: false path): check the raw state first.
            let db = ws.appendingPathComponent(".mosaic/store.sqlite").path
            if FileManager.default.fileExists(atPath: db) {
                let q = Process()
                q.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                q.arguments = ["sqlite3", db, "PRAGMA integrity_check; SELECT count(*) FROM statement WHERE kind = 0;"]
                let out = Pipe()
                q.standardOutput = out
                q.standardError = FileHandle.nullDevice
                if (try? q.run()) != nil {
                    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    q.waitUntilExit()
                    let lines = text.split(separator: "\n").map(String.init)
                    if lines.count == 2 {
                        XCTAssertEqual(lines[0], "ok", "round \(round)")
                        let n = Int(lines[1]) ?? -1
                        XCTAssertTrue(n == 0 || n == total, "round \(round): \(n) entities: a partial load is visible")
                    }
                }
            }
            // The next command loads what is missing and sees the whole KB.
            let after = try stats()
            XCTAssertEqual(after.status, 0, "round \(round): the store did not open after the kill")
            XCTAssertEqual(after.entities, total, "round \(round)")
        }
    }
}
