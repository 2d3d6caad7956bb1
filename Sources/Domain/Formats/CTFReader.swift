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
            throw ImportInputError(at: SourceLocation(file: path), "file not found or not readable; check the path", cause: .missing)
        }
        return try parse(data: data, file: path)
    }

    /// Parses CTF bytes; `file` names them in errors.
    /// - Throws: ``ImportInputError`` naming the file and line when the XML is not well-formed,
    ///   ends before `</CTfile>`, or has another root element.
    public static func parse(data: Data, file: String) throws -> CTFDocument {
        // A CTF never declares entities. Refusing them outright stops entity-expansion bombs and
        // external entities before the parser reads them, whatever its own limits are.
        if let declaration = data.range(of: Data("<!ENTITY".utf8)) {
            let line = data[..<declaration.lowerBound].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw ImportInputError(
                at: SourceLocation(file: file, line: line),
                "the file declares an XML entity (<!ENTITY>), which a Common Transfer File never does; export the CTF from the MIS again")
        }
        let delegate = CTFParserDelegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        let succeeded = parser.parse()

        // swift-corelibs-foundation's XMLParser (Swift 6.3) returns true for some broken
        // documents, a file cut short among them, and then only sets `parserError`. So the
        // error, the root's end tag and the file's last bytes are all checked here.
        let error = parser.parserError.map { $0 as NSError }
        let isCutShort = delegate.sawRoot && (!delegate.closedRoot || !containsRootEndTag(data))
        let errorLine = delegate.firstErrorLine ?? parser.lineNumber
        let lastLine = lastLineNumber(data)
        if isCutShort, error == nil || errorLine >= lastLine {
            throw ImportInputError(
                at: SourceLocation(file: file, line: lastLine),
                "the file ends before </CTfile>: it may have been cut short; export the CTF from the MIS again")
        }
        if !succeeded || error != nil {
            let reason = error.map { describeParserError(code: $0.code) } ?? "unknown error"
            throw ImportInputError(
                at: SourceLocation(file: file, line: errorLine),
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

// MARK: - Parse failures

extension CTFDocument {
    /// Returns whether the bytes contain `</CTfile>`. XMLParser reports the root as closed for a file
    /// cut inside that end tag, such as one ending `</CTf`, so the bytes are checked too.
    static func containsRootEndTag(_ data: Data) -> Bool {
        data.range(of: Data("</CTfile>".utf8), options: .backwards) != nil
    }

    /// Returns the 1-based line of the last byte that is not whitespace, where a file cut short
    /// ends.
    static func lastLineNumber(_ data: Data) -> Int {
        let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        guard let last = data.lastIndex(where: { !whitespace.contains($0) }) else { return 1 }
        return data[data.startIndex..<last].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }

    /// Describes an XMLParser error code in words, keeping the code for searching.
    ///
    /// swift-corelibs-foundation passes libxml2's `xmlParserErrors` numbers through, and its
    /// `XMLParser.ErrorCode` raw values are one lower than those (Swift 6.3), so the numbers
    /// are matched here with their libxml2 names.
    static func describeParserError(code: Int) -> String {
        let words: String
        switch code {
        case 4: words = "the file has no XML element"  // XML_ERR_DOCUMENT_EMPTY
        case 5: words = "the document ends early, or text follows the root element"  // XML_ERR_DOCUMENT_END
        case 6, 7, 8: words = "a character reference such as &#233; is invalid"  // XML_ERR_INVALID_*CHARREF
        case 9: words = "a character that XML does not allow, such as a control character"  // XML_ERR_INVALID_CHAR
        case 23: words = "an entity reference such as &amp; has no closing semicolon"  // XML_ERR_ENTITYREF_SEMICOL_MISSING
        case 26: words = "an entity such as &nbsp; is used but not declared"  // XML_ERR_UNDECLARED_ENTITY
        case 31, 32: words = "the encoding that the XML declaration names is not supported"  // XML_ERR_UNKNOWN_ENCODING, XML_ERR_UNSUPPORTED_ENCODING
        case 38: words = "an attribute value contains <"  // XML_ERR_LT_IN_ATTRIBUTE
        case 41: words = "an attribute has no value"  // XML_ERR_ATTRIBUTE_WITHOUT_VALUE
        case 42: words = "an element has the same attribute twice"  // XML_ERR_ATTRIBUTE_REDEFINED
        case 68: words = "a bare & or < that should be written &amp; or &lt;"  // XML_ERR_NAME_REQUIRED
        case 73: words = "a tag has no closing >"  // XML_ERR_GT_REQUIRED
        case 76: words = "an end tag does not match its start tag"  // XML_ERR_TAG_NAME_MISMATCH
        case 81: words = "the bytes do not match the encoding that the XML declaration names"  // XML_ERR_INVALID_ENCODING
        case 86: words = "text follows the root element"  // XML_ERR_EXTRA_CONTENT
        default: words = "XMLParser could not read it"
        }
        return "\(words); XMLParser error \(code)"
    }
}

/// Collects pupils and contacts from XMLParser's events by tracking the element path.
private final class CTFParserDelegate: NSObject, XMLParserDelegate {
    var document = CTFDocument()
    var sawRoot = false
    /// Whether the root's end tag `</CTfile>` was read.
    var closedRoot = false
    /// The line of the first error XMLParser reported; its `lineNumber` after parsing is the
    /// line where it stopped, which can be later.
    var firstErrorLine: Int?
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

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if firstErrorLine == nil { firstErrorLine = parser.lineNumber }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if path.count == 1, name == "CTfile" { closedRoot = true }
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
