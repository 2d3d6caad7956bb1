import Foundation
import Storage
import Testing

@testable import Domain

@Suite("password link tokens and redemption")
struct LinksTokenTests {
    static let strongPassword = "Correct-h0rse"

    // MARK: - Tokens

    @Test func tokenIs43URLSafeCharactersFrom32Bytes() throws {
        let token = LinkToken.generate()
        #expect(token.text.utf8.count == 43)
        #expect(token.text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        #expect(Base64URL.decode(token.text)?.count == 32)
        #expect(LinkToken(parsing: " \(token.text) ") == token)
    }

    @Test func tokensDoNotRepeat() {
        let tokens = Set((0..<1_000).map { _ in LinkToken.generate().text })
        #expect(tokens.count == 1_000)
    }

    @Test func tokenBitsAreBalanced() throws {
        // 1,000 tokens are 256,000 random bits, and a fair source sets half of them. The chance
        // of missing 50% by more than 1% (over 10 standard deviations) is below one in 10^20.
        var ones = 0
        for _ in 0..<1_000 {
            let bytes = try #require(Base64URL.decode(LinkToken.generate().text))
            ones += bytes.reduce(0) { $0 + $1.nonzeroBitCount }
        }
        let share = Double(ones) / 256_000
        #expect(abs(share - 0.5) < 0.01)
    }

    @Test(arguments: ["", "short", String(repeating: "A", count: 42), String(repeating: "A", count: 42) + "=", String(repeating: "+", count: 43)])
    func malformedTextIsNotAToken(text: String) {
        #expect(LinkToken(parsing: text) == nil)
    }

    @Test func base64URLRoundTripsEveryLength() {
        for length in 0..<40 {
            let bytes = Sodium.randomBytes(count: length)
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
    }

    @Test func tokenDescriptionHidesTheToken() {
        let token = LinkToken.generate()
        #expect("\(token)" == "LinkToken(hidden)")
    }

    @Test func digestsCompareWithSodiumMemcmp() {
        let digest = LinkToken.generate().digest
        var changed = digest.bytes
        changed[31] ^= 1
        #expect(digest == LinkDigest(bytes: digest.bytes))
        #expect(digest != LinkDigest(bytes: changed))
        #expect(digest != LinkDigest(bytes: Array(digest.bytes.prefix(31))))
        #expect(Sodium.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!Sodium.constantTimeEqual([1, 2, 3], [1, 2, 4]))
    }

    // MARK: - Storage

    @Test func databaseFileHoldsDigestNotToken() throws {
        let fixture = try LinkFixture()
        let zoe = try fixture.named("Zoë")
        let token = LinkToken.generate()
        try fixture.directory.database.transaction {
            _ = try fixture.directory.storeLink(token, userId: zoe.id, purpose: .firstLogin, lifetimeDays: 7, testAddress: nil)
        }
        try fixture.directory.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.test.path))
        #expect(bytes.range(of: Data(token.text.utf8)) == nil)
        #expect(bytes.range(of: Data(token.digest.bytes)) != nil)
    }

    // MARK: - Redeeming

    /// Sends Zoë a first-login link and returns its token.
    func sendZoe(_ fixture: LinkFixture) throws -> String {
        let report = try fixture.send("upn:\(try fixture.named("Zoë").upn!)")
        return try fixture.token(inOutbox: try #require(report.outcomes.first?.outboxId))
    }

    @Test func redeemedLinkStoresAnArgon2idHash() throws {
        let fixture = try LinkFixture()
        let token = try sendZoe(fixture)

        let redeemed = try fixture.directory.redeemLink(token: token, password: Self.strongPassword)

        let zoe = try fixture.named("Zoë")
        #expect(redeemed == RedeemedLink(userId: zoe.id, userKey: zoe.key, purpose: .firstLogin))
        let hash = try #require(try fixture.directory.database.scalar("SELECT hash FROM passwords WHERE user_id = ?1", [zoe.id])?.stringValue)
        #expect(hash.hasPrefix("$argon2id$v=19$m=65536,t=2,p=1$"))
        #expect(Sodium.verifyPassword(Self.strongPassword, hash: hash))
        #expect(try fixture.directory.verifyPassword(userId: zoe.id, password: Self.strongPassword))
        #expect(try !fixture.directory.verifyPassword(userId: zoe.id, password: "Correct-h0rsf"))
    }

    @Test func linkWorksOnce() throws {
        let fixture = try LinkFixture()
        let token = try sendZoe(fixture)
        try fixture.directory.redeemLink(token: token, password: Self.strongPassword)

        #expect(throws: LinkError.alreadyUsed(usedAt: "2026-09-01T08:00:00Z")) {
            try fixture.directory.redeemLink(token: token, password: "Another-pa55word")
        }
        #expect(try fixture.directory.verifyPassword(userId: try fixture.named("Zoë").id, password: Self.strongPassword))
    }

    @Test func linkExpiresAfterSevenDays() throws {
        let fixture = try LinkFixture()
        let token = try sendZoe(fixture)
        let weekLater = TestDirectory.fixedNow.addingTimeInterval(7 * 86_400)

        let justBefore = try Directory(path: fixture.test.path, actor: "tester", now: { weekLater.addingTimeInterval(-1) })
        #expect(throws: LinkError.weakPassword(missing: [.symbol])) {
            try justBefore.redeemLink(token: token, password: "Correcth0rse")
        }
        let atExpiry = try Directory(path: fixture.test.path, actor: "tester", now: { weekLater })
        #expect(throws: LinkError.expired(expiredAt: "2026-09-08T08:00:00Z")) {
            try atExpiry.redeemLink(token: token, password: Self.strongPassword)
        }
    }

    @Test func newLinkVoidsTheOldOne() throws {
        let fixture = try LinkFixture()
        let first = try sendZoe(fixture)
        let zoe = try fixture.named("Zoë")
        let second = try fixture.directory.sendLinks(
            to: try Selection(parsing: "upn:\(zoe.upn!)"), options: LinkSendOptions(resend: true), settings: fixture.settings,
            templates: fixture.templates)
        let secondToken = try fixture.token(inOutbox: try #require(second.outcomes.first?.outboxId))

        #expect(throws: LinkError.voided(voidedAt: "2026-09-01T08:00:00Z")) {
            try fixture.directory.redeemLink(token: first, password: Self.strongPassword)
        }
        try fixture.directory.redeemLink(token: secondToken, password: Self.strongPassword)
        let links = try fixture.directory.passwordLinks(userId: zoe.id)
        #expect(links.map { $0.voidedAt != nil } == [true, false])
        #expect(links.map { $0.usedAt != nil } == [false, true])
    }

    @Test func unknownTokenIsInvalid() throws {
        let fixture = try LinkFixture()
        _ = try sendZoe(fixture)
        #expect(throws: LinkError.invalidToken) {
            try fixture.directory.redeemLink(token: LinkToken.generate().text, password: Self.strongPassword)
        }
        #expect(throws: LinkError.invalidToken) {
            try fixture.directory.redeemLink(token: "PREVIEW-TOKEN", password: Self.strongPassword)
        }
    }

    @Test func weakPasswordLeavesLinkUsable() throws {
        let fixture = try LinkFixture()
        let token = try sendZoe(fixture)
        #expect(throws: LinkError.weakPassword(missing: [.symbol])) {
            try fixture.directory.redeemLink(token: token, password: "Correcth0rse")
        }
        try fixture.directory.redeemLink(token: token, password: Self.strongPassword)
    }

    @Test func errorsNeverQuoteTokenOrPassword() throws {
        let fixture = try LinkFixture()
        let token = try sendZoe(fixture)
        do {
            try fixture.directory.redeemLink(token: token, password: "weak")
            Issue.record("a weak password was accepted")
        } catch {
            #expect(!"\(error)".contains(token))
            #expect(!"\(error)".contains("weak"))
        }
    }

    // MARK: - The password rule

    @Test(
        "password rule names what is missing",
        arguments: [
            ("Correct-h0rse", nil),
            ("Zoë-Bhriain7", nil),
            ("C0rrect-h", "the password needs at least 10 characters; choose another password"),
            ("Correct-horse", "the password needs a digit; choose another password"),
            ("CORRECT-H0RSE", "the password needs a lower-case letter; choose another password"),
            ("correct-h0rse", "the password needs an upper-case letter; choose another password"),
            ("Correcth0rse", "the password needs a symbol; choose another password"),
            ("Correct h0rse", "the password needs a symbol; choose another password"),
            ("abc", "the password needs at least 10 characters, a digit, an upper-case letter and a symbol; choose another password"),
            ("", "the password needs at least 10 characters, a digit, a lower-case letter, an upper-case letter and a symbol; choose another password"),
        ] as [(String, String?)])
    func passwordRule(password: String, message: String?) {
        do {
            try PasswordRule.check(password)
            #expect(message == nil)
        } catch {
            #expect(error.description == message)
        }
    }
}
