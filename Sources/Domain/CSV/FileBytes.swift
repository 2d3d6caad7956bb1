#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading a whole file into memory with POSIX calls, so that failures carry the system's
/// error text (`No such file or directory`, `Permission denied`).
enum FileBytes {
    /// Why a file could not be read: the system's text for `errno`.
    struct Failure: Error {
        var reason: String
    }

    /// Reads every byte of the file at `path`.
    ///
    /// - Throws: ``Failure`` when the file cannot be opened or read, or is a directory.
    static func contents(ofFile path: String) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(reason: systemErrorText()) }
        defer { close(descriptor) }

        // Size the buffer from fstat, then read until end of file, since the size is a hint
        // for files that grow while being read.
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Failure(reason: systemErrorText()) }
        guard (status.st_mode & S_IFMT) != S_IFDIR else { throw Failure(reason: "it is a directory") }

        var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size), 0) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 4096)))
            }
            let result = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw Failure(reason: systemErrorText())
            }
            if result == 0 { break }
            count += result
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    private static func systemErrorText() -> String {
        String(cString: strerror(errno))
    }
}
