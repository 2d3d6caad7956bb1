import CGMime
import Foundation

/// A message rendered to the bytes that go on the wire, with the `Message-ID` it carries.
public struct RenderedMessage: Sendable, Equatable {
    /// RFC 5322 bytes with CRLF line ends.
    public var bytes: [UInt8]
    /// The `Message-ID` header's value without its angle brackets, as in
    /// `TOEJPT.P1I3GCESP4S53@oakfield.sch.uk`.
    public var messageId: String
}

/// Renders a ``MailMessage`` to RFC 5322 bytes through GMime 3.
///
/// Every message is written so that mail clients read it right:
/// - headers in UTF-8, with display names and subjects outside ASCII as RFC 2047 encoded words,
///   folded at 78 characters;
/// - bodies in UTF-8 with quoted-printable transfer encoding, so no line exceeds 76 octets;
/// - CRLF line ends throughout;
/// - `Date`, `Message-ID` (on the sender's domain) and `MIME-Version` headers.
///
/// UTF-8 is forced for headers and bodies. GMime otherwise picks the smallest charset that fits
/// the text, which is ISO-8859-1 for Latin-1-only names such as "Zoë Ní Bhriain", and mixing
/// charsets in one message makes some clients show it wrongly.
///
/// ```swift
/// let rendered = try MailComposer().render(message, date: Date())
/// rendered.messageId  // "TOEJPT.P1I3GCESP4S53@oakfield.sch.uk"
/// ```
public struct MailComposer: Sendable {
    public init() {}

    // MARK: - Rendering

    /// Renders `message`, stamped with `date` and `messageId`, or a new `Message-ID` on the
    /// sender's domain when `messageId` is nil.
    ///
    /// - Throws: ``MailMessageError`` when a header field carries a line break or other control
    ///   character, or the subject is empty.
    public func render(_ message: MailMessage, date: Date, messageId: String? = nil) throws(MailMessageError) -> RenderedMessage {
        try message.validate()
        GMimeLibrary.ensureInitialised()

        // Headers
        let mimeMessage = GObjectReference(taking: g_mime_message_new(1), "message")
        add(message.from, to: g_mime_message_get_from(mimeMessage.pointer))
        add(message.to, to: g_mime_message_get_to(mimeMessage.pointer))
        if let replyTo = message.replyTo {
            add(replyTo, to: g_mime_message_get_reply_to(mimeMessage.pointer))
        }
        g_mime_message_set_subject(mimeMessage.pointer, message.subject, Self.charset)
        let dateTime = GDateTimeOwner(unixSeconds: Int(date.timeIntervalSince1970.rounded(.down)))
        g_mime_message_set_date(mimeMessage.pointer, dateTime.pointer)
        let id = messageId ?? Self.makeMessageId(domain: message.from.address.domain)
        g_mime_message_set_message_id(mimeMessage.pointer, id)

        // Body
        let plain = textPart(subtype: "plain", text: message.textBody)
        if let html = message.htmlBody {
            let alternative = GObjectReference(taking: g_mime_multipart_new_with_subtype("alternative"), "multipart")
            g_mime_multipart_add(alternative.pointer, plain.upcast(to: GMimeObject.self))
            let htmlPart = textPart(subtype: "html", text: html)
            g_mime_multipart_add(alternative.pointer, htmlPart.upcast(to: GMimeObject.self))
            g_mime_message_set_mime_part(mimeMessage.pointer, alternative.upcast(to: GMimeObject.self))
        } else {
            g_mime_message_set_mime_part(mimeMessage.pointer, plain.upcast(to: GMimeObject.self))
        }

        return RenderedMessage(bytes: write(mimeMessage.upcast(to: GMimeObject.self)), messageId: id)
    }

    /// Makes a new `Message-ID` value (without angle brackets) on `domain`, with a local part
    /// from GMime 3.2's `g_mime_utils_generate_message_id`, which differs on every call.
    public static func makeMessageId(domain: String) -> String {
        GMimeLibrary.ensureInitialised()
        guard let generated = g_mime_utils_generate_message_id(domain) else {
            fatalError("GMime returned no Message-ID; out of memory")
        }
        defer { g_free(generated) }
        return String(cString: generated)
    }

    // MARK: - Parts

    static let charset = "utf-8"

    /// Adds a mailbox to an address list that the message owns, forcing UTF-8 for its name.
    private func add(_ mailbox: Mailbox, to list: UnsafeMutablePointer<InternetAddressList>?) {
        let name = mailbox.name.flatMap { $0.isEmpty ? nil : $0 }
        let address = GObjectReference(taking: internet_address_mailbox_new(name, mailbox.address.value), "address")
        internet_address_set_charset(address.upcast(to: InternetAddress.self), Self.charset)
        internet_address_list_add(list, address.upcast(to: InternetAddress.self))
    }

    /// Makes a `text/<subtype>; charset=utf-8` part in quoted-printable.
    ///
    /// The content goes in as UTF-8 bytes through a data wrapper rather than through
    /// `g_mime_text_part_set_text`, because that call would convert Latin-1-only text to
    /// ISO-8859-1.
    private func textPart(subtype: String, text: String) -> GObjectReference<GMimeTextPart> {
        let part = GObjectReference(taking: g_mime_text_part_new_with_subtype(subtype), "text part")

        // GMime writes each LF as CRLF, so line ends are made LF first and none is doubled.
        let bytes = Self.lineFeedsOnly(text)
        let stream = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                GObjectReference(taking: g_mime_stream_mem_new_with_buffer(characters.baseAddress, characters.count), "stream")
            }
        }
        let content = GObjectReference(
            taking: g_mime_data_wrapper_new_with_stream(stream.pointer, GMIME_CONTENT_ENCODING_DEFAULT), "data wrapper")
        let mimePart = part.upcast(to: GMimePart.self)
        g_mime_part_set_content(mimePart, content.pointer)
        g_mime_text_part_set_charset(part.pointer, Self.charset)
        g_mime_part_set_content_encoding(mimePart, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE)
        return part
    }

    /// The text's UTF-8 bytes with CRLF and lone CR turned into LF, worked on bytes because
    /// Foundation's string replacement is slow on Linux and this runs once per message.
    static func lineFeedsOnly(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var afterCarriageReturn = false
        for byte in text.utf8 {
            if byte == 0x0D {
                bytes.append(0x0A)
                afterCarriageReturn = true
                continue
            }
            if byte == 0x0A && afterCarriageReturn {
                afterCarriageReturn = false
                continue
            }
            afterCarriageReturn = false
            bytes.append(byte)
        }
        return bytes
    }

    // MARK: - Writing

    /// Writes the message with CRLF line ends and returns a copy of the bytes.
    private func write(_ object: UnsafeMutablePointer<GMimeObject>) -> [UInt8] {
        let options = GMimeFormatOptionsOwner()
        g_mime_format_options_set_newline_format(options.pointer, GMIME_NEWLINE_FORMAT_DOS)

        let stream = GObjectReference(taking: g_mime_stream_mem_new(), "stream")
        let written = g_mime_object_write_to_stream(object, options.pointer, stream.pointer)
        // A memory stream fails only when it cannot grow, which is out of memory.
        precondition(written >= 0, "GMime could not write a message to memory")

        guard let array = g_mime_stream_mem_get_byte_array(stream.upcast(to: GMimeStreamMem.self)),
            let data = array.pointee.data
        else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(array.pointee.len)))
    }
}
