/// The reasons a demo school could not be generated. Each case carries the setting or path at fault.
public enum DemoSchoolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A number setting of ``DemoSchool`` lies outside what the generator supports.
    case settingOutOfRange(setting: String, value: Int, range: ClosedRange<Int>)
    /// A text setting of ``DemoSchool`` is unusable, and `rule` describes the valid form.
    case invalidSetting(setting: String, value: String, rule: String)
    /// The output folder could not be created; `reason` is the system's message.
    case folderNotCreated(path: String, reason: String)
    /// A file could not be written; `reason` is the system's message.
    case fileNotWritten(path: String, reason: String)

    public var description: String {
        switch self {
        case .settingOutOfRange(let setting, let value, let range):
            return
                "invalid demo school setting '\(setting)': \(value) is outside \(range.lowerBound)...\(range.upperBound); "
                + "choose a value in that range"
        case .invalidSetting(let setting, let value, let rule):
            return "invalid demo school setting '\(setting)': '\(value)' \(rule)"
        case .folderNotCreated(let path, let reason):
            return "could not create the folder '\(path)': \(reason); check that its parent exists and is writable"
        case .fileNotWritten(let path, let reason):
            return
                "could not write the file '\(path)': \(reason); check the folder's permissions and the free disk space"
        }
    }
}
