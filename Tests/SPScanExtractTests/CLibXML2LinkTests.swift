import CLibXML2
import Testing

@Suite("CLibXML2 system library")
struct CLibXML2LinkTests {
    @Test("parses HTML with network access off and frees through the shim")
    func parsesHTML() throws {
        let html = "<html><head><title>Module 2</title></head><body><p>Active listening</p></body></html>"
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue)
        let document = try #require(html.withCString { htmlReadMemory($0, Int32(html.utf8.count), nil, "utf-8", options) })
        defer { xmlFreeDoc(document) }
        let root = try #require(xmlDocGetRootElement(document))
        #expect(String(cString: root.pointee.name) == "html")
        let content = try #require(xmlNodeGetContent(root))
        defer { clibxml2_free(content) }
        #expect(String(cString: content).contains("Active listening"))
        #expect(clibxml2_version() >= 20900)
    }
}
