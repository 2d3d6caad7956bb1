import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, writing standard output and standard error to
/// one file, in its own process group so that a Ctrl-C at the scheduler's terminal does not
/// reach it. A thread waits for it and calls `onExit` with its status.
final class ChildProcess: Sendable {
    let processId: pid_t

    /// Starts `arguments[0]` with the rest as its arguments, the environment of this process,
    /// standard input from /dev/null, and output to `outputDescriptor`.
    ///
    /// SIGTERM, SIGINT and SIGHUP get their default action in the child, because the scheduler
    /// ignores them to receive them through dispatch sources, and ignored signals survive `exec`.
    ///
    /// - Throws: ``SchedulerError/spawnFailed(executable:reason:)``.
    init(arguments: [String], outputDescriptor: Int32, onExit: @escaping @Sendable (ChildExit) -> Void) throws(SchedulerError) {
        precondition(!arguments.isEmpty, "ChildProcess needs at least the executable's path")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var spawned: pid_t = 0
        let result = posix_spawn(&spawned, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw .spawnFailed(executable: arguments[0], reason: String(cString: strerror(result)))
        }
        let processId = spawned
        self.processId = processId

        let thread = Thread {
            onExit(ChildProcess.wait(for: processId))
        }
        thread.name = "lanyard-child-\(processId)"
        thread.start()
    }

    /// Sends `signal` to the child's process group, so that whatever the child started stops too.
    func send(_ signal: Int32) {
        kill(-processId, signal)
    }

    private static func wait(for processId: pid_t) -> ChildExit {
        var status: Int32 = 0
        while waitpid(processId, &status, 0) == -1 {
            guard errno == EINTR else { return ChildExit(processId: processId, exitCode: nil, signal: nil) }
        }
        let signal = status & 0x7F
        if signal == 0 {
            return ChildExit(processId: processId, exitCode: Int((status >> 8) & 0xFF), signal: nil)
        }
        return ChildExit(processId: processId, exitCode: nil, signal: signal)
    }
}

/// The end of a child process: its exit status or the signal that ended it.
struct ChildExit: Sendable {
    let processId: pid_t
    /// The exit status when it exited.
    let exitCode: Int?
    /// The signal that ended it.
    let signal: Int32?

    /// The exit status as a shell shows it: 128 plus the signal number for a signal.
    var shellStatus: Int? {
        if let exitCode { return exitCode }
        return signal.map { 128 + Int($0) }
    }
}
