import CLua
import CLuaShim

/// A Swift function callable from Lua: `call` contains the arguments and receives the results.
///
/// Push the results with the `push` methods of ``LuaCall`` and return how many you pushed.
/// Throw to raise a Lua error: a ``LuaArgumentError`` or any other error becomes a Lua error
/// with the error's description, prefixed with the caller's `chunk:line:`, which the script's
/// `pcall` can catch.
///
/// ```swift
/// try state.register(function: "greet") { call in
///     let name = try call.string(at: 1)
///     call.push("Hello, \(name)")
///     return 1
/// }
/// ```
public typealias LuaFunction = (LuaCall) throws -> Int

// MARK: - Boxes

/// A Swift object that a Lua closure owns through a userdata upvalue; the C trampoline passes it
/// back to ``invoke(_:selector:object:)``.
class LuaCallable {
    /// The name used in argument errors, such as `users.select`.
    let name: String

    init(name: String) { self.name = name }

    /// Runs the Swift code and returns the result count or a `LANYARD_RAISE` code.
    func invoke(_ call: LuaCall, selector: lua_Integer, object: UnsafeMutableRawPointer?) -> Int32 {
        preconditionFailure("LuaCallable.invoke must be overridden by \(type(of: self))")
    }

    /// Runs `body` as the body of a Lua function, converting thrown errors into the
    /// trampoline's raise codes. The trampoline checks for push failures.
    final func run(_ call: LuaCall, _ body: (LuaCall) throws -> Int) -> Int32 {
        do {
            let count = try body(call)
            precondition(count >= 0, "Swift function '\(name)' returned a negative result count (\(count))")
            return Int32(clamping: count)
        } catch let error as LuaError {
            // Errors of nested Lua calls already carry their position.
            call.pushMessage(error.description)
            return LANYARD_RAISE
        } catch {
            call.pushMessage(String(describing: error))
            return LANYARD_RAISE_WITH_POSITION
        }
    }
}

/// A plain Swift function.
final class LuaFunctionBox: LuaCallable {
    let body: LuaFunction

    init(name: String, body: @escaping LuaFunction) {
        self.body = body
        super.init(name: name)
    }

    override func invoke(_ call: LuaCall, selector: lua_Integer, object: UnsafeMutableRawPointer?) -> Int32 {
        run(call, body)
    }
}

/// Reads field number `selector` of the userdata's Swift object.
///
/// Not generic: the readers take the object as a raw pointer, so the field read path runs
/// specialised code rather than asking the runtime for generic closure metadata on each call.
final class LuaFieldReaderBox: LuaCallable {
    let readers: [(UnsafeMutableRawPointer, LuaCall) throws -> Void]

    init(typeName: String, readers: [(UnsafeMutableRawPointer, LuaCall) throws -> Void]) {
        self.readers = readers
        super.init(name: typeName)
    }

    override func invoke(_ call: LuaCall, selector: lua_Integer, object: UnsafeMutableRawPointer?) -> Int32 {
        let reader = readers[Int(selector)]
        return run(call) { call in
            try reader(object!, call)
            return 1
        }
    }
}

/// Returns `object[key]` for keys that are neither fields nor methods.
final class LuaIndexBox: LuaCallable {
    let body: (UnsafeMutableRawPointer, LuaCall) throws -> Int

    init(typeName: String, body: @escaping (UnsafeMutableRawPointer, LuaCall) throws -> Int) {
        self.body = body
        super.init(name: typeName)
    }

    override func invoke(_ call: LuaCall, selector: lua_Integer, object: UnsafeMutableRawPointer?) -> Int32 {
        run(call) { call in try body(object!, call) }
    }
}

// MARK: - C callbacks

/// Makes the callbacks that every state gives its C side. They capture nothing: the callable and the
/// output sink travel as unmanaged pointers.
func makeCallbacks(outputSink: LuaOutputSink) -> lanyard_callbacks {
    lanyard_callbacks(
        call: { state, callable, selector, object, argumentCount in
            // The closure that owns the callable is running, so it is alive: no retain needed.
            let box = Unmanaged<LuaCallable>.fromOpaque(callable!)
            return box._withUnsafeGuaranteedRef { box in
                let call = LuaCall(state: state!, callee: box, argumentCount: Int(argumentCount))
                return box.invoke(call, selector: selector, object: object)
            }
        },
        release: { object in
            Unmanaged<AnyObject>.fromOpaque(object!).release()
        },
        output: { context, text, length in
            let sink = Unmanaged<LuaOutputSink>.fromOpaque(context!).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: text, count: length)
            sink.handler?(String(decoding: bytes, as: UTF8.self))
        },
        output_context: Unmanaged.passUnretained(outputSink).toOpaque()
    )
}

/// Destination of the script's `print` lines, owned by the state, which outlives its C side.
final class LuaOutputSink {
    var handler: ((String) -> Void)?
}
