/// The resources one run may use before the host stops it.
///
/// ```swift
/// let state = try LuaState(limits: LuaLimits(instructions: 500_000_000, memoryBytes: 512 << 20))
/// ```
public struct LuaLimits: Sendable, Equatable {
    /// VM instructions per run, counted in steps of 1,000; 0 means no limit. The count covers
    /// Lua code only: time spent inside C library functions (`string.rep`, pattern matching)
    /// and Swift functions is not counted.
    public var instructions: Int
    /// Bytes the whole state may hold, its libraries and host objects included; 0 means no limit.
    public var memoryBytes: Int

    /// 100 million instructions and 256 MiB, which a workflow script over a whole school stays
    /// well within.
    public static let scriptDefaults = LuaLimits(instructions: 100_000_000, memoryBytes: 256 << 20)
    /// 10 million instructions and 16 MiB, for configuration files.
    public static let configurationDefaults = LuaLimits(instructions: 10_000_000, memoryBytes: 16 << 20)

    public init(instructions: Int = 100_000_000, memoryBytes: Int = 256 << 20) {
        precondition(instructions >= 0, "LuaLimits.instructions must not be negative (got \(instructions))")
        precondition(memoryBytes >= 0, "LuaLimits.memoryBytes must not be negative (got \(memoryBytes))")
        self.instructions = instructions
        self.memoryBytes = memoryBytes
    }
}
