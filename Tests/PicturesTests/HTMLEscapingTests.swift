import Pictures
import XCTest

final class HTMLEscapingTests: XCTestCase {
    func testEscapesTheFiveMarkupCharacters() {
        XCTAssertEqual(HTML.escape(#"<b>&"x'"#), "&lt;b&gt;&amp;&quot;x&#39;")
        XCTAssertEqual(HTML.escape("a&&b"), "a&amp;&amp;b")
        XCTAssertEqual(HTML.escape("</script><script>alert(1)</script>"),
                       "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
    }

    func testLeavesOtherTextAlone() {
        XCTAssertEqual(HTML.escape("avx512_vp2intersect"), "avx512_vp2intersect")
        XCTAssertEqual(HTML.escape("✓ ⊘ CPUID.(EAX=07H,ECX=0):EBX[5] — ü"), "✓ ⊘ CPUID.(EAX=07H,ECX=0):EBX[5] — ü")
        XCTAssertEqual(HTML.escape(""), "")
    }
}
