import CLua
import CLuaSandbox

/// A userdata class implemented in Swift: methods (`obj:name(...)`), computed fields
/// (`obj.field`), comparisons, `tostring`, and any other metamethod. Payloads that are
/// plain bit patterns live inside the userdata; others are boxed and released by `__gc`.
/// Metatables are locked (`getmetatable` returns the class name).
public final class LuaClass<T: Sendable & Hashable>: AnyLuaClass {
    public typealias Method = (LuaStack, T) throws(LuaError) -> Int32

    public let name: String
    let id: Int32
    private var methods: [(String, Method)] = []
    private var fieldGetter: ((LuaStack, T, String) throws(LuaError) -> Bool)?
    private var metamethods: [(String, LuaFunction)] = []
    public var equals: ((T, T) -> Bool)?
    public var lessThan: ((T, T) -> Bool)?
    public var lessOrEqual: ((T, T) -> Bool)?
    public var describe: ((T) -> String)?

    private let inline: Bool
    private var metatableRef: Int32 = 0

    init(name: String, id: Int32) {
        self.name = name
        self.id = id
        inline = _isPOD(T.self) && MemoryLayout<T>.alignment <= 8
    }

    /// `obj:name(...)`: the body gets the stack (the object at 1, arguments from 2) and
    /// the payload.
    public func method(_ name: String, _ body: @escaping Method) { methods.append((name, body)) }

    /// `obj.key` for keys that are not methods: push the value and return true, or return
    /// false for nil.
    public func fields(_ getter: @escaping (LuaStack, T, String) throws(LuaError) -> Bool) { fieldGetter = getter }

    /// Any other metamethod (`__add`, `__sub`, `__len`, `__concat`, `__call`, …).
    public func metamethod(_ name: String, _ body: @escaping LuaFunction) { metamethods.append((name, body)) }

    // MARK: Storage

    private var size: Int { 8 + (inline ? MemoryLayout<T>.size : MemoryLayout<UnsafeRawPointer>.size) }

    func push(_ L: OpaquePointer, _ value: T) {
        let p = mosaic_newuserdata(L, size)!
        p.storeBytes(of: id, as: Int32.self)
        if inline {
            p.storeBytes(of: Int32(0), toByteOffset: 4, as: Int32.self)
            (p + 8).initializeMemory(as: T.self, to: value)
        } else {
            p.storeBytes(of: Int32(1), toByteOffset: 4, as: Int32.self)
            let box = Unmanaged.passRetained(Box(value) as AnyObject).toOpaque()
            p.storeBytes(of: box, toByteOffset: 8, as: UnsafeMutableRawPointer.self)
        }
        lua_rawgeti(L, mosaic_registryindex(), lua_Integer(metatableRef))
        lua_setmetatable(L, -2)
    }

    func read(_ p: UnsafeMutableRawPointer) -> T {
        if inline { return (p + 8).load(as: T.self) }
        let box = p.load(fromByteOffset: 8, as: UnsafeMutableRawPointer.self)
        return (Unmanaged<AnyObject>.fromOpaque(box).takeUnretainedValue() as! Box<T>).value
    }

    func readAny(_ p: UnsafeMutableRawPointer) -> any Sendable & Hashable { read(p) }

    func pushAny(_ L: OpaquePointer, _ payload: any Sendable & Hashable) -> Bool {
        guard let v = payload as? T else { return false }
        push(L, v)
        return true
    }

    // MARK: Metatable

    func build(in state: LuaState) {
        state.withHostStack { s in
            let L = s.L
            s.newTable()
            let mt = s.top
            s.push(name); s.setField(mt, "__name")
            s.push(name); s.setField(mt, "__metatable")

            // methods table
            s.newTable(fields: methods.count)
            for (mname, body) in methods {
                let fname = "\(name):\(mname)"
                let idx = state.register(name: fname) { [unowned self] s throws(LuaError) in
                    guard let v = s.userdata(self, 1) else {
                        throw LuaError.badArgument(1, fname, "\(self.name) expected, got \(s.typeName(1)); call it with ':'")
                    }
                    return try body(s, v)
                }
                s.pushFunction(idx)
                s.setField(-2, mname)
            }
            let methodsIndex = s.top
            if let getter = fieldGetter {
                s.pushValue(at: methodsIndex)
                let idx = state.register(name: "\(name).__index") { [unowned self] s throws(LuaError) in
                    guard let v = s.userdata(self, 1) else { s.pushNil(); return 1 }
                    s.pushValue(at: 2)
                    if lua_rawget(s.L, s.upvalue(1)) != LUA_TNIL { return 1 }
                    s.pop()
                    guard s.isString(2) else { s.pushNil(); return 1 }
                    if try getter(s, v, s.rawString(2)) { return 1 }
                    s.pushNil()
                    return 1
                }
                s.pushFunction(idx, upvalues: 1)
                s.setField(mt, "__index")
                s.pop()
            } else {
                s.setField(mt, "__index")
            }

            if !inline {
                mosaic_pushudgc(L)
                s.setField(mt, "__gc")
            }
            func compare(_ mm: String, _ op: ((T, T) -> Bool)?, word: String) {
                guard let op else { return }
                let idx = state.register(name: mm) { [unowned self] s throws(LuaError) in
                    guard let a = s.userdata(self, 1), let b = s.userdata(self, 2) else {
                        if mm == "__eq" { s.push(false); return 1 }
                        throw LuaError.runtime("attempt to compare \(s.typeName(1)) with \(s.typeName(2))")
                    }
                    s.push(op(a, b))
                    return 1
                }
                s.pushFunction(idx)
                s.setField(mt, mm)
            }
            compare("__eq", equals, word: "equal")
            compare("__lt", lessThan, word: "less")
            compare("__le", lessOrEqual, word: "less or equal")
            let describe = self.describe
            let cname = name
            let idx = state.register(name: "\(name).__tostring") { [unowned self] s throws(LuaError) in
                guard let v = s.userdata(self, 1) else { s.push(cname); return 1 }
                s.push(describe?(v) ?? "\(cname): \(v)")
                return 1
            }
            s.pushFunction(idx)
            s.setField(mt, "__tostring")
            for (mm, body) in metamethods {
                s.pushFunction(state.register(name: "\(name).\(mm)", body))
                s.setField(mt, mm)
            }
            s.pushValue(at: mt)
            metatableRef = luaL_ref(L, mosaic_registryindex())
        }
    }
}

/// The type-erased face of `LuaClass`, for conversions by class name.
protocol AnyLuaClass: AnyObject {
    var name: String { get }
    func readAny(_ p: UnsafeMutableRawPointer) -> any Sendable & Hashable
    func pushAny(_ L: OpaquePointer, _ payload: any Sendable & Hashable) -> Bool
}

final class Box<T> {
    let value: T
    init(_ value: T) { self.value = value }
}

extension LuaState {
    /// The class of the userdata at `i`, if it is one of this state's classes.
    func classOf(_ L: OpaquePointer, _ i: Int32) -> (any AnyLuaClass)? {
        guard lua_type(L, i) == LUA_TUSERDATA, let p = lua_touserdata(L, i) else { return nil }
        let id = Int(p.load(as: Int32.self))
        return id >= 0 && id < classes.count ? classes[id] : nil
    }
}
