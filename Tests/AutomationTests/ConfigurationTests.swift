import Testing

@testable import Automation

@Suite("Configuration values")
struct ConfigurationValueTests {
    @Test(
        "values outside their choices are rejected when read",
        arguments: [
            (["mail.transport": ConfigurationValue.string("smpt")], "invalid value \"smpt\" for 'mail.transport' in lanyard.config.lua: use file, smtp"),
            (["details.formats": .string("csv,exe")], "invalid value \"exe\" for 'details.formats' in lanyard.config.lua: use csv, xlsx, pdf"),
            (["details.formats": .string("")], "invalid value \"\" for 'details.formats' in lanyard.config.lua: use csv, xlsx, pdf"),
            (["codes.pin_length": .integer(40)], "invalid value 40 for 'codes.pin_length' in lanyard.config.lua: use a number from 4 to 12"),
            (["codes.pin_lenght": .integer(8)], "unknown setting 'codes.pin_lenght' in lanyard.config.lua. Did you mean 'codes.pin_length'? Valid settings: \(ConfigurationKey.all.map(\.name).joined(separator: ", "))"),
        ])
    func rejectedValues(values: [String: ConfigurationValue], message: String) {
        let error = #expect(throws: ConfigurationError.self) { try LanyardConfiguration(values: values, file: "lanyard.config.lua") }
        #expect(error?.description == message)
    }

    @Test("accepted values replace the defaults and name their source")
    func acceptedValues() throws {
        let configuration = try LanyardConfiguration(
            values: ["details.formats": .string("csv, pdf"), "mail.transport": .string("smtp")], file: "lanyard.config.lua")
        #expect(configuration.string("details.formats") == "csv, pdf")
        #expect(configuration.entries.first { $0.key == "mail.transport" }?.source == "lanyard.config.lua")
        #expect(configuration.entries.first { $0.key == "login_url" }?.source == "default")
    }
}

@Suite("Secrets in settings")
struct ConfigurationSecretTests {
    @Test(arguments: ["smtp://office:Secret123@mail.example.org:587", "smtps://a:Secret123@mail.example.org/"])
    func passwordInSMTPURLIsRejectedUnrepeated(url: String) {
        #expect {
            try LanyardConfiguration(values: ["mail.smtp_url": .string(url)], file: "lanyard.config.lua")
        } throws: { error in
            let text = "\(error)"
            return text.contains("contains a password") && !text.contains("Secret123")
        }
    }

    @Test(arguments: ["smtp://office@mail.example.org:587", "smtp://mail.example.org", "smtp://127.0.0.1:2525/?a=b:c@d"])
    func urlWithoutPasswordIsAccepted(url: String) throws {
        _ = try LanyardConfiguration(values: ["mail.smtp_url": .string(url)], file: "lanyard.config.lua")
    }
}
