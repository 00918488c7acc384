/// Resource limits of one Lua state. Set by the host (per plugin, from the workspace
/// config); nothing in Lua can change them.
public struct LuaLimits: Sendable, Equatable {
    /// Wall-clock budget of each call from the host into Lua. A watchdog arms the count
    /// hook when it runs out, so the budget costs nothing until then. nil = no limit.
    public var timeout: Duration?
    /// Deterministic budget in VM instructions for each call (counted by a hook every
    /// `instructionGranularity` instructions, so it costs a little). nil = no limit.
    public var instructions: Int?
    public var instructionGranularity: Int
    /// Bytes the state may allocate (0 = no limit).
    public var memory: Int
    /// Largest string `string.rep` may build and the largest subject of pattern matching.
    public var maxStringSize: Int
    /// Largest range `table.concat` and `table.move` accept.
    public var maxElements: Int
    /// Largest estimated matcher work of one `string.find/match/gmatch/gsub` call.
    public var patternBudget: Double
    /// Values converted from Lua to Swift in one conversion (tables count their entries).
    public var maxConvertedValues: Int
    /// Nesting depth of tables converted from Lua to Swift.
    public var maxConvertedDepth: Int

    public init(timeout: Duration? = .seconds(10), instructions: Int? = nil,
                instructionGranularity: Int = 1000, memory: Int = 256 << 20,
                maxStringSize: Int = 32 << 20, maxElements: Int = 10_000_000,
                patternBudget: Double = 1e8, maxConvertedValues: Int = 1_000_000,
                maxConvertedDepth: Int = 64) {
        self.timeout = timeout
        self.instructions = instructions
        self.instructionGranularity = instructionGranularity
        self.memory = memory
        self.maxStringSize = maxStringSize
        self.maxElements = maxElements
        self.patternBudget = patternBudget
        self.maxConvertedValues = maxConvertedValues
        self.maxConvertedDepth = maxConvertedDepth
    }

    /// The defaults for plugin runs.
    public static let `default` = LuaLimits()
}
