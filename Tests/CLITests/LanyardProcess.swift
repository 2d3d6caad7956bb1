import Foundation

/// Runs the built `lanyard` executable as a child process, the way an admin or a script does.
struct LanyardProcess {
    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The debug build that `swift build --build-tests` (and so `make test`) produces.
    static var executable: String {
        packageRoot.appendingPathComponent(".build/debug/lanyard").path
    }

    static func run(_ arguments: [String], in folder: String, environment extra: [String: String] = [:], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LANYARD_DB")
        environment["NO_COLOR"] = "1"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment

        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let inputPipe = Pipe()
        process.standardInput = inputPipe
        try process.run()
        if let input { inputPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inputPipe.fileHandleForWriting.close()

        // Read both pipes before waiting, so a large output cannot block the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData, as: UTF8.self))
    }
}

/// A temporary working folder for one test.
final class WorkFolder {
    let path: String

    init() {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("lanyard-cli-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `contents` to `name` inside the folder, creating the folders on its path.
    @discardableResult
    func write(_ name: String, _ contents: String) -> String {
        let full = (path as NSString).appendingPathComponent(name)
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(contents.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> LanyardProcess.Result {
        try LanyardProcess.run(arguments, in: path, environment: environment, input: input)
    }
}
