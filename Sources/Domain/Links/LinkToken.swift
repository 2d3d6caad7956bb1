/// The secret part of a password link: 32 random bytes (256 bits) written as URL-safe base64
/// without padding, so 43 characters of `A-Z a-z 0-9 - _`.
///
/// Only its ``digest`` is stored. The token itself goes into the queued message and nowhere
/// else: ``description`` hides it, so interpolating a token into a log or an error shows
/// nothing secret.
///
/// ```swift
/// let token = LinkToken.generate()
/// let url = token.url(base: "https://login.example.org/set-password")
/// ```
public struct LinkToken: Sendable, Equatable, CustomStringConvertible {
    /// Random bytes in a token.
    public static let byteCount = 32
    /// Characters in a token's text.
    public static let textLength = 43

    /// The token as it appears in the link.
    public let text: String

    /// Makes a new token from libsodium's random source.
    public static func generate() -> LinkToken {
        LinkToken(checkedText: Base64URL.encode(Sodium.randomBytes(count: byteCount)))
    }

    /// Reads a token as typed or pasted, ignoring surrounding spaces.
    ///
    /// - Returns: nil when the text cannot be a token (wrong length or characters), so that a
    ///   caller can answer without looking anything up.
    public init?(parsing text: String) {
        let trimmed = text.trimmingSpaces()
        guard trimmed.utf8.count == Self.textLength, let bytes = Base64URL.decode(trimmed), bytes.count == Self.byteCount else {
            return nil
        }
        self.text = trimmed
    }

    private init(checkedText: String) {
        self.text = checkedText
    }

    /// A visibly fake token for previews, which matches no stored digest.
    public static let preview = LinkToken(checkedText: "PREVIEW-TOKEN")

    /// The BLAKE2b-256 digest that the directory stores in place of the token.
    public var digest: LinkDigest {
        LinkDigest(bytes: Sodium.digest(Array(text.utf8)))
    }

    /// The link a user opens: `base` with the token as its `token` query parameter.
    public func url(base: String) -> String {
        base + (base.contains("?") ? "&" : "?") + "token=" + text
    }

    public var description: String { "LinkToken(hidden)" }
}

/// The stored digest of a ``LinkToken``. Two digests compare in constant time
/// (`sodium_memcmp`), so the time a comparison takes does not reveal how many bytes match.
public struct LinkDigest: Sendable, Equatable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public static func == (lhs: LinkDigest, rhs: LinkDigest) -> Bool {
        Sodium.constantTimeEqual(lhs.bytes, rhs.bytes)
    }
}

/// URL-safe base64 (RFC 4648 section 5) without padding.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let first = UInt32(bytes[index])
            let second = remaining > 1 ? UInt32(bytes[index + 1]) : 0
            let third = remaining > 2 ? UInt32(bytes[index + 2]) : 0
            let group = first << 16 | second << 8 | third
            output.append(alphabet[Int(group >> 18 & 63)])
            output.append(alphabet[Int(group >> 12 & 63)])
            if remaining > 1 { output.append(alphabet[Int(group >> 6 & 63)]) }
            if remaining > 2 { output.append(alphabet[Int(group & 63)]) }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes unpadded URL-safe base64; nil for any other character or an impossible length.
    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt32] = []
        for byte in text.utf8 {
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt32(value))
        }
        guard values.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            var group: UInt32 = 0
            for (offset, value) in chunk.enumerated() { group |= value << (18 - 6 * UInt32(offset)) }
            output.append(UInt8(group >> 16 & 255))
            if chunk.count > 2 { output.append(UInt8(group >> 8 & 255)) }
            if chunk.count > 3 { output.append(UInt8(group & 255)) }
            index += 4
        }
        return output
    }
}
