import Foundation

/// A folder under the system's temporary directory, removed when the value is released.
final class DemoTemporaryFolder {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("lanyard-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func appending(_ component: String) -> String {
        (path as NSString).appendingPathComponent(component)
    }
}

/// A CSV file read back for checks: a minimal RFC 4180 reader over UTF-8 bytes, so that these
/// tests do not depend on the project's own CSV reader.
struct DemoCSVTable {
    /// One data row; reading a column the header lacks gives nil.
    struct Row {
        let fields: [String]
        let columns: [String: Int]

        subscript(column: String) -> String? {
            guard let index = columns[column], index < fields.count else {
                return nil
            }
            return fields[index]
        }
    }

    let header: [String]
    let rows: [Row]

    init(path: String) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw DemoTestError.notUTF8(path)
        }
        let records = Self.parse(bytes)
        header = records.first ?? []
        let columns = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        rows = records.dropFirst().map { Row(fields: $0, columns: columns) }
    }

    /// Rows whose column has the given value.
    func rows(where column: String, is value: String) -> [Row] {
        rows.filter { $0[column] == value }
    }

    static func parse(_ bytes: [UInt8]) -> [[String]] {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let carriageReturn: UInt8 = 13
        let lineFeed: UInt8 = 10
        var records: [[String]] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var index = 0

        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == quote {
                    if index < bytes.count && bytes[index] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == quote {
                inQuotes = true
            } else if byte == comma {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            } else if byte == carriageReturn || byte == lineFeed {
                if byte == carriageReturn && index < bytes.count && bytes[index] == lineFeed {
                    index += 1
                }
                fields.append(String(decoding: field, as: UTF8.self))
                records.append(fields)
                fields = []
                field.removeAll(keepingCapacity: true)
            } else {
                field.append(byte)
            }
        }

        // The last record when the file does not end with a line break.
        if !field.isEmpty || !fields.isEmpty {
            fields.append(String(decoding: field, as: UTF8.self))
            records.append(fields)
        }
        return records
    }
}

enum DemoTestError: Error {
    case notUTF8(String)
}
