import MosaicGraph
import MosaicLua

/// Checks a returned spec table: known keys, the right types, params with valid defaults.
/// Lua tables carry no positions, so errors point at the line of the key in the source.
struct SpecChecker {
    let plugin: String
    let file: String
    let source: String

    func fail(_ message: String, key: String? = nil, within: String? = nil) -> PluginError {
        PluginError(plugin: plugin, phase: .spec, file: file, line: key.flatMap { line(of: $0, after: within) }, message: message)
    }

    /// The first line holding `key =` (or `["key"] =`), after the line of `after =` if given.
    func line(of key: String, after: String? = nil) -> Int? {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var start = 0
        if let after, let l = line(of: after) { start = l - 1 }
        for (i, text) in lines.enumerated() where i >= start {
            let t = text.drop { $0 == " " || $0 == "\t" }
            for prefix in [key, "[\"\(key)\"]", "['\(key)']"] where t.hasPrefix(prefix) {
                let rest = t.dropFirst(prefix.count).drop { $0 == " " || $0 == "\t" }
                if rest.hasPrefix("=") && !rest.hasPrefix("==") { return i + 1 }
            }
        }
        return nil
    }

    static func lastReturnLine(_ source: String) -> Int? {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.lastIndex { $0.drop { $0 == " " || $0 == "\t" }.hasPrefix("return") }.map { $0 + 1 }
    }

    func check(_ t: LuaTable) throws(PluginError) -> PluginSpec {
        if !t.array.isEmpty { throw fail("the spec table has list entries; every entry needs a key (name = ..., version = ...)") }
        for f in t.fields {
            guard case .string(let k) = f.key else { throw fail("spec keys must be names, got \(f.key.typeName)") }
            guard PluginSpec.keys.contains(k) else {
                let hint = PluginSpec.keys.min { Suggest.distance(Array($0), Array(k)) < Suggest.distance(Array($1), Array(k)) }.map { " (did you mean '\($0)'?)" } ?? ""
                throw fail("unknown key '\(k)' in the spec\(hint); known keys: \(PluginSpec.keys.joined(separator: ", "))", key: k)
            }
        }
        func string(_ k: String, required: Bool) throws(PluginError) -> String? {
            switch t[k] {
            case .nil:
                if required {
                    throw PluginError(plugin: plugin, phase: .spec, file: file, line: SpecChecker.lastReturnLine(source),
                                      message: "the spec needs '\(k)' (a string)")
                }
                return nil
            case .string(let s):
                if s.isEmpty { throw fail("'\(k)' must not be empty", key: k) }
                return s
            case let v: throw fail("'\(k)' must be a string, got \(v.typeName)", key: k)
            }
        }
        let name = try string("name", required: true)!
        if name != plugin {
            throw fail("the spec's name '\(name)' differs from the plugin's file name '\(plugin)'; rename one of them", key: "name")
        }
        let version = try string("version", required: true)!
        let description = try string("description", required: false) ?? ""
        var hasRun = false
        switch t["run"] {
        case .nil: break
        case .function: hasRun = true
        case let v: throw fail("'run' must be a function, got \(v.typeName)", key: "run")
        }
        func names(_ k: String) throws(PluginError) -> [String] {
            switch t[k] {
            case .nil: return []
            case .table(let tt):
                var out: [String] = []
                for (i, v) in tt.array.enumerated() {
                    if case .table(let entry) = v, case .string(let n) = entry["name"] { out.append(n) }
                    else { out.append("\(k)[\(i + 1)]") }
                }
                for f in tt.fields {
                    guard case .string(let n) = f.key else { throw fail("'\(k)' keys must be names", key: k) }
                    switch f.value {
                    case .table, .function: out.append(n)
                    default: throw fail("\(k).\(n) must be a table or a function, got \(f.value.typeName)", key: n, within: k)
                    }
                }
                return out
            case let v: throw fail("'\(k)' must be a table, got \(v.typeName)", key: k)
            }
        }
        let rules = try names("rules")
        let reports = try names("reports")
        let extractors = try names("extractors")
        if case .table(let et) = t["extractors"] {
            for f in et.fields where f.value.typeName != "function" {
                if case .string(let n) = f.key { throw fail("extractors.\(n) must be a function (sentence, doc), got \(f.value.typeName)", key: n, within: "extractors") }
            }
        }
        var schedule: String?
        switch t["schedule"] {
        case .nil: break
        case .string(let s): schedule = s
        case .table(let st):
            guard case .string(let s) = st["cron"] else { throw fail("schedule must be a cron string or {cron = '...', ...}", key: "schedule") }
            schedule = s
        case let v: throw fail("'schedule' must be a cron string, got \(v.typeName)", key: "schedule")
        }
        let params = try checkParams(t["params"])
        if !hasRun && rules.isEmpty && reports.isEmpty && extractors.isEmpty {
            throw fail("the spec declares nothing to do: give it run, rules, reports or extractors", key: "name")
        }
        return PluginSpec(name: name, version: version, description: description, params: params, rules: rules,
                          reports: reports, extractors: extractors, schedule: schedule, hasRun: hasRun)
    }

    private func checkParams(_ v: LuaValue) throws(PluginError) -> [PluginParam] {
        switch v {
        case .nil: return []
        case .table(let t):
            if !t.array.isEmpty { throw fail("params must map names to {type = ..., default = ...}", key: "params") }
            var out: [PluginParam] = []
            for f in t.fields {
                guard case .string(let name) = f.key else { throw fail("parameter names must be strings", key: "params") }
                out.append(try checkParam(name, f.value))
            }
            return out.sorted { $0.name < $1.name }
        case let v: throw fail("'params' must be a table, got \(v.typeName)", key: "params")
        }
    }

    private func checkParam(_ name: String, _ v: LuaValue) throws(PluginError) -> PluginParam {
        // shorthand: name = default
        var kind: PluginParam.Kind?
        var def: LuaValue = .nil
        var desc: String?
        if case .table(let t) = v, t.array.isEmpty {
            for f in t.fields {
                guard case .string(let k) = f.key, ["type", "default", "description"].contains(k) else {
                    throw fail("params.\(name): unknown key \(f.key) (use type, default, description)", key: name, within: "params")
                }
            }
            switch t["type"] {
            case .nil: break
            case .string(let s):
                guard let k = PluginParam.Kind(rawValue: s) else {
                    throw fail("params.\(name): unknown type '\(s)' (use \(PluginParam.Kind.allCases.map(\.rawValue).joined(separator: ", ")))", key: name, within: "params")
                }
                kind = k
            case let x: throw fail("params.\(name).type must be a string, got \(x.typeName)", key: name, within: "params")
            }
            def = t["default"]
            if case .string(let s) = t["description"] { desc = s }
        } else {
            def = v
        }
        let inferred: PluginParam.Kind?
        switch def {
        case .nil: inferred = nil
        case .string: inferred = .string
        case .integer: inferred = .integer
        case .number: inferred = .number
        case .bool: inferred = .boolean
        case .userdata(let u) where u.payload is PartialDate: inferred = .date
        default: throw fail("params.\(name): the default must be a string, number, boolean or date", key: name, within: "params")
        }
        guard let k = kind ?? inferred else {
            throw fail("params.\(name) needs a type or a default", key: name, within: "params")
        }
        var value: Value?
        switch (k, def) {
        case (_, .nil): value = nil
        case (.string, .string(let s)): value = .string(s)
        case (.integer, .integer(let i)): value = .int(i)
        case (.number, .integer(let i)): value = .float(Double(i))
        case (.number, .number(let d)): value = .float(d)
        case (.boolean, .bool(let b)): value = .bool(b)
        case (.date, .string(let s)):
            guard let d = PartialDate(s) else { throw fail("params.\(name): the default '\(s)' is not a date", key: name, within: "params") }
            value = .date(d)
        case (.date, .userdata(let u)) where u.payload is PartialDate: value = .date(u.payload as! PartialDate)
        default:
            throw fail("params.\(name): the default is a \(def.typeName), not a \(k.rawValue)", key: name, within: "params")
        }
        return PluginParam(name: name, kind: k, defaultValue: value, description: desc)
    }
}
