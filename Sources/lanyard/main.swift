import CLI
import Foundation

let environment = ProcessInfo.processInfo.environment
let status = await Lanyard.main(arguments: Array(CommandLine.arguments.dropFirst()), environment: environment)
exit(status.rawValue)
