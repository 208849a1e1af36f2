import CPUID
import XCTest

/// The one JSON parser that JSON dumps and Firecracker templates share: grammar, positions and errors.
final class JSONParserTests: XCTestCase {
    private func syntaxError(_ text: String) -> JSONSyntaxError? {
        do {
            _ = try JSONParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    func testValuesKeepTheirPositionsAndMemberOrder() throws {
        let parsed = try JSONParser.parse("{\"b\": [1, -2.5e3, true],\n  \"a\": {\"n\": null},\n \"z\": \"x\"}")
        guard case let .object(members) = parsed.content else { return XCTFail("an object") }
        XCTAssertEqual(members.map(\.key), ["b", "a", "z"], "file order, not sorted")
        XCTAssertEqual(members[1].keyPosition, JSONPosition(line: 2, column: 3))
        XCTAssertEqual(members[1].value.position, JSONPosition(line: 2, column: 8))
        XCTAssertEqual(parsed.member("z")?.position.description, "3:7")
        guard case let .array(items) = try XCTUnwrap(parsed.member("b")).content else { return XCTFail("an array") }
        XCTAssertEqual(items.map(\.position.column), [8, 11, 19])
        XCTAssertEqual(parsed.value, .object([
            .init("b", .array([.number("1"), .number("-2.5e3"), .bool(true)])),
            .init("a", .object([.init("n", .null)])),
            .init("z", .string("x")),
        ]))
    }

    func testNumbersKeepTheirTextSo64BitValuesStayExact() throws {
        XCTAssertEqual(try JSONParser.parse("18446744073709551615").value, .number("18446744073709551615"))
        XCTAssertEqual(try JSONParser.parse("-0.0E+12").value, .number("-0.0E+12"))
        for bad in ["01", "1.", "-", "+1", ".5", "1e", "0x1f"] {
            XCTAssertNotNil(syntaxError(bad), bad)
        }
        XCTAssertEqual(syntaxError("[1.]")?.message, "expected a digit after '.', found ']'")
    }

    func testStringsDecodeEveryEscapeAndSurrogatePairs() throws {
        let text = #""a\"b\\c\/d\be\ff\ng\rh\ti\u0041\u00e9\ud83d\ude00""#
        XCTAssertEqual(try JSONParser.parse(text).value, .string("a\"b\\c/d\u{8}e\u{c}f\ng\rh\ti" + "A" + "é" + "😀"))
        XCTAssertEqual(try JSONParser.parse("\"plain ü\"").value, .string("plain ü"))
        XCTAssertEqual(syntaxError(#""\ud83d""#)?.expected.contains("low surrogate"), true)
        XCTAssertEqual(syntaxError(#""\ud83d\u0041""#)?.expected.contains("low surrogate"), true)
        XCTAssertEqual(syntaxError(#""\ude00""#)?.expected.contains("Unicode scalar"), true, "a lone low surrogate")
        XCTAssertEqual(syntaxError(#""\u12g4""#)?.position.column, 6)
        let badEscape = try XCTUnwrap(syntaxError(#"["ok", "\q"]"#))
        XCTAssertEqual(badEscape.position, JSONPosition(line: 1, column: 10))
        XCTAssertEqual(badEscape.found, "\\'q'")
        XCTAssertEqual(syntaxError("\"tab\there\"")?.found, "byte 0x9", "raw control characters are refused")
        XCTAssertEqual(syntaxError("\"open")?.message, "expected the closing quote of the string, found the end of the text")
    }

    func testWrittenStringsReadBack() throws {
        let text = "quote \" backslash \\ newline \n control \u{1} emoji 😀"
        XCTAssertEqual(try JSONParser.parse(JSONValue.quoted(text)).value, .string(text))
        let value = JSONValue.object([.init("k", .array([.string(text), .number("1"), .null, .object([])]))])
        XCTAssertEqual(try JSONParser.parse(value.rendered()).value, value)
    }

    func testErrorsNameLineColumnAndWhatWasExpected() throws {
        let trailing = try XCTUnwrap(syntaxError("{\"a\": 1}\n  x"))
        XCTAssertEqual(trailing.description, "2:3: expected the end of the text after the top-level value, found 'x'")
        let duplicate = try XCTUnwrap(syntaxError("{\"a\": 1,\n \"a\": 2}"))
        XCTAssertEqual(duplicate.description, "2:2: expected each member name once in an object, found a duplicate member \"a\"")
        let many = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        XCTAssertNotNil(try? JSONParser.parse("{\(many)}"), "40 distinct names")
        XCTAssertEqual(syntaxError("{\(many), \"k17\": 0}")?.found, "a duplicate member \"k17\"", "large objects check too")
        XCTAssertEqual(syntaxError("[1 2]")?.message, "expected ',' or ']' in an array, found '2'")
        XCTAssertEqual(syntaxError("{\"a\" 1}")?.message, "expected ':' after member name \"a\", found '1'")
        XCTAssertEqual(syntaxError("{\"a\": 1,}")?.message, "expected a member name in double quotes, found '}'")
        XCTAssertEqual(syntaxError("tru")?.message, "expected 'true', found 't'")
        XCTAssertEqual(syntaxError("")?.message, "expected a value, found the end of the text")
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1)
        XCTAssertEqual(syntaxError(deep)?.expected, "at most \(JSONParser.maximumDepth) levels of nesting")
    }

    func testAByteOrderMarkIsSkipped() throws {
        XCTAssertEqual(try JSONParser.parse("\u{FEFF}[true]").value, .array([.bool(true)]))
    }
}
