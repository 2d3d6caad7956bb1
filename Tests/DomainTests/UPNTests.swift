import Foundation
import Testing

@testable import Domain

@Suite("UPN")
struct UPNTests {
    @Test(
        "valid UPNs are accepted and normalised",
        arguments: [
            ("B801200005001", "B801200005001", false),
            ("G80120000101A", "G80120000101A", true),
            ("g80120000101a ", "G80120000101A", true),
            ("  H801200001001", "H801200001001", false),
            ("T20110001804V", "T20110001804V", true),
        ])
    func validUPN(text: String, normalised: String, temporary: Bool) throws {
        let upn = try UPN(text)
        #expect(upn.value == normalised)
        #expect(upn.isTemporary == temporary)
    }

    @Test(
        "invalid UPNs are rejected with the reason",
        arguments: [
            ("A801200005001", "invalid UPN 'A801200005001': the check letter should be 'B'; check the UPN in the MIS for a typing error"),
            ("BADCODE", "invalid UPN 'BADCODE': it has 7 characters, but a UPN has 13"),
            ("H813E00000121", "invalid UPN 'H813E00000121': character 5 must be a digit"),
            ("G80120000101S", "invalid UPN 'G80120000101S': character 13 must be a digit, or a letter other than I, O or S for a temporary UPN"),
            ("G80120000101O", "invalid UPN 'G80120000101O': character 13 must be a digit, or a letter other than I, O or S for a temporary UPN"),
        ])
    func invalidUPN(text: String, message: String) {
        let error = #expect(throws: UPNError.self) { try UPN(text) }
        #expect(error?.description == message)
    }

    @Test("made UPNs pass their own check")
    func madeUPNsAreValid() throws {
        for serial in 0..<500 {
            let permanent = UPN.make(la: 801, establishment: 4012, year: 19, serial: serial)
            #expect(try UPN(permanent.value) == permanent)
            #expect(!permanent.isTemporary)
        }
        let temporary = UPN.make(la: 801, establishment: 4012, year: 19, serial: 7, temporaryLetter: "K")
        #expect(temporary.isTemporary)
    }

    /// Every UPN of the public validator tests, against the verdict recomputed with the DfE rule.
    @Test("public validator vectors agree with the DfE rule", .enabled(if: SampleFiles.isAvailable, SampleFiles.skipNote))
    func publicVectors() throws {
        let path = SampleFiles.path("uk-mis/upn-examples.txt")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        var checked = 0
        for line in lines where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 3 else { continue }
            let recomputed = columns[2]
            let expectValid = recomputed.hasPrefix("check ok")
            let isValid = (try? UPN(columns[0])) != nil
            #expect(isValid == expectValid, "UPN '\(columns[0])': recomputed verdict '\(recomputed)'")
            checked += 1
        }
        #expect(checked > 30)
    }
}
