import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A destination for text: standard output, standard error, or a buffer in tests.
public protocol OutputSink: Sendable {
    /// Whether the destination is a terminal, which turns on colour, progress and truncation.
    var isTerminal: Bool { get }

    /// Writes `text` as UTF-8, without adding a line break.
    func write(_ text: String)
}

// MARK: - File descriptors

/// Writes straight to a file descriptor with `write(2)`, unbuffered, so that output to standard
/// output and standard error keeps its order and no buffer needs flushing before the process exits.
///
/// NOTE: Output written with `print` goes through the C library's buffer instead and can appear
/// out of order with this sink. Write everything through ``Console``.
public struct FileDescriptorSink: OutputSink {
    public let descriptor: Int32
    public let isTerminal: Bool

    public init(descriptor: Int32) {
        self.descriptor = descriptor
        self.isTerminal = Terminal.isTerminal(descriptor)
    }

    public static let standardOutput = FileDescriptorSink(descriptor: STDOUT_FILENO)
    public static let standardError = FileDescriptorSink(descriptor: STDERR_FILENO)

    public func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                #if canImport(Glibc)
                    Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                    Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
            }
            if written < 0 {
                if errno == EINTR { continue }
                // A closed pipe or a full disk: the text cannot reach anyone, and reporting
                // it would write to the same broken stream, so the rest is dropped.
                return
            }
            offset += written
        }
    }
}

// MARK: - Capture

/// Collects written text in memory, so tests run commands in-process and read what they wrote.
///
/// It is `@unchecked Sendable` because every access to the buffer takes `lock`, so writes from
/// several tasks (a progress reporter and a command, say) never race.
public final class CapturedOutput: OutputSink, @unchecked Sendable {
    public let isTerminal: Bool
    private let lock = NSLock()
    private var buffer = ""

    /// Creates an empty buffer that reports itself as a terminal or not.
    public init(isTerminal: Bool = false) {
        self.isTerminal = isTerminal
    }

    public func write(_ text: String) {
        lock.withLock { buffer += text }
    }

    /// Everything written so far.
    public var text: String {
        lock.withLock { buffer }
    }
}
