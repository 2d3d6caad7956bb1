// swift-tools-version: 6.0
//
// Lanyard: a scriptable automation host for school login details.
//
// The targets are layered; a lower layer never imports a higher one:
//   lanyard (executable) -> CLI -> Automation -> Domain, LuaRuntime -> Storage -> C libraries.
// Every C library comes from a Debian -dev package through a system library target,
// so `make deps` (called by `make test` and `make demo`) installs what is missing.

import PackageDescription

let package = Package(
    name: "Lanyard",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lanyard", targets: ["lanyard"])
    ],
    targets: [
        // MARK: - C libraries

        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // Raises Lua errors from C, so that `lua_error`'s longjmp never crosses a Swift frame,
        // and wraps the Lua API macros that Swift cannot import.
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        .systemLibrary(
            name: "CZip",
            pkgConfig: "libzip",
            providers: [.apt(["libzip-dev"])]
        ),
        .systemLibrary(
            name: "CGMime",
            pkgConfig: "gmime-3.0",
            providers: [.apt(["libgmime-3.0-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Typed wrappers for `curl_easy_setopt` and `curl_easy_getinfo`, which are variadic and
        // so cannot be called from Swift.
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        .systemLibrary(
            name: "CXLSXWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // PDF slips. Text goes through cairo's toy font API with "DejaVu Sans" (fonts-dejavu-core).
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev", "fonts-dejavu-core"])]
        ),
        // Random bytes, BLAKE2b digests and Argon2id password hashes for password links.
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),

        // Line editing, history and completion for `lanyard repl` (BSD libedit, the `histedit.h` API).
        .systemLibrary(
            name: "CEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),

        // MARK: - Libraries

        .target(name: "Storage", dependencies: ["CSQLite"]),
        .target(name: "LuaRuntime", dependencies: ["CLua", "CLuaShim"]),
        .target(
            name: "Domain",
            dependencies: [
                "Storage", "CZip", "CGMime", "CCurl", "CCurlShim", "CXLSXWriter", "CCairo", "CSodium",
            ]),
        .target(name: "Automation", dependencies: ["Domain", "LuaRuntime", "Storage"]),

        // MARK: - Command line

        // Argument parsing, the commands, terminal output. A library so that tests can drive it.
        .target(name: "CLI", dependencies: ["Automation", "Domain", "Storage", "CEdit"]),
        .executableTarget(name: "lanyard", dependencies: ["CLI"]),

        // MARK: - Tests

        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "LuaRuntimeTests", dependencies: ["LuaRuntime"]),
        .testTarget(name: "DomainTests", dependencies: ["Domain", "Storage"], exclude: ["Support/smtp_server.py"]),
        .testTarget(name: "AutomationTests", dependencies: ["Automation", "Domain", "Storage"]),
        .testTarget(name: "CLITests", dependencies: ["CLI"]),
    ],
    swiftLanguageModes: [.v6]
)
