import Foundation
import MosaicGraph
import MosaicSchedule
import Yams

/// The workspace's settings, `mosaic.yaml` beside kb/ (all optional):
///
/// ```yaml
/// timezone: Europe/Paris          # default zone for schedules
/// strict: false                   # query and plugin writes must fit kb/schema.yaml
/// allow_outside_links: false      # kb/ and plugins/ links may resolve outside the workspace
/// plugins:
///   syria_bases:
///     enabled: true
///     limits: {time_ms: 5000, memory_mb: 64, instructions: 200000000, writes: 100000}
///     params: {window_days: 7}
/// schedule:
///   catch_up: latest              # latest (true) | all | off (false): what missed slots are made up
///   jobs:
///     syria_bases/daily: {cron: "0 6 * * *", timezone: Asia/Damascus, formats: [md, html, json], catch_up: all}
/// query:
///   timeout: 30                   # seconds a query (mosaic query, the console) may run; 0: no limit
///   memory_mb: 1024               # the memory a query may hold (default 1024)
/// ```
struct WorkspaceConfig {
    struct PluginSettings {
        var enabled = true
        var timeMilliseconds: Int?
        var memoryMegabytes: Int?
        var instructions: Int?
        var writes: Int?
        var params: [String: Value] = [:]
    }
    struct JobSettings {
        var cron: String?
        var timezone: String?
        var formats: [String]?
        var enabled = true
        var catchUp: CatchUp?
    }

    var timezone = "UTC"
    var strict = false
    /// kb/ and plugins/ entries (symlinks) may resolve outside the workspace.
    var allowOutsideLinks = false
    var plugins: [String: PluginSettings] = [:]
    var catchUp = CatchUp.latest
    var jobs: [String: JobSettings] = [:]
    /// The default time limit of a query, in seconds (nil: none).
    var queryTimeout: Double?
    /// The default memory budget of a query, in MiB (nil: the engine's, 1024).
    var queryMemoryMegabytes: Int?

    static func load(_ root: URL) throws -> WorkspaceConfig {
        let url = root.appendingPathComponent("mosaic.yaml")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return WorkspaceConfig() }
        var c = WorkspaceConfig()
        let node: Yams.Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw CLIError("mosaic.yaml: \(error); fix the YAML or remove the file")
        }
        guard let root = node?.mapping else { return c }
        func fail(_ n: Yams.Node, _ msg: String) -> CLIError {
            CLIError("mosaic.yaml:\(n.mark?.line ?? 0):\(n.mark?.column ?? 0): \(msg)")
        }
        func int(_ n: Yams.Node?) -> Int? { n?.scalar.flatMap { Int($0.string) } }
        func catchUp(_ n: Yams.Node) throws -> CatchUp {
            guard let s = n.string, let policy = CatchUp(setting: s) else {
                throw fail(n, "catch_up takes latest (or true), all, or off (or false)")
            }
            return policy
        }
        for (k, v) in root {
            switch k.string ?? "" {
            case "timezone":
                guard let tz = v.string, TimeZone(identifier: tz) != nil else { throw fail(v, "timezone must be an IANA zone such as Europe/Paris") }
                c.timezone = tz
            case "strict": c.strict = v.bool ?? false
            case "allow_outside_links":
                guard let b = v.bool else { throw fail(v, "allow_outside_links takes true or false") }
                c.allowOutsideLinks = b
            case "plugins":
                for (pk, pv) in v.mapping ?? [:] {
                    var s = PluginSettings()
                    for (sk, sv) in pv.mapping ?? [:] {
                        switch sk.string ?? "" {
                        case "enabled": s.enabled = sv.bool ?? true
                        case "limits":
                            s.timeMilliseconds = int(sv.mapping?["time_ms"])
                            s.memoryMegabytes = int(sv.mapping?["memory_mb"])
                            s.instructions = int(sv.mapping?["instructions"])
                            s.writes = int(sv.mapping?["writes"])
                            for (lk, _) in sv.mapping ?? [:] where !["time_ms", "memory_mb", "instructions", "writes"].contains(lk.string ?? "") {
                                throw fail(lk, "unknown plugin limit '\(lk.string ?? "")' (time_ms, memory_mb, instructions, writes)")
                            }
                        case "params":
                            for (name, value) in sv.mapping ?? [:] { s.params[name.string ?? ""] = WorkspaceConfig.value(value) }
                        default: throw fail(sk, "unknown plugin setting '\(sk.string ?? "")' (enabled, limits, params)")
                        }
                    }
                    c.plugins[pk.string ?? ""] = s
                }
            case "schedule":
                for (sk, sv) in v.mapping ?? [:] {
                    switch sk.string ?? "" {
                    case "catch_up": c.catchUp = try catchUp(sv)
                    case "jobs":
                        for (jk, jv) in sv.mapping ?? [:] {
                            var j = JobSettings()
                            j.cron = jv.mapping?["cron"]?.string ?? jv.string
                            j.timezone = jv.mapping?["timezone"]?.string
                            if let tz = jv.mapping?["timezone"], TimeZone(identifier: tz.string ?? "") == nil {
                                throw fail(tz, "the timezone of \(jk.string ?? "") must be an IANA zone such as Europe/Paris")
                            }
                            j.formats = jv.mapping?["formats"]?.sequence?.compactMap(\.string)
                            j.enabled = jv.mapping?["enabled"]?.bool ?? true
                            if let cu = jv.mapping?["catch_up"] { j.catchUp = try catchUp(cu) }
                            for (key, _) in jv.mapping ?? [:] where !["cron", "timezone", "formats", "enabled", "catch_up"].contains(key.string ?? "") {
                                throw fail(key, "unknown job setting '\(key.string ?? "")' (cron, timezone, formats, enabled, catch_up)")
                            }
                            c.jobs[jk.string ?? ""] = j
                        }
                    default: throw fail(sk, "unknown schedule setting '\(sk.string ?? "")' (catch_up, jobs)")
                    }
                }
            case "query":
                for (qk, qv) in v.mapping ?? [:] {
                    switch qk.string ?? "" {
                    case "timeout":
                        guard let t = qv.scalar.flatMap({ Double($0.string) }), t >= 0, t.isFinite else {
                            throw fail(qv, "query timeout must be a number of seconds (0: no limit)")
                        }
                        c.queryTimeout = t > 0 ? t : nil
                    case "memory_mb":
                        guard let m = int(qv), m > 0, m <= 1 << 30 else { throw fail(qv, "query memory_mb must be a positive number of MiB") }
                        c.queryMemoryMegabytes = m
                    default: throw fail(qk, "unknown query setting '\(qk.string ?? "")' (timeout, memory_mb)")
                    }
                }
            default: throw fail(k, "unknown setting '\(k.string ?? "")' (timezone, strict, allow_outside_links, plugins, schedule, query)")
            }
        }
        return c
    }

    static func value(_ n: Yams.Node) -> Value {
        switch n {
        case .scalar(let s):
            if s.style != .plain { return .string(s.string) }
            if let i = Int64(s.string) { return .int(i) }
            if let d = Double(s.string) { return .float(d) }
            if s.string == "true" { return .bool(true) }
            if s.string == "false" { return .bool(false) }
            if s.string == "null" || s.string == "~" { return .null }
            return .string(s.string)
        case .sequence(let seq): return .list(seq.map(value))
        case .mapping(let m):
            var out: [String: Value] = [:]
            for (k, v) in m { out[k.string ?? ""] = value(v) }
            return .map(out)
        case .alias: return .null
        }
    }
}
