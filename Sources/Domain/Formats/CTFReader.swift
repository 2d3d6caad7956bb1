import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A DfE Common Transfer File: the XML a school's MIS sends when pupils move school.
///
/// Only what Lanyard needs is read: each pupil's UPN, former UPN, names, date of birth and
/// National Curriculum year, and their contacts (relationship, priority, parental
/// responsibility, email). Addresses, phone numbers, attendance and assessment are skipped.
public struct CTFDocument: Sendable, Equatable {
    public struct Pupil: Sendable, Equatable {
        public var upn = ""
        public var formerUPN: String?
        public var surname = ""
        public var forename = ""
        public var preferredSurname: String?
        public var preferredForename: String?
        public var dateOfBirth: String?
        public var year: String?
        public var contacts: [Contact] = []
        public var line = 0
    }

    public struct Contact: Sendable, Equatable {
        public var order: Int?
        public var title: String?
        public var surname = ""
        public var forename = ""
        /// The CTF relationship code, such as PAM (mother) or PAF (father).
        public var relationship: String?
        public var hasParentalResponsibility: Bool?
        public var email: String?
        public var line = 0
    }

    public var sourceSchoolName: String?
    public var sourceLEA: String?
    public var sourceEstablishment: String?
    public var pupils: [Pupil] = []

    /// Reads a CTF file.
    /// - Throws: ``ImportInputError`` naming the file and line when it is not well-formed XML
    ///   or not a CTF.
    public static func read(path: String) throws -> CTFDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportInputError(at: SourceLocation(file: path), "file not found or not readable; check the path")
        }
        return try parse(data: data, file: path)
    }

    public static func parse(data: Data, file: String) throws -> CTFDocument {
        let delegate = CTFParserDelegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error"
            throw ImportInputError(
                at: SourceLocation(file: file, line: parser.lineNumber),
                "not well-formed XML (\(reason)); export the CTF from the MIS again")
        }
        guard delegate.sawRoot else {
            throw ImportInputError(at: SourceLocation(file: file), "not a Common Transfer File: the root element must be <CTfile>")
        }
        return delegate.document
    }

    /// A readable name for a CTF relationship code.
    public static func relationshipName(_ code: String) -> String {
        let names = [
            "PAM": "Mother", "PAF": "Father", "PAR": "Parent", "CAR": "Carer", "FOM": "Foster mother",
            "FOF": "Foster father", "STM": "Step-mother", "STF": "Step-father", "GRM": "Grandmother",
            "GRF": "Grandfather", "REL": "Relative", "OTH": "Other", "SWR": "Social worker", "CHM": "Childminder",
            "DOC": "Doctor", "HTC": "Head teacher", "RCH": "Residential care home",
        ]
        return names[code.uppercased()] ?? code
    }
}

/// Collects pupils and contacts from XMLParser's events by tracking the element path.
private final class CTFParserDelegate: NSObject, XMLParserDelegate {
    var document = CTFDocument()
    var sawRoot = false
    private var path: [String] = []
    private var text = ""
    private var pupil: CTFDocument.Pupil?
    private var contact: CTFDocument.Contact?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if path.isEmpty, name == "CTfile" { sawRoot = true }
        path.append(name)
        text = ""
        if name == "Pupil", path.count >= 2, path[path.count - 2] == "CTFpupilData" {
            pupil = CTFDocument.Pupil(line: parser.lineNumber)
        } else if name == "Contact", pupil != nil {
            contact = CTFDocument.Contact(line: parser.lineNumber)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parent = path.count >= 2 ? path[path.count - 2] : ""
        defer {
            path.removeLast()
            text = ""
        }

        if name == "Contact", let finished = contact {
            pupil?.contacts.append(finished)
            contact = nil
            return
        }
        if name == "Pupil", let finished = pupil, parent == "CTFpupilData" {
            document.pupils.append(finished)
            pupil = nil
            return
        }

        if contact != nil, parent == "Contact" {
            switch name {
            case "Order": contact?.order = Int(value)
            case "Title": contact?.title = value.nilIfEmpty
            case "Surname": contact?.surname = value
            case "Forename": contact?.forename = value
            case "Relationship": contact?.relationship = value.nilIfEmpty
            case "Responsibility": contact?.hasParentalResponsibility = value.lowercased() == "true" || value == "1"
            case "Email": contact?.email = value.nilIfEmpty
            default: break
            }
        } else if contact != nil, parent == "Email", name == "EmailAddress" {
            contact?.email = value.nilIfEmpty
        } else if pupil != nil, contact == nil, parent == "Pupil" {
            switch name {
            case "UPN": pupil?.upn = value
            case "Surname": pupil?.surname = value
            case "Forename": pupil?.forename = value
            case "DOB": pupil?.dateOfBirth = value.nilIfEmpty
            default: break
            }
        } else if pupil != nil, contact == nil, parent == "BasicDetails" {
            switch name {
            case "FormerUPN": pupil?.formerUPN = value.nilIfEmpty
            case "PreferredSurname": pupil?.preferredSurname = value.nilIfEmpty
            case "PreferredForename": pupil?.preferredForename = value.nilIfEmpty
            case "NCyearActual": pupil?.year = value.nilIfEmpty
            default: break
            }
        } else if parent == "SourceSchool" {
            switch name {
            case "SchoolName": document.sourceSchoolName = value.nilIfEmpty
            case "LEA": document.sourceLEA = value.nilIfEmpty
            case "Estab": document.sourceEstablishment = value.nilIfEmpty
            default: break
            }
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
