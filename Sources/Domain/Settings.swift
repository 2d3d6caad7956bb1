/// The settings the directory's operations use. Each has the default a school gets without a
/// configuration file; `lanyard.config.lua` overrides them (see docs/configuration.md).
public struct Settings: Sendable, Equatable {
    /// Characters in a student PIN.
    public var pinLength = 6
    /// Characters in a parent code, before grouping for print.
    public var parentCodeLength = 12
    /// Months until a new PIN expires (3 months is what schools' platforms use).
    public var pinLifetimeMonths = 3
    /// Months until a new parent code expires.
    public var parentCodeLifetimeMonths = 3
    /// How many parents or guardians may register with one parent code.
    public var parentCodeMaxUses = 5
    /// Where students and parents sign in, printed on letters and in emails.
    public var loginURL = "https://login.example.org"

    public init() {}
}
