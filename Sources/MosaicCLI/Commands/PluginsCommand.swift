// `mosaic plugins`: the plugins in plugins/ with their status (MosaicPlugins' discovery).
import ArgumentParser
import Foundation
import MosaicGraph
import MosaicPlugins

struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plugins", abstract: "List the plugins in plugins/ with their status.")
    @OptionGroup var options: WorkspaceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws { print(try PluginsCommand.listing(try options.open(), json: json)) }

    static func listing(_ ws: Workspace, json: Bool) throws -> String {
        let entries = try ws.plugins.runner().discover()
        if json {
            return JSONText.pretty(.list(entries.map { e in
                var m: [String: Value] = ["name": .string(e.name), "file": .string(e.file)]
                if let s = e.spec {
                    m["status"] = .string("ok"); m["version"] = .string(s.version); m["description"] = .string(s.description)
                    m["rules"] = .list(s.rules.map(Value.string)); m["reports"] = .list(s.reports.map(Value.string))
                    m["extractors"] = .list(s.extractors.sorted().map(Value.string))
                    m["schedule"] = s.schedule.map(Value.string) ?? .null; m["run"] = .bool(s.hasRun)
                    m["params"] = .list(s.params.map { p in .map(["name": .string(p.name), "type": .string(p.kind.rawValue), "default": p.defaultValue ?? .null]) })
                } else if let err = e.error {
                    m["status"] = .string("broken"); m["error"] = .string(err.description)
                }
                return .map(m)
            }))
        }
        if entries.isEmpty { return "no plugins in plugins/" }
        return entries.map { e in
            if let s = e.spec {
                var parts: [String] = []
                if s.hasRun { parts.append("run") }
                if !s.rules.isEmpty { parts.append("rules: " + s.rules.joined(separator: ", ")) }
                if !s.reports.isEmpty { parts.append("reports: " + s.reports.joined(separator: ", ")) }
                if !s.extractors.isEmpty { parts.append("extractors: " + s.extractors.sorted().joined(separator: ", ")) }
                if let c = s.schedule { parts.append("schedule: \(c)") }
                return "\(pad(e.name, 18)) \(pad(s.version, 6)) ok      \(s.description)\n\(String(repeating: " ", count: 34))\(parts.joined(separator: "; "))"
            }
            return "\(pad(e.name, 18)) \(pad("", 6)) broken  \(e.error?.description ?? "")"
        }.joined(separator: "\n")
    }
}
