import Foundation
import Storage
import Testing

@testable import Domain

@Suite("File transport")
struct MailFileTransportTests {
    func files(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func eachMessageIsOnePrivateFile() throws {
        let test = try ClockedDirectory()
        let ids = try test.queue(["a@example.org", "b@example.org", "c@example.org"])
        let outbox = test.folder.file("outbox")
        let transport = FileTransport(folder: outbox)
        let queued = try ids.map { try test.directory.outboxMessage(id: $0) }

        let summary = try test.directory.deliverOutbox(through: transport, policy: DeliveryPolicy(messagesPerMinute: nil))

        #expect(summary.sent == 3)
        #expect(try files(in: outbox) == ["outbox-00000001.eml", "outbox-00000002.eml", "outbox-00000003.eml"])
        #expect(try mode(of: outbox) == 0o700)
        for (id, message) in zip(ids, queued) {
            let path = transport.path(forOutboxId: id)
            #expect(try mode(of: path) == 0o600)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(Array(bytes) == message)
        }
    }

    @Test func rerunAfterCrashOverwritesRatherThanDuplicates() throws {
        let test = try ClockedDirectory()
        let ids = try test.queue(["a@example.org", "b@example.org"])
        let outbox = test.folder.file("outbox")
        let transport = FileTransport(folder: outbox)
        _ = try test.directory.deliverOutbox(through: transport, policy: DeliveryPolicy(messagesPerMinute: nil))

        // A crash after writing the file and before marking the message sent
        try test.directory.database.execute("UPDATE outbox SET state = 'sending', sent_at = NULL WHERE id = ?1", [ids[1]])
        let summary = try test.directory.deliverOutbox(through: transport, policy: DeliveryPolicy(messagesPerMinute: nil))

        #expect(summary.sent == 1)
        #expect(try files(in: outbox) == ["outbox-00000001.eml", "outbox-00000002.eml"])
        #expect(try test.entry(ids[1]).state == .sent)
    }

    @Test func unwritableFolderStopsRun() throws {
        let test = try ClockedDirectory()
        let id = try test.queue(["a@example.org"])[0]
        let blocker = test.folder.write("not-a-folder", "")
        let transport = FileTransport(folder: blocker + "/outbox")

        let summary = try test.directory.deliverOutbox(through: transport, policy: DeliveryPolicy(messagesPerMinute: nil))

        #expect(summary.stoppedBy == .fileWriteFailed(path: blocker + "/outbox", reason: "Not a directory"))
        #expect(
            summary.stoppedBy?.description
                == "could not write the message file '\(blocker)/outbox': Not a directory; check that the folder exists and is writable")
        #expect(try test.entry(id).state == .queued)
    }
}
