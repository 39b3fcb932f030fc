import CCurl
import Testing

@Suite("CCurl system library")
struct CCurlLinkTests {
    @Test("links libcurl with http, https and the decoders the fetcher relies on")
    func linksLibcurl() throws {
        let info = try #require(ccurl_version_info())
        var protocols: [String] = []
        var cursor = info.pointee.protocols
        while let name = cursor?.pointee {
            protocols.append(String(cString: name))
            cursor = cursor?.advanced(by: 1)
        }
        #expect(protocols.contains("http"))
        #expect(protocols.contains("https"))
        #expect(info.pointee.features & CURL_VERSION_LIBZ != 0, "gzip decoding is needed for the decoded-size limit")
        #expect(info.pointee.version_num >= 0x075800, "Debian 12 ships libcurl 7.88")
    }

    @Test("the typed setopt shim reaches curl_easy_setopt")
    func setoptShim() throws {
        let handle = try #require(curl_easy_init())
        defer { curl_easy_cleanup(handle) }
        #expect(ccurl_easy_setopt_long(handle, CURLOPT_MAXREDIRS, 10) == CURLE_OK)
        #expect(ccurl_easy_setopt_string(handle, CURLOPT_URL, "https://example.org/") == CURLE_OK)
        #expect(ccurl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "nonsense") != CURLE_OK)
    }
}
