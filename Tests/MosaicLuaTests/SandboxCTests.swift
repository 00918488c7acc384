import Foundation
import XCTest

/// The C-level tests of the sandbox (Sources/SandboxCTest, the `sandbox-ctest` executable
/// `swift build --build-tests` builds beside this bundle): the allocator cap and the kill
/// protocol with no Swift in Lua's call chain. Each "not ok" line it prints is a failure here.
final class SandboxCTests: XCTestCase {
    /// The executable: in the bundle's build folder (or a folder above it).
    static var executable: URL? {
        var dir = Bundle(for: SandboxCTests.self).bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("sandbox-ctest")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    func testAllocatorCapAndKillProtocolInC() throws {
        guard let exe = Self.executable else {
            return XCTFail("sandbox-ctest was not built (run `swift build --build-tests` first)")
        }
        let p = Process()
        p.executableURL = exe
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        for line in lines where line.hasPrefix("not ok") { XCTFail(line) }
        XCTAssertGreaterThan(lines.filter { $0.hasPrefix("ok") }.count, 20, text)
        XCTAssertEqual(p.terminationStatus, 0, text)
    }
}
