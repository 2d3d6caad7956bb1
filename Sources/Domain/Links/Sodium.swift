import CSodium

/// The few libsodium 1.0.18 calls that password links need: random bytes, BLAKE2b digests,
/// constant-time comparison and Argon2id password hashes.
///
/// Every call first runs `sodium_init`, which libsodium allows from any thread and any number
/// of times.
enum Sodium {
    /// Bytes in a BLAKE2b-256 digest.
    static let digestLength = 32

    private static let initialised: Bool = sodium_init() >= 0

    private static func ensureInitialised() {
        // sodium_init fails only when the system's random source cannot be opened. Without that
        // source no token can be made safely, so carrying on would be wrong.
        precondition(initialised, "libsodium could not initialise: the system random source is unavailable")
    }

    // MARK: - Random bytes and digests

    /// Returns `count` bytes from libsodium's `randombytes_buf` (getrandom(2) on Linux).
    static func randomBytes(count: Int) -> [UInt8] {
        ensureInitialised()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            randombytes_buf(buffer.baseAddress!, buffer.count)
        }
        return bytes
    }

    /// Returns the unkeyed BLAKE2b-256 digest (`crypto_generichash`) of `bytes`.
    static func digest(_ bytes: [UInt8]) -> [UInt8] {
        ensureInitialised()
        var output = [UInt8](repeating: 0, count: digestLength)
        let result = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                crypto_generichash(out.baseAddress!, out.count, input.baseAddress, UInt64(input.count), nil, 0)
            }
        }
        precondition(result == 0, "crypto_generichash failed with \(result) for a valid output length")
        return output
    }

    /// Compares two byte strings in time that depends only on their length (`sodium_memcmp`).
    /// Strings of different lengths are unequal.
    static func constantTimeEqual(_ first: [UInt8], _ second: [UInt8]) -> Bool {
        ensureInitialised()
        guard first.count == second.count else { return false }
        guard !first.isEmpty else { return true }
        return first.withUnsafeBytes { a in
            second.withUnsafeBytes { b in
                sodium_memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
            }
        }
    }

    // MARK: - Password hashes

    /// Returns an Argon2id hash of `password` in libsodium's string form (`$argon2id$v=19$...`),
    /// with a random salt and the interactive limits (2 passes over 64 MiB).
    ///
    /// - Throws: ``PasswordHashError/outOfMemory`` when the 64 MiB cannot be allocated.
    static func hashPassword(_ password: String) throws(PasswordHashError) -> String {
        ensureInitialised()
        var output = [CChar](repeating: 0, count: Int(crypto_pwhash_STRBYTES))
        let length = UInt64(password.utf8.count)
        let result = password.withCString { characters in
            crypto_pwhash_str_alg(
                &output, characters, length, UInt64(crypto_pwhash_OPSLIMIT_INTERACTIVE), Int(crypto_pwhash_MEMLIMIT_INTERACTIVE),
                crypto_pwhash_ALG_ARGON2ID13)
        }
        guard result == 0 else { throw .outOfMemory }
        return String(cString: output)
    }

    /// Checks `password` against a hash made by ``hashPassword(_:)`` (`crypto_pwhash_str_verify`).
    static func verifyPassword(_ password: String, hash: String) -> Bool {
        ensureInitialised()
        let length = UInt64(password.utf8.count)
        return password.withCString { characters in
            crypto_pwhash_str_verify(hash, characters, length) == 0
        }
    }
}

/// A password that could not be hashed.
public enum PasswordHashError: Error, Equatable, Sendable, CustomStringConvertible {
    case outOfMemory

    public var description: String {
        "could not hash the password, because Argon2id needs 64 MiB of memory that the system did not give; free some memory and try again"
    }
}
