/// A fast reader of the usual shape of an FtM entity line, `{"id": "…", "schema": "…",
/// "properties": {"name": ["…", …], …}}` (what `mosaic export --format ftm` and most FtM tools
/// write): strings without escapes, lists of strings or nulls. Anything else (other keys,
/// escapes, numbers, a key twice, malformed text) returns nil and the reader takes the
/// general JSON parser (`Value.decode`), which gives the same result more slowly and says
/// what is wrong. Uses nothing but the bytes.
struct FtMLineScanner {
    /// What a line says when it has the usual shape.
    struct Entity {
        var id: String
        var schema: String
        var properties: FtMProperties
    }

    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0

    private init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    /// The line's entity, or nil when the line is not of the usual shape.
    static func scan(_ bytes: ArraySlice<UInt8>) -> Entity? {
        bytes.withUnsafeBufferPointer { buf in
            var s = FtMLineScanner(buf)
            return s.entity()
        }
    }

    private mutating func space() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    private mutating func eat(_ c: UInt8) -> Bool {
        space()
        guard i < b.count, b[i] == c else { return false }
        i += 1
        return true
    }

    /// A string without escapes.
    private mutating func string() -> String? {
        space()
        guard i < b.count, b[i] == 0x22 else { return nil }
        i += 1
        let start = i
        while i < b.count, b[i] != 0x22 {
            if b[i] == 0x5C || b[i] < 0x20 { return nil }
            i += 1
        }
        guard i < b.count else { return nil }
        defer { i += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
    }

    private mutating func null() -> Bool {
        space()
        guard i + 4 <= b.count, b[i] == 0x6E, b[i + 1] == 0x75, b[i + 2] == 0x6C, b[i + 3] == 0x6C else { return false }
        i += 4
        return true
    }

    private mutating func entity() -> Entity? {
        guard eat(0x7B) else { return nil }
        var id: String?, schema: String?, properties: FtMProperties?
        var sawProperties = false
        repeat {
            guard let key = string(), eat(0x3A) else { return nil }
            switch key {
            case "id" where id == nil: guard let v = string() else { return nil }; id = v
            case "schema" where schema == nil: guard let v = string() else { return nil }; schema = v
            case "properties" where !sawProperties:
                sawProperties = true
                if null() { continue }
                guard let p = propertyMap() else { return nil }
                properties = p
            default: return nil
            }
        } while eat(0x2C)
        guard eat(0x7D) else { return nil }
        space()
        guard i == b.count, let id, let schema else { return nil }
        return Entity(id: id, schema: schema, properties: properties ?? FtMProperties())
    }

    private mutating func propertyMap() -> FtMProperties? {
        guard eat(0x7B) else { return nil }
        var out = FtMProperties()
        if eat(0x7D) { return out }
        repeat {
            guard let key = string(), out[key] == nil, eat(0x3A), eat(0x5B) else { return nil }
            var values: [String] = []
            if !eat(0x5D) {
                repeat {
                    if null() { continue }
                    guard let v = string() else { return nil }
                    values.append(v)
                } while eat(0x2C)
                guard eat(0x5D) else { return nil }
            }
            _ = out.add(key, values)
        } while eat(0x2C)
        guard eat(0x7D) else { return nil }
        return out
    }
}
