import CCairo
import Foundation

/// A PDF file drawn with cairo, page by page, in points (1/72 inch) from the top left.
///
/// Text uses cairo's toy font API with the DejaVu Sans family (Debian's fonts-dejavu-core),
/// found through fontconfig. The toy API draws one glyph per character and does no shaping,
/// so text is first put in Unicode normalisation form C: DejaVu Sans has precomposed glyphs
/// for Latin letters with diacritics (ë, ñ, ł, ŵ) and for Vietnamese letters with two marks
/// (ễ, ậ), which then render as single glyphs. cairo embeds the font subset with a ToUnicode
/// map, so `pdftotext` reads the names back.
///
/// NOTE: scripts that need shaping (Arabic, Devanagari) or glyphs missing from DejaVu Sans
/// would render wrongly or as empty boxes; that needs Pango or HarfBuzz, not the toy API.
final class PDFDocument {
    /// A4 in points.
    static let a4 = (width: 595.276, height: 841.890)

    enum FontStyle {
        case regular
        case bold
        /// DejaVu Sans Mono Bold, for codes, where every character must be distinct.
        case code
    }

    let path: String
    private let surface: OpaquePointer
    private let context: OpaquePointer
    private var isFinished = false

    /// Starts an A4 document that cairo writes to `path`.
    ///
    /// - Throws: ``ExportError/cannotCreate(path:reason:)`` with cairo's status text.
    init(path: String) throws(ExportError) {
        let surface = cairo_pdf_surface_create(path, Self.a4.width, Self.a4.height)!
        let surfaceStatus = cairo_surface_status(surface)
        guard surfaceStatus == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw .cannotCreate(path: path, reason: String(cString: cairo_status_to_string(surfaceStatus)))
        }
        let context = cairo_create(surface)!
        self.path = path
        self.surface = surface
        self.context = context
        cairo_set_source_rgb(context, 0, 0, 0)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    // MARK: - Text

    func setFont(_ style: FontStyle, size: Double) {
        let family = style == .code ? "DejaVu Sans Mono" : "DejaVu Sans"
        let weight = style == .regular ? CAIRO_FONT_WEIGHT_NORMAL : CAIRO_FONT_WEIGHT_BOLD
        cairo_select_font_face(context, family, CAIRO_FONT_SLANT_NORMAL, weight)
        cairo_set_font_size(context, size)
    }

    /// The advance width of `text` in the current font.
    func width(of text: String) -> Double {
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, Self.normalised(text), &extents)
        return extents.x_advance
    }

    /// Draws `text` with its baseline at `y`.
    func draw(_ text: String, x: Double, y: Double) {
        cairo_move_to(context, x, y)
        cairo_show_text(context, Self.normalised(text))
    }

    /// Draws one line, shrinking the font (down to `minimumSize`) until it fits `maxWidth`,
    /// then cutting it with an ellipsis if it still does not.
    func drawFitted(_ text: String, x: Double, y: Double, maxWidth: Double, style: FontStyle, size: Double, minimumSize: Double) {
        var size = size
        setFont(style, size: size)
        while width(of: text) > maxWidth, size > minimumSize {
            size = max(minimumSize, size - 0.5)
            setFont(style, size: size)
        }
        var line = text
        while width(of: line) > maxWidth, line.count > 1 {
            line = String(line.dropLast(2)) + "…"
        }
        draw(line, x: x, y: y)
    }

    /// Splits `text` into lines no wider than `maxWidth` in the current font, at spaces.
    func wrap(_ text: String, maxWidth: Double) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : "\(current) \(word)"
            if width(of: candidate) <= maxWidth || current.isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    private static func normalised(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }

    // MARK: - Lines and pages

    /// Draws a thin dashed line, used for cut lines between slips.
    func dashedLine(from start: (x: Double, y: Double), to end: (x: Double, y: Double)) {
        cairo_save(context)
        var dashes: [Double] = [4, 3]
        cairo_set_dash(context, &dashes, Int32(dashes.count), 0)
        cairo_set_line_width(context, 0.5)
        cairo_set_source_rgb(context, 0.45, 0.45, 0.45)
        cairo_move_to(context, start.x, start.y)
        cairo_line_to(context, end.x, end.y)
        cairo_stroke(context)
        cairo_restore(context)
    }

    /// Draws a thin solid line.
    func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double)) {
        cairo_save(context)
        cairo_set_line_width(context, 0.5)
        cairo_move_to(context, start.x, start.y)
        cairo_line_to(context, end.x, end.y)
        cairo_stroke(context)
        cairo_restore(context)
    }

    /// Ends the current page and starts a new one.
    func nextPage() {
        cairo_show_page(context)
    }

    /// Ends the last page and writes the rest of the file.
    ///
    /// - Throws: ``ExportError/writeFailed(path:reason:)`` with cairo's status text, such as
    ///   "error while writing to output stream" on a full disk.
    func finish() throws(ExportError) {
        guard !isFinished else { return }
        isFinished = true
        cairo_show_page(context)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw .writeFailed(path: path, reason: String(cString: cairo_status_to_string(status)))
        }
    }
}
