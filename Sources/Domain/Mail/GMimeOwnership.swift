import CGMime

/// Owns one reference to a GObject (a GMime message, part, stream or address) and drops it
/// with `g_object_unref` when released.
///
/// GMime containers take their own reference to what is added to them, so the owner of a part
/// may go as soon as the part is added to its message.
final class GObjectReference<Pointee> {
    let pointer: UnsafeMutablePointer<Pointee>

    /// Takes over a reference that the caller owns, such as the result of a `*_new` call.
    /// A nil pointer means GMime could not allocate, which is treated as out of memory.
    init(taking pointer: UnsafeMutablePointer<Pointee>?, _ kind: StaticString) {
        guard let pointer else { fatalError("GMime returned no \(kind); out of memory") }
        self.pointer = pointer
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(pointer))
    }

    /// Returns the same object as one of its GObject base types (`GMimeObject`, `GMimeStream`...).
    /// GObject lays a subclass out with its base first, so the cast is what C's `GMIME_OBJECT()`
    /// macro does without the type check.
    func upcast<Base>(to base: Base.Type) -> UnsafeMutablePointer<Base> {
        UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: Base.self)
    }
}

/// Owns a `GMimeFormatOptions`, which is a boxed struct rather than a GObject.
final class GMimeFormatOptionsOwner {
    let pointer: OpaquePointer

    init() {
        guard let options = g_mime_format_options_new() else { fatalError("GMime returned no format options; out of memory") }
        self.pointer = options
    }

    deinit {
        g_mime_format_options_free(pointer)
    }
}

/// Owns a `GDateTime`.
final class GDateTimeOwner {
    let pointer: OpaquePointer

    init(unixSeconds: Int) {
        guard let date = g_date_time_new_from_unix_utc(unixSeconds) else {
            fatalError("GLib rejected the time \(unixSeconds) seconds since 1970; it is outside years 1 to 9999")
        }
        self.pointer = date
    }

    deinit {
        g_date_time_unref(pointer)
    }
}

/// Initialises GMime once per process, before the first object is made.
enum GMimeLibrary {
    private static let initialised: Bool = {
        g_mime_init()
        return true
    }()

    static func ensureInitialised() {
        _ = initialised
    }
}
