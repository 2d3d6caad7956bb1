import Domain
import LuaRuntime

/// A value that an expression typed in the REPL returned, read for display.
///
/// Unlike ``LuaValue``, it keeps what the REPL shows of Lanyard's own objects: a Selection's
/// query, size and first rows, and a User's row. Tables are read only as deep and as wide as
/// a screen can show.
public indirect enum InteractiveValue: Sendable, Equatable {
    /// nil, a boolean, a number or a string.
    case scalar(LuaValue)
    /// A table: the first entries in display order (integer keys ascending, then string keys
    /// sorted, then other keys) and how many entries it contains in all.
    case table(entries: [InteractiveTableEntry], count: Int)
    /// A table nested deeper than the REPL reads.
    case nestedTable
    /// A Selection: its query, how many people it contains now, and the first of them.
    case selection(query: String, count: Int, firstRows: [User])
    /// A User, as the directory held them when the script read them.
    case user(User)
    /// A function, coroutine or other object, by its type name (`function`, `thread`).
    case opaque(typeName: String)
}

/// One key and value of a table shown in the REPL.
public struct InteractiveTableEntry: Sendable, Equatable {
    public let key: LuaValue
    public let value: InteractiveValue

    public init(key: LuaValue, value: InteractiveValue) {
        self.key = key
        self.value = value
    }
}

/// Reads the values passed to the REPL's display function into ``InteractiveValue``s.
///
/// The display function receives Lua's `next` as its first argument, so that tables can be
/// walked from Swift with the public `LuaCall` API: each step calls `next(table, key)` with the
/// previous key pushed back from its Swift copy.
struct InteractiveValueReader {
    let session: ScriptSession
    /// Entries read per table; the rest are only counted.
    var maxEntries = 100
    /// Tables nested deeper than this read as ``InteractiveValue/nestedTable``.
    var maxDepth = 3
    /// People read from a Selection for its preview.
    var selectionRows = 10
    /// The argument index of Lua's `next`.
    static let nextArgument = 1

    /// Reads the value at `index` of `call`.
    func read(_ call: LuaCall, at index: Int, depth: Int = 0) throws -> InteractiveValue {
        switch call.type(at: index) {
        case .userdata:
            if let object = try? call.userdata(at: index, as: session.selectionType) {
                let selection = object.selection
                let count = try session.directory.count(matching: selection)
                let rows = try session.directory.users(matching: selection, limit: selectionRows)
                return .selection(query: selection.description, count: count, firstRows: rows)
            }
            if let object = try? call.userdata(at: index, as: session.userType) {
                return .user(object.user)
            }
            return .opaque(typeName: try call.value(at: index).typeName)
        case .table:
            guard depth < maxDepth else { return .nestedTable }
            return try readTable(call, at: index, depth: depth)
        case .function:
            return .opaque(typeName: "function")
        case .thread:
            return .opaque(typeName: "thread")
        case .lightUserdata:
            return .opaque(typeName: "userdata")
        default:
            return .scalar(try call.value(at: index))
        }
    }

    /// Walks the table at `index` with `next`, reading the first ``maxEntries`` entries and
    /// counting the rest.
    private func readTable(_ call: LuaCall, at index: Int, depth: Int) throws -> InteractiveValue {
        var entries: [InteractiveTableEntry] = []
        var count = 0
        var key: LuaValue = .nil
        while true {
            call.pushCopy(of: Self.nextArgument)
            call.pushCopy(of: index)
            try call.push(key)
            try call.callFunction(argumentCount: 2, resultCount: 2)
            let keyIndex = call.top - 1
            if call.isNil(at: keyIndex) {
                call.pop(2)
                break
            }
            key = (try? call.value(at: keyIndex)) ?? .opaque(typeName: "table")
            count += 1
            if entries.count < maxEntries {
                let value = try read(call, at: call.top, depth: depth + 1)
                entries.append(InteractiveTableEntry(key: key, value: value))
            }
            call.pop(2)

            // NOTE: a key that Lua compares by identity (a table, a function,
            // an object) cannot be passed back to `next`, so the walk stops there and the count
            // covers only the entries seen so far.
            switch key {
            case .array, .table, .opaque: return .table(entries: entries.sorted(by: Self.displayOrder), count: count)
            default: continue
            }
        }
        return .table(entries: entries.sorted(by: Self.displayOrder), count: count)
    }

    /// Integer keys ascending, then string keys in order, then other keys.
    private static func displayOrder(_ first: InteractiveTableEntry, _ second: InteractiveTableEntry) -> Bool {
        func rank(_ key: LuaValue) -> Int {
            switch key {
            case .integer: return 0
            case .string: return 1
            default: return 2
            }
        }
        let (firstRank, secondRank) = (rank(first.key), rank(second.key))
        if firstRank != secondRank { return firstRank < secondRank }
        switch (first.key, second.key) {
        case (.integer(let a), .integer(let b)): return a < b
        case (.string(let a), .string(let b)): return a < b
        default: return String(describing: first.key) < String(describing: second.key)
        }
    }
}
