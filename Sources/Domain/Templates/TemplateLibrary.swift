import Foundation

/// Finds message templates by name: first in the school's override folder (the
/// `templates.folder` setting), then in the templates shipped with Lanyard.
///
/// Templates are read and checked when first asked for and kept for the library's lifetime.
///
/// ```swift
/// let library = TemplateLibrary(folders: ["templates", TemplateLibrary.shippedFolder()!])
/// let template = try library.template(named: "first-login-student")
/// ```
public final class TemplateLibrary {
    /// The folders searched, in order.
    public let folders: [String]
    private var loaded: [String: MessageTemplate] = [:]

    public init(folders: [String]) {
        self.folders = folders
    }

    /// The library an admin gets: `settings.templatesFolder` (relative to `workingFolder`),
    /// then the enabled plugins' templates, then the shipped folder when one is found.
    public convenience init(settings: Settings, workingFolder: String, shippedFolder: String? = TemplateLibrary.shippedFolder()) {
        let overrides =
            settings.templatesFolder.hasPrefix("/")
            ? settings.templatesFolder : (workingFolder as NSString).appendingPathComponent(settings.templatesFolder)
        var folders = [overrides] + settings.pluginTemplateFolders
        if let shippedFolder, shippedFolder != overrides { folders.append(shippedFolder) }
        self.init(folders: folders)
    }

    /// Returns the template called `name`, from the first folder that has it.
    ///
    /// - Throws: ``TemplateError/notFound(name:searched:)``, or the ``TemplateError`` of a
    ///   template that does not load.
    public func template(named name: String) throws(TemplateError) -> MessageTemplate {
        if let template = loaded[name] { return template }
        for folder in folders {
            if let template = try MessageTemplate.load(name: name, folder: folder) {
                loaded[name] = template
                return template
            }
        }
        throw .notFound(name: name, searched: folders)
    }

    // MARK: - Shipped templates

    /// The folder of the templates shipped with Lanyard: `$LANYARD_TEMPLATES` when set, else
    /// `share/lanyard/templates` beside the executable's folder (an installed copy), else
    /// `templates` at the root of the source tree this library was built from.
    ///
    /// NOTE: the source-tree fallback suits builds run from a checkout, which is how Lanyard is
    /// run today; an installer must copy `templates/` to `share/lanyard/templates`.
    public static func shippedFolder(
        environment: [String: String] = ProcessInfo.processInfo.environment, executablePath: String? = CommandLine.arguments.first
    ) -> String? {
        if let variable = environment["LANYARD_TEMPLATES"], !variable.isEmpty { return variable }
        var candidates: [String] = []
        if let executablePath {
            let binary = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
            candidates.append(binary.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/lanyard/templates").path)
        }
        // This file is Sources/Domain/Templates/TemplateLibrary.swift; the root is three up.
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(sourceRoot.appendingPathComponent("templates").path)
        var isFolder: ObjCBool = false
        return candidates.first { FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && isFolder.boolValue }
    }
}
