import CLua
import CLuaSandbox

/// The Lua stack as a Swift function called from Lua sees it: arguments at 1…count,
/// results pushed on top. Every method here is safe to call from Swift: none raises a Lua
/// error (allocations made while Swift runs never fail; a broken memory limit is raised
/// by the C trampoline after the function returns).
public struct LuaStack {
    public let L: OpaquePointer
    unowned(unsafe) let state: LuaState
    /// The name the function was registered under, for argument errors.
    public let functionName: String

    init(L: OpaquePointer, state: LuaState, functionName: String) {
        self.L = L
        self.state = state
        self.functionName = functionName
    }

    public var count: Int32 { lua_gettop(L) }
    public var top: Int32 { lua_gettop(L) }
    public func setTop(_ n: Int32) { lua_settop(L, n) }
    public func pop(_ n: Int32 = 1) { mosaic_pop(L, n) }
    public func absolute(_ i: Int32) -> Int32 { lua_absindex(L, i) }
    /// Index of upvalue `n` (1-based) of the running Swift closure (see `pushFunction`).
    public func upvalue(_ n: Int32) -> Int32 { mosaic_upvalueindex(n + 1) }
    /// Makes room for `n` more slots; false if the stack cannot grow.
    public func ensure(_ n: Int32) -> Bool { lua_checkstack(L, n) != 0 }

    // MARK: Types

    public func type(_ i: Int32) -> Int32 { lua_type(L, i) }
    public func isNil(_ i: Int32) -> Bool { lua_type(L, i) <= LUA_TNIL }
    public func isTable(_ i: Int32) -> Bool { lua_type(L, i) == LUA_TTABLE }
    public func isFunction(_ i: Int32) -> Bool { lua_type(L, i) == LUA_TFUNCTION }
    public func isString(_ i: Int32) -> Bool { lua_type(L, i) == LUA_TSTRING }

    /// Lua's name of the value's type, with userdata named by their class.
    public func typeName(_ i: Int32) -> String {
        let t = lua_type(L, i)
        if t == LUA_TUSERDATA, let name = state.classOf(L, i)?.name { return name }
        if t == LUA_TNONE { return "no value" }
        return String(cString: lua_typename(L, t))
    }

    func bad(_ i: Int32, _ expected: String) -> LuaError {
        LuaError.badArgument(Int(i), functionName, "\(expected) expected, got \(typeName(i))")
    }

    // MARK: Reading arguments

    /// A string argument (numbers are not converted).
    public func string(_ i: Int32) throws(LuaError) -> String {
        guard lua_type(L, i) == LUA_TSTRING else { throw bad(i, "string") }
        return rawString(i)
    }
    public func optString(_ i: Int32) throws(LuaError) -> String? {
        isNil(i) ? nil : try string(i)
    }
    /// The string at `i` (must be a string).
    func rawString(_ i: Int32) -> String {
        var len = 0
        let p = lua_tolstring(L, i, &len)!
        return String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self)
    }
    public func integer(_ i: Int32) throws(LuaError) -> Int64 {
        var ok: Int32 = 0
        let v = lua_tointegerx(L, i, &ok)
        if ok == 0 || lua_type(L, i) != LUA_TNUMBER {
            if lua_type(L, i) == LUA_TNUMBER {
                throw LuaError.badArgument(Int(i), functionName, "number has no integer representation")
            }
            throw bad(i, "number")
        }
        return Int64(v)
    }
    public func optInteger(_ i: Int32) throws(LuaError) -> Int64? { isNil(i) ? nil : try integer(i) }
    public func number(_ i: Int32) throws(LuaError) -> Double {
        guard lua_type(L, i) == LUA_TNUMBER else { throw bad(i, "number") }
        return mosaic_tonumber(L, i)
    }
    public func optNumber(_ i: Int32) throws(LuaError) -> Double? { isNil(i) ? nil : try number(i) }
    /// Lua truthiness of the argument.
    public func truthy(_ i: Int32) -> Bool { lua_toboolean(L, i) != 0 }
    public func checkTable(_ i: Int32) throws(LuaError) {
        guard lua_type(L, i) == LUA_TTABLE else { throw bad(i, "table") }
    }
    public func checkFunction(_ i: Int32) throws(LuaError) {
        guard lua_type(L, i) == LUA_TFUNCTION else { throw bad(i, "function") }
    }

    /// The payload of a userdata of class `cls` at `i`, or nil.
    public func userdata<T>(_ cls: LuaClass<T>, _ i: Int32) -> T? {
        guard let p = lua_touserdata(L, i) else { return nil }
        // Only Swift code creates full userdata in a sandboxed state, so the header is ours.
        guard lua_type(L, i) == LUA_TUSERDATA, p.load(as: Int32.self) == cls.id else { return nil }
        return cls.read(p)
    }
    /// Like `userdata` but raises a bad-argument error.
    public func check<T>(_ cls: LuaClass<T>, _ i: Int32) throws(LuaError) -> T {
        guard let v = userdata(cls, i) else { throw bad(i, cls.name) }
        return v
    }

    /// Reads field `name` of the table at `t` without metamethods; pushes nothing.
    public func field(_ t: Int32, _ name: String) throws(LuaError) -> LuaValue {
        let t = absolute(t)
        push(name)
        lua_rawget(L, t)
        defer { pop() }
        var budget = state.limits.maxConvertedValues
        return try value(-1, budget: &budget)
    }

    /// Pushes field `name` of the table at `t` (no metamethods) and returns its Lua type.
    @discardableResult
    public func pushField(_ t: Int32, _ name: String) -> Int32 {
        let t = absolute(t)
        push(name)
        return lua_rawget(L, t)
    }

    /// Iterates the entries of the table at `t` (no metamethods); the key is at -2 and the
    /// value at -1 during `body`, which must leave the stack balanced.
    public func forEach(_ t: Int32, _ body: () throws(LuaError) -> Void) throws(LuaError) {
        let t = absolute(t)
        lua_pushnil(L)
        while lua_next(L, t) != 0 {
            try body()
            pop()
        }
    }

    public func rawLength(_ i: Int32) -> Int { Int(lua_rawlen(L, i)) }

    /// Pushes t[n] (no metamethods) and returns its Lua type.
    @discardableResult
    public func rawGet(_ t: Int32, _ n: Int) -> Int32 { lua_rawgeti(L, t, lua_Integer(n)) }

    // MARK: Converting to Swift

    /// The value at `i` as a Swift value (tables are copied, limited in size and depth).
    public func value(_ i: Int32) throws(LuaError) -> LuaValue {
        var budget = state.limits.maxConvertedValues
        return try value(i, budget: &budget)
    }

    public func value(_ i: Int32, budget: inout Int) throws(LuaError) -> LuaValue {
        var visiting = Set<UnsafeRawPointer>()
        return try convert(absolute(i), budget: &budget, depth: 0, visiting: &visiting)
    }

    private func convert(_ i: Int32, budget: inout Int, depth: Int, visiting: inout Set<UnsafeRawPointer>) throws(LuaError) -> LuaValue {
        budget -= 1
        if budget < 0 {
            throw LuaError(.conversion, "value too large to return to the host (more than \(state.limits.maxConvertedValues) values)")
        }
        switch lua_type(L, i) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .bool(lua_toboolean(L, i) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, i) != 0 { return .integer(Int64(mosaic_tointeger(L, i))) }
            return .number(mosaic_tonumber(L, i))
        case LUA_TSTRING:
            var len = 0
            let p = lua_tolstring(L, i, &len)!
            if len > state.limits.maxStringSize {
                throw LuaError(.conversion, "string too large to return to the host (\(len) bytes)")
            }
            return .string(String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self))
        case LUA_TTABLE:
            if depth >= state.limits.maxConvertedDepth {
                throw LuaError(.conversion, "table nested too deeply to return to the host (more than \(state.limits.maxConvertedDepth) levels)")
            }
            let ptr = lua_topointer(L, i)!
            if visiting.contains(ptr) {
                throw LuaError(.conversion, "cannot return a table that contains itself (a cycle)")
            }
            visiting.insert(ptr)
            defer { visiting.remove(ptr) }
            guard ensure(4) else { throw LuaError(.conversion, "stack overflow while converting a table") }
            var table = LuaTable()
            let n = Int(lua_rawlen(L, i))
            if n > budget { throw LuaError(.conversion, "value too large to return to the host (more than \(state.limits.maxConvertedValues) values)") }
            table.array.reserveCapacity(n)
            for k in 0..<n {
                lua_rawgeti(L, i, lua_Integer(k + 1))
                let v = try convert(lua_gettop(L), budget: &budget, depth: depth + 1, visiting: &visiting)
                pop()
                table.array.append(v)
            }
            lua_pushnil(L)
            while lua_next(L, i) != 0 {
                if lua_type(L, -2) == LUA_TNUMBER, lua_isinteger(L, -2) != 0 {
                    let k = mosaic_tointeger(L, -2)
                    if k >= 1 && k <= n { pop(); continue }
                }
                let top = lua_gettop(L)
                let key = try convert(top - 1, budget: &budget, depth: depth + 1, visiting: &visiting)
                let value = try convert(top, budget: &budget, depth: depth + 1, visiting: &visiting)
                table.fields.append(LuaTable.Entry(key: key, value: value))
                pop()
            }
            table.normalize()
            return .table(table)
        case LUA_TUSERDATA:
            if let cls = state.classOf(L, i), let p = lua_touserdata(L, i) {
                return .userdata(LuaUserdata(className: cls.name, payload: cls.readAny(p)))
            }
            throw LuaError(.conversion, "cannot return a userdata of an unknown class")
        case LUA_TFUNCTION:
            return .function(ref(i))
        default:
            throw LuaError(.conversion, "cannot return a \(String(cString: lua_typename(L, lua_type(L, i)))) value to the host")
        }
    }

    /// Keeps the value at `i` (a function) in the registry and returns a reference to it.
    public func ref(_ i: Int32) -> LuaFunctionRef {
        lua_pushvalue(L, i)
        let r = luaL_ref(L, mosaic_registryindex())
        return LuaFunctionRef(stateID: state.id, ref: r)
    }

    // MARK: Pushing

    public func pushNil() { lua_pushnil(L) }
    public func push(_ b: Bool) { lua_pushboolean(L, b ? 1 : 0) }
    public func push(_ i: Int64) { lua_pushinteger(L, lua_Integer(i)) }
    public func push(_ i: Int) { lua_pushinteger(L, lua_Integer(i)) }
    public func push(_ d: Double) { lua_pushnumber(L, d) }
    public func push(_ s: String) {
        var s = s
        s.withUTF8 { b in _ = lua_pushlstring(L, b.baseAddress, b.count) }
    }
    public func push(bytes: UnsafeRawBufferPointer) {
        _ = lua_pushlstring(L, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
    }
    public func push(_ fn: LuaFunctionRef) {
        precondition(fn.stateID == state.id, "a LuaFunctionRef can only be used in the state that made it")
        lua_rawgeti(L, mosaic_registryindex(), lua_Integer(fn.ref))
    }
    public func pushValue(at i: Int32) { lua_pushvalue(L, i) }
    public func push<T>(_ cls: LuaClass<T>, _ value: T) { cls.push(L, value) }

    /// Pushes registered Swift function `index` (see `LuaState.register`); the `upvalues`
    /// values on top of the stack become its upvalues (read them at `upvalue(1)`, …).
    public func pushFunction(_ index: Int, upvalues: Int32 = 0) {
        mosaic_pushswift(L, lua_Integer(index), upvalues)
    }

    /// Pushes a Swift value (tables are created fresh; userdata by class name).
    public func push(_ v: LuaValue) {
        _ = ensure(3)
        switch v {
        case .nil: lua_pushnil(L)
        case .bool(let b): push(b)
        case .integer(let i): push(i)
        case .number(let d): push(d)
        case .string(let s): push(s)
        case .function(let f): push(f)
        case .userdata(let u):
            if let idx = state.classByName[u.className], state.classes[idx].pushAny(L, u.payload) { return }
            lua_pushnil(L)
        case .table(let t):
            lua_createtable(L, Int32(clamping: t.array.count), Int32(clamping: t.fields.count))
            for (k, e) in t.array.enumerated() {
                push(e)
                lua_rawseti(L, -2, lua_Integer(k + 1))
            }
            for f in t.fields where !f.key.isNil {
                push(f.key)
                push(f.value)
                lua_rawset(L, -3)
            }
        }
    }

    public func newTable(array: Int = 0, fields: Int = 0) {
        lua_createtable(L, Int32(clamping: array), Int32(clamping: fields))
    }
    /// t[name] = value on top (popped); no metamethods.
    public func setField(_ t: Int32, _ name: String) {
        let t = absolute(t)
        push(name)
        mosaic_insert(L, -2)
        lua_rawset(L, t)
    }
    /// t[n] = value on top (popped); no metamethods.
    public func setIndex(_ t: Int32, _ n: Int) { lua_rawseti(L, t, lua_Integer(n)) }

    /// Sets the value on top (popped) at a global path "a.b.c", creating tables on the way.
    func setPath(_ path: String) {
        let parts = path.split(separator: ".").map(String.init)
        mosaic_pushglobaltable(L)
        for p in parts.dropLast() {
            if pushField(-1, p) != LUA_TTABLE {
                pop()
                newTable()
                pushValue(at: -1)
                setField(-3, p)
            }
            mosaic_remove(L, -2)
        }
        mosaic_insert(L, -2)   // value above the table
        setField(-2, parts.last!)
        pop()
    }

    // MARK: Calling Lua from a Swift function

    /// Compiles a text chunk and pushes it as a function.
    public func load(_ code: String, chunkName: String) throws(LuaError) {
        var code = code
        let status = code.withUTF8 { b in
            luaL_loadbufferx(L, UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: CChar.self), b.count, chunkName, "t")
        }
        if status != LUA_OK {
            var e = LuaError(status == LUA_ERRMEM ? .memory : .syntax, rawString(-1))
            pop()
            state.locate(&e)
            throw e
        }
    }

    /// Calls the function below the `nargs` arguments on top, in protected mode; leaves
    /// `nresults` results (or all with LUA_MULTRET = -1). On error nothing is left and the
    /// error is thrown; rethrow it to let it propagate to Lua unchanged.
    public func call(nargs: Int32, nresults: Int32) throws(LuaError) {
        let fnIndex = lua_gettop(L) - nargs
        mosaic_pushmsgh(L)
        mosaic_insert(L, fnIndex)
        let status = mosaic_pcall(L, nargs, nresults, fnIndex)
        mosaic_remove(L, fnIndex)
        if status != LUA_OK {
            let e = state.errorFromStack(status: status)
            pop()
            throw e
        }
    }
}
