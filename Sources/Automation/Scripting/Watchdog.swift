import Foundation
import LuaRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// Stops a script that runs longer than its time limit.
///
/// The instruction limit cannot stop a script that is stuck inside one C function, such as a
/// Lua pattern match with catastrophic backtracking, because Lua's count hook only runs
/// between instructions. So at the limit the watchdog first interrupts the script, which works
/// whenever Lua code runs; if the script is still running `gracePeriod` seconds later, it ends
/// the process. The run's transaction was never committed, so SQLite rolls it back: nothing the
/// script changed is saved.
final class Watchdog: @unchecked Sendable {
    let seconds: Double
    static let gracePeriod = 10.0
    private let lock = NSLock()
    private var finished = false
    private var didFire = false

    /// Interrupts every state in `interrupters` (the script's, and the plugins' it may call)
    /// after `seconds`.
    init(seconds: Double, interrupters: [LuaInterrupter]) {
        self.seconds = seconds
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            guard markFired() else { return }
            for interrupter in interrupters { interrupter.interrupt() }
            DispatchQueue.global().asyncAfter(deadline: .now() + Self.gracePeriod) { [self] in
                guard !isFinished else { return }
                let message = "error: the script was still running \(Int(Self.gracePeriod)) seconds after its time limit of "
                    + "\(Int(seconds)) seconds (stuck inside a library call, such as a pattern match), so Lanyard stopped; "
                    + "nothing the script changed was saved\n"
                FileHandle.standardError.write(Data(message.utf8))
                _exit(75)
            }
        }
    }

    /// Whether the limit was reached.
    var fired: Bool {
        lock.lock()
        defer { lock.unlock() }
        return didFire
    }

    private var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    private func markFired() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return false }
        didFire = true
        return true
    }

    /// Called when the script ends, so that the watchdog never acts afterwards.
    func cancel() {
        lock.lock()
        finished = true
        lock.unlock()
    }
}
