import CCurl
import CCurlShim

/// Owns one libcurl easy handle and its error buffer, cleaned up together when released.
///
/// libcurl keeps the connection a handle last used open in the handle's cache, so performing
/// several transfers on one handle reuses one connection to the server.
final class CurlEasyHandle {
    let handle: UnsafeMutableRawPointer
    /// The buffer in which libcurl writes a readable message for the last failure (`CURLOPT_ERRORBUFFER`).
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// `curl_global_init` must run once before any other call; a static `let` runs it once,
    /// thread-safely.
    private static let globalInitResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    init() {
        precondition(Self.globalInitResult == CURLE_OK, "curl_global_init failed with error \(Self.globalInitResult.rawValue)")
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init returned no handle; out of memory") }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        // Setting the buffer fails only on a bad option number, which is a programmer error.
        precondition(lanyard_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer) == CURLE_OK)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    // MARK: - Options

    /// Sets a `long` option.
    func set(_ option: CURLoption, _ value: Int) throws(CurlOptionError) {
        try check(lanyard_curl_setopt_long(handle, option, value), option)
    }

    /// Sets a string option (libcurl copies it); nil clears it.
    func set(_ option: CURLoption, _ value: String?) throws(CurlOptionError) {
        try check(lanyard_curl_setopt_string(handle, option, value), option)
    }

    /// Sets a pointer option; the pointee must outlive the transfers that use it.
    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(CurlOptionError) {
        try check(lanyard_curl_setopt_pointer(handle, option, pointer), option)
    }

    /// Sets a list option; the list must outlive the transfers that use it.
    func set(_ option: CURLoption, list: CurlStringList) throws(CurlOptionError) {
        try check(lanyard_curl_setopt_slist(handle, option, list.head), option)
    }

    /// Sets a read or header callback.
    func set(_ option: CURLoption, callback: curl_read_callback) throws(CurlOptionError) {
        try check(lanyard_curl_setopt_callback(handle, option, callback), option)
    }

    private func check(_ result: CURLcode, _ option: CURLoption) throws(CurlOptionError) {
        guard result == CURLE_OK else {
            throw CurlOptionError(option: Int(option.rawValue), reason: String(cString: curl_easy_strerror(result)))
        }
    }

    // MARK: - Transfers

    /// Runs the transfer the options describe, returning libcurl's result code.
    func perform() -> CURLcode {
        errorBuffer[0] = 0
        return curl_easy_perform(handle)
    }

    /// The last reply code from the server (`CURLINFO_RESPONSE_CODE`), or 0 when none came.
    var responseCode: Int {
        var code = 0
        guard lanyard_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK else { return 0 }
        return code
    }

    /// libcurl's message for the last failure: the error buffer when it has one, else the
    /// generic text for `code`.
    func message(for code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }
}

/// Owns a libcurl string list (`struct curl_slist`), freed when released.
final class CurlStringList {
    private(set) var head: UnsafeMutablePointer<curl_slist>?

    init(_ strings: [String]) {
        for string in strings {
            guard let appended = curl_slist_append(head, string) else { fatalError("curl_slist_append failed; out of memory") }
            head = appended
        }
    }

    deinit {
        curl_slist_free_all(head)
    }
}

/// libcurl rejected an option: a programmer error or a libcurl built without a feature.
struct CurlOptionError: Error {
    var option: Int
    var reason: String
}
