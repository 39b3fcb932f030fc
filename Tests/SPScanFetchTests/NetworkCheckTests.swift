import Testing

@testable import SPScanFetch

@Suite("The network check before a scan")
struct NetworkCheckTests {
    @Test("an address literal or localhost counts as resolving without a lookup")
    func literals() {
        #expect(NetworkCheck.anyHostResolves(["a.spscan-test.invalid", "127.0.0.1"], within: 0))
        #expect(NetworkCheck.anyHostResolves(["[::1]"], within: 0))
        #expect(NetworkCheck.anyHostResolves(["LOCALHOST"], within: 0))
    }

    @Test("names that no resolver knows: the network counts as down")
    func unresolvable() {
        #expect(!NetworkCheck.anyHostResolves(["a.spscan-test.invalid", "b.spscan-test.invalid"]))
    }

    @Test("no answer before the deadline counts as no network")
    func deadline() {
        #expect(!NetworkCheck.anyHostResolves(["c.spscan-test.invalid", "d.spscan-test.invalid"], within: 0))
    }
}
