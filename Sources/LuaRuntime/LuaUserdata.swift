import CLua
import CLuaShim

/// The Lua face of one kind of Swift object: its fields, methods and metamethods.
///
/// Fields are read with `object.name`, and a Swift closure pushes the field's value.
/// Methods are called with `object:name(...)`; their closure gets the object and the call, whose
/// arguments after the receiver start at index 2. Objects are read-only to scripts: assigning a
/// field raises an error unless a `__newindex` metamethod is given.
///
/// ```swift
/// var user = LuaUserdataDefinition<User>(name: "Lanyard.User")
/// user.fields["upn"] = { user, call in call.push(user.upn) }
/// user.methods["hasEmail"] = { user, call in call.push(user.email != nil); return 1 }
/// user.length = { user in user.groups.count }
/// let userType = try state.register(user)
/// ```
public struct LuaUserdataDefinition<Object: AnyObject> {
    /// The `__name` of the metatable, which Lua shows in messages (`Lanyard.User: 0x...`).
    public var name: String
    /// Fields by name. Each closure pushes the field's value when a script reads it; pushing
    /// nothing reads as nil.
    public var fields: [String: (Object, LuaCall) throws -> Void] = [:]
    /// Methods by name. Each returns the number of results it pushed.
    public var methods: [String: (Object, LuaCall) throws -> Int] = [:]
    /// Returns the value for keys that are neither fields nor methods; the key is at index 2.
    /// Without it, such keys raise "Lanyard.User has no field or method 'x'".
    public var index: ((Object, LuaCall) throws -> Int)?
    /// The value of `#object`.
    public var length: ((Object) throws -> Int)?
    /// The text of `tostring(object)`; without it, Lua's default `Lanyard.User: 0x...`.
    public var description: ((Object) -> String)?
    /// Other metamethods by name, such as `__eq`, `__lt`, `__call` or `__pairs`. They receive
    /// their operands as plain arguments. `__index`, `__gc`, `__name` and `__metatable` are
    /// reserved.
    public var metamethods: [String: LuaFunction] = [:]

    public init(name: String) { self.name = name }
}

/// A registered kind of Swift object, used to push objects and to read them back from
/// arguments. Valid only with the ``LuaState`` that registered it.
public struct LuaUserdataType<Object: AnyObject> {
    /// The name given in the definition.
    public let name: String
    /// The registry reference of the metatable.
    let metatableReference: Int32
    /// The metatable's address, for the type check when reading arguments. Lua's collector
    /// never moves objects, and the registry keeps the metatable alive.
    let metatable: UnsafeRawPointer
}

extension LuaState {
    /// Registers a kind of Swift object and returns the type with which to push and read it.
    ///
    /// - Throws: ``LuaError/runtime(message:location:traceback:)`` when Lua fails to build the
    ///   metatable, which only happens when the memory limit is already exceeded.
    public func register<Object>(_ definition: LuaUserdataDefinition<Object>) throws(LuaError) -> LuaUserdataType<
        Object
    > {
        let reserved: Set<String> = ["__index", "__gc", "__name", "__metatable"]
        for name in definition.metamethods.keys {
            precondition(!reserved.contains(name), "metamethod \(name) of \(definition.name) is reserved by LuaState")
        }
        for name in definition.methods.keys {
            precondition(
                definition.fields[name] == nil,
                "\(definition.name) has both a field and a method named '\(name)'"
            )
        }
        return try withCleanStack { () throws(LuaError) -> LuaUserdataType<Object> in
            try register(definition, call: LuaCall(hostState: state))
        }
    }

    private func register<Object>(
        _ definition: LuaUserdataDefinition<Object>,
        call: LuaCall
    ) throws(LuaError) -> LuaUserdataType<Object> {
        let identity = MetatableIdentity()

        // The methods table (name to function) and the fields table (name to field number).
        let methods = definition.methods.sorted { $0.key < $1.key }
        call.pushTable(fieldCapacity: methods.count)
        for (name, method) in methods {
            call.push(function: name, Self.selfFunction(identity: identity, typeName: definition.name, method))
            call.setField(name)
        }
        let fields = definition.fields.sorted { $0.key < $1.key }
        call.pushTable(fieldCapacity: fields.count)
        for (number, field) in fields.enumerated() {
            call.push(number)
            call.setField(field.key)
        }

        // The metatable; each retained box is owned by it from here on.
        let readers = fields.map { field in
            let read = field.value
            return { (pointer: UnsafeMutableRawPointer, call: LuaCall) throws in
                // The userdata being indexed holds a strong reference: no retain needed.
                try Unmanaged<Object>.fromOpaque(pointer)._withUnsafeGuaranteedRef { object in try read(object, call) }
            }
        }
        let reader = LuaFieldReaderBox(typeName: definition.name, readers: readers)
        let fallback = definition.index.map { index in
            LuaIndexBox(typeName: definition.name) { pointer, call in
                try index(Unmanaged<Object>.fromOpaque(pointer).takeUnretainedValue(), call)
            }
        }
        let status = lanyard_new_object_metatable(
            state,
            definition.name,
            Unmanaged.passRetained(reader).toOpaque(),
            fallback.map { Unmanaged.passRetained($0).toOpaque() }
        )
        // NOTE: if this fails, which needs the memory cap to be exceeded already, the boxes
        // retained above are never released.
        try checkStatus(status, while: "registering userdata type '\(definition.name)'")

        // The other metamethods.
        var metamethods = definition.metamethods
        if let length = definition.length {
            metamethods["__len"] = Self.selfFunction(identity: identity, typeName: definition.name) { object, call in
                call.push(try length(object))
                return 1
            }
        }
        if let description = definition.description {
            metamethods["__tostring"] = Self.selfFunction(identity: identity, typeName: definition.name) {
                object,
                call in
                call.push(description(object))
                return 1
            }
        }
        for (name, function) in metamethods.sorted(by: { $0.key < $1.key }) {
            call.push(function: name, function)
            call.setField(name)
        }

        let metatable = lua_topointer(state, -1)!
        identity.metatable = metatable
        let reference = luaL_ref(state, lanyard_registry_index())
        return LuaUserdataType(name: definition.name, metatableReference: reference, metatable: metatable)
    }

    /// A function whose first argument must be an object of the type being registered.
    private static func selfFunction<Object: AnyObject>(
        identity: MetatableIdentity,
        typeName: String,
        _ body: @escaping (Object, LuaCall) throws -> Int
    ) -> LuaFunction {
        { call in
            guard let metatable = identity.metatable,
                let pointer = lanyard_object_at(call.state, 1, metatable)
            else {
                throw call.typeError(at: 1, expected: typeName)
            }
            return try body(Unmanaged<Object>.fromOpaque(pointer).takeUnretainedValue(), call)
        }
    }
}

/// The metatable address of a type being registered, filled in once the metatable exists, so
/// that its methods, made before, can check their receiver.
final class MetatableIdentity {
    var metatable: UnsafeRawPointer?
}
