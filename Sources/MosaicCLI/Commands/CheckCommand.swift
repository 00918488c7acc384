// `mosaic check`: validates kb/ through MosaicKB's loader without writing, then the plugins
// (MosaicPlugins: discovery, rules, schedules) of the workspace's plugin host.
import ArgumentParser
import Foundation
import MosaicGraph
import MosaicKB
import MosaicPlugins
import MosaicSchedule
import MosaicPluginRules

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate kb/ (and the plugins) without writing anything.")
    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        let ws = try options.open(loadKB: false)
        do {
            let (files, statements) = try ws.kbLoader.check()
            print("kb: \(files) data file\(files == 1 ? "" : "s"), \(statements) statements, no errors")
        } catch let e as KBError {
            throw CLIError(e.description)
        }
        try CheckCommand.checkPlugins(ws)
    }

    /// The plugins load, their rules parse and name types that exist, their schedules parse
    /// and mosaic.yaml's parameters fit; every problem goes to stderr, and any fails the check.
    static func checkPlugins(_ ws: Workspace) throws {
        let r = try ws.plugins.runner()
        let isEnabled = ws.plugins.enabled()
        let entries = r.discover()
        var broken = entries.compactMap(\.error)
        // The rules too: patterns parse, what derive/distinct/within_days name is bound.
        let loaded = PluginRules.load(r, enabled: isEnabled)
        for p in loaded.problems where !broken.contains(where: { $0.plugin == p.plugin }) { broken.append(p) }
        // The types the rules name exist (in the schema, the KB, or another rule's conclusions).
        broken += PluginRules.typeProblems(loaded, schema: ws.kbLoader.currentSchema() ?? Schema(), graph: ws.store.graph) {
            try? String(contentsOf: ws.root.appendingPathComponent($0), encoding: .utf8)
        }
        // Schedules parse (the spec's, in the workspace's zone); mosaic.yaml's parameters fit.
        let config = try ws.config()
        for e in entries {
            guard let spec = e.spec, let configured = config.plugins[e.name]?.params, !configured.isEmpty else { continue }
            for p in spec.configuredProblems(configured) where !broken.contains(where: { $0.message == p.message }) {
                broken.append(PluginError(plugin: e.name, phase: .params, file: "mosaic.yaml", message: p.message))
            }
        }
        for e in entries {
            guard let spec = e.spec, let cron = spec.schedule, isEnabled(e.name) else { continue }
            do { _ = try CronSchedule(cron, timeZoneIdentifier: config.timezone) } catch {
                broken.append(PluginError(plugin: e.name, phase: .spec, file: e.file,
                                          line: (try? String(contentsOf: ws.root.appendingPathComponent(e.file), encoding: .utf8)).flatMap { PluginRules.ruleLine("schedule", in: $0) },
                                          message: "schedule: \(error)"))
            }
        }
        withExtendedLifetime(loaded) {}
        for e in broken { FileHandle.standardError.write(Data((e.detailed + "\n").utf8)) }
        print("plugins: \(entries.count) found, \(Set(broken.map(\.plugin)).count) broken")
        if !broken.isEmpty { throw CLIError("", exitCode: 1) }
    }
}
