/// A Lua value on the Swift side. Integers stay integers (Lua 5.4 has both subtypes).
public enum LuaValue: Sendable, Equatable, CustomStringConvertible {
    case `nil`
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case table(LuaTable)
    case userdata(LuaUserdata)
    case function(LuaFunctionRef)

    public var isNil: Bool { if case .nil = self { return true } else { return false } }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var intValue: Int64? {
        switch self {
        case .integer(let i): return i
        case .number(let d): return d.rounded() == d && abs(d) < 9.2e18 ? Int64(d) : nil
        default: return nil
        }
    }
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var tableValue: LuaTable? { if case .table(let t) = self { return t } else { return nil } }

    /// Lua's truthiness: everything but nil and false.
    public var isTruthy: Bool {
        switch self {
        case .nil: return false
        case .bool(let b): return b
        default: return true
        }
    }

    /// Lua's type name.
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .bool: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .table: return "table"
        case .userdata(let u): return u.className
        case .function: return "function"
        }
    }

    public var description: String {
        switch self {
        case .nil: return "nil"
        case .bool(let b): return String(b)
        case .integer(let i): return String(i)
        case .number(let d): return d.rounded() == d && abs(d) < 1e16 ? String(format: "%.1f", d) : "\(d)"
        case .string(let s): return "\"\(s)\""
        case .table(let t): return t.description
        case .userdata(let u): return "\(u.className)(\(u.payload))"
        case .function: return "function"
        }
    }
}

extension LuaValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(nilLiteral: ()) { self = .nil }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: LuaValue...) { self = .table(LuaTable(array: elements)) }
    public init(dictionaryLiteral elements: (String, LuaValue)...) {
        self = .table(LuaTable(fields: elements.map { LuaTable.Entry(key: .string($0.0), value: $0.1) }))
    }
}

/// A table: its sequence part `t[1..n]` and its other entries in a stable order
/// (integer keys ascending, then string keys ascending, then the rest as found).
public struct LuaTable: Sendable, Equatable, CustomStringConvertible {
    public struct Entry: Sendable, Equatable {
        public var key: LuaValue
        public var value: LuaValue
        public init(key: LuaValue, value: LuaValue) { self.key = key; self.value = value }
    }
    public var array: [LuaValue]
    public var fields: [Entry]

    public init(array: [LuaValue] = [], fields: [Entry] = []) {
        self.array = array
        self.fields = fields
    }

    public subscript(key: String) -> LuaValue {
        get { fields.first { $0.key == .string(key) }?.value ?? .nil }
        set {
            if let i = fields.firstIndex(where: { $0.key == .string(key) }) {
                if newValue.isNil { fields.remove(at: i) } else { fields[i].value = newValue }
            } else if !newValue.isNil {
                fields.append(Entry(key: .string(key), value: newValue))
            }
        }
    }

    public var isEmpty: Bool { array.isEmpty && fields.isEmpty }

    public var description: String {
        var parts = array.map { $0.description }
        for f in fields {
            if case .string(let s) = f.key { parts.append("\(s)=\(f.value)") } else { parts.append("[\(f.key)]=\(f.value)") }
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// Sorts `fields` into the stable order.
    mutating func normalize() {
        func rank(_ v: LuaValue) -> Int {
            switch v {
            case .integer, .number: return 0
            case .string: return 1
            default: return 2
            }
        }
        fields = fields.enumerated().sorted { a, b in
            let ra = rank(a.element.key), rb = rank(b.element.key)
            if ra != rb { return ra < rb }
            switch (a.element.key, b.element.key) {
            case (.string(let x), .string(let y)): return x < y
            case _ where ra == 0: return (a.element.key.doubleValue ?? 0) < (b.element.key.doubleValue ?? 0)
            default: return a.offset < b.offset
            }
        }.map { $0.element }
    }
}

/// A userdata of a class defined with `LuaClass`: its class name and Swift payload.
public struct LuaUserdata: Sendable, Equatable {
    public let className: String
    public let payload: any Sendable & Hashable

    public init(className: String, payload: any Sendable & Hashable) {
        self.className = className
        self.payload = payload
    }

    public static func == (a: LuaUserdata, b: LuaUserdata) -> Bool {
        a.className == b.className && AnyHashable(a.payload) == AnyHashable(b.payload)
    }
}

/// A Lua function kept alive in its state's registry. It can be called back with
/// `LuaState.call` on the state that made it, while that state lives.
public struct LuaFunctionRef: Sendable, Equatable {
    let stateID: UInt64
    let ref: Int32
}
