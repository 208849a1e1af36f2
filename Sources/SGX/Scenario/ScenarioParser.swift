/// Reads the scenario text format (see docs/sgx.md): one step per line, `repeat N { a; b }`,
/// `config` and `expect` lines of `key=value` pairs, `#` comments.
///
/// Lenient where the format leaves room (case, `#GP(0)` for `#GP`, spaces around `=`, `;` between steps,
/// a repeat body over several lines); strict about anything it cannot give one meaning.
public enum ScenarioParser {
    public static func parse(_ text: String, name: String) throws(ScenarioError) -> SGXScenario {
        var parser = Parser(tokens: ScenarioLexer.tokens(text), file: name)
        return try parser.parseScenario()
    }
}

private struct Parser {
    let tokens: [ScenarioToken]
    let file: String
    var position = 0
    var configuration = EnclaveConfiguration()
    var sawStep = false

    init(tokens: [ScenarioToken], file: String) {
        self.tokens = tokens
        self.file = file
    }

    var current: ScenarioToken? { position < tokens.count ? tokens[position] : nil }

    func error(_ token: ScenarioToken?, _ message: String) -> ScenarioError {
        let line = token?.line ?? (tokens.last?.line ?? 1)
        return ScenarioError(file: file, line: line, column: token?.column ?? 1, message: message)
    }

    mutating func parseScenario() throws(ScenarioError) -> SGXScenario {
        let steps = try parseStatements(untilClose: false)
        // A scenario that does nothing would "pass" with 0 of 0 expectations: a mistake, not a result.
        guard !steps.isEmpty else {
            throw ScenarioError(file: file, line: tokens.first?.line ?? 1, column: tokens.first?.column ?? 1,
                                message: "no steps: a scenario needs at least one operation (eenter, aex, eresume, ...) and usually an expect line")
        }
        return SGXScenario(name: file, configuration: configuration, steps: steps)
    }

    /// Statements separated by newlines or `;`; inside a block, up to the matching `}`.
    mutating func parseStatements(untilClose: Bool) throws(ScenarioError) -> [ScenarioStep] {
        var steps: [ScenarioStep] = []
        while let token = current {
            switch token.kind {
            case .newline, .separator:
                position += 1
            case .close:
                guard untilClose else { throw error(token, "unexpected `}` without a `repeat N {` before it") }
                return steps
            case .open:
                throw error(token, "unexpected `{`: a block must follow `repeat N`")
            case .equals, .comma:
                throw error(token, "unexpected `\(token.text)`: expected a step such as eenter, aex, eresume, edeccssa, eexit, set, repeat, expect")
            case .word:
                if let step = try parseStatement(inBlock: untilClose) { steps.append(step) }
            }
        }
        if untilClose {
            throw error(tokens.last, "missing `}` to close the repeat block")
        }
        return steps
    }

    /// The words of one statement, up to a newline, `;` or (inside a block) `}`.
    mutating func statementTokens() -> [ScenarioToken] {
        var words: [ScenarioToken] = []
        while let token = current, token.kind != .newline, token.kind != .separator, token.kind != .close,
              token.kind != .open {
            words.append(token)
            position += 1
        }
        return words
    }

    mutating func parseStatement(inBlock: Bool) throws(ScenarioError) -> ScenarioStep? {
        guard let head = current else { return nil }
        let command = head.lowered
        if command == "repeat" { return try parseRepeat(head) }
        if command == "config" {
            position += 1
            let words = statementTokens()
            if inBlock { throw error(head, "`config` cannot appear inside a repeat block") }
            if sawStep { throw error(head, "`config` must come before the first step (the thread starts in that configuration)") }
            try applyConfig(words, head: head)
            return nil
        }
        position += 1
        let arguments = statementTokens()
        let text = Self.source([head] + arguments)
        let kind: ScenarioStep.Kind
        switch command {
        case "eenter", "eexit", "eresume", "edeccssa":
            if let extra = arguments.first { throw error(extra, "`\(command)` takes no arguments") }
            let operation: SGXOperation = switch command {
            case "eenter": .eenter
            case "eexit": .eexit
            case "eresume": .eresume
            default: .edeccssa
            }
            kind = .operation(operation)
        case "aex":
            kind = .operation(.aex(try parseCause(arguments, head: head)))
        case "set":
            kind = .operation(try parseSet(arguments, head: head))
        case "evict", "reload":
            guard arguments.count == 1, let page = try parsePage(arguments[0]) else {
                throw error(arguments.first ?? head, "expected `\(command) tcs` or `\(command) ssa[i]`")
            }
            kind = .operation(command == "evict" ? .evict(page) : .reload(page))
        case "expect":
            let expectations = try parseExpectations(arguments, head: head)
            if expectations.contains(where: \.isAboutFault), !sawStep {
                throw error(head, "`expect fault=` is about the step just before, and there is none")
            }
            kind = .expect(expectations)
        default:
            if command.hasPrefix("ssa[") {
                kind = .operation(try parseSet([head] + arguments, head: head))
            } else {
                throw error(head, "unknown step `\(head.text)`: expected config, eenter, eexit, aex, eresume, edeccssa, set, repeat or expect")
            }
        }
        if case .operation = kind { sawStep = true }
        return ScenarioStep(kind: kind, line: head.line, text: text)
    }

    mutating func parseRepeat(_ head: ScenarioToken) throws(ScenarioError) -> ScenarioStep {
        position += 1
        guard let countToken = current, countToken.kind == .word else {
            throw error(current ?? head, "expected a repeat count after `repeat`")
        }
        guard let count = Int(countToken.text), count >= 0, count <= 100_000_000 else {
            throw error(countToken, "expected a repeat count from 0 to 100000000, found `\(countToken.text)`")
        }
        position += 1
        if let word = current, word.kind == .word, ["times", "x"].contains(word.lowered) { position += 1 }
        while let token = current, token.kind == .newline { position += 1 }
        guard let open = current, open.kind == .open else {
            throw error(current ?? countToken, "expected `{` after `repeat \(count)`")
        }
        position += 1
        let body = try parseStatements(untilClose: true)
        position += 1  // the `}`
        if body.isEmpty { throw error(open, "empty repeat block: expected steps separated by `;`") }
        sawStep = true
        let text = "repeat \(count) { " + body.map(\.text).joined(separator: "; ") + " }"
        return ScenarioStep(kind: .repeatBlock(count: count, body: body), line: head.line, text: text)
    }

    // MARK: - key=value lists

    /// Pairs `key=value`, allowing spaces around `=` and commas between pairs.
    func pairs(_ words: [ScenarioToken], head: ScenarioToken) throws(ScenarioError)
        -> [(key: ScenarioToken, value: ScenarioToken)] {
        var result: [(key: ScenarioToken, value: ScenarioToken)] = []
        let words = words.filter { $0.kind != .comma }
        var i = 0
        while i < words.count {
            let key = words[i]
            guard key.kind == .word else { throw error(key, "expected key=value, found `\(key.text)`") }
            guard i + 1 < words.count, words[i + 1].kind == .equals else {
                throw error(i + 1 < words.count ? words[i + 1] : key, "expected `=` after `\(key.text)`")
            }
            guard i + 2 < words.count, words[i + 2].kind == .word else {
                throw error(i + 2 < words.count ? words[i + 2] : words[i + 1], "expected a value after `\(key.text)=`")
            }
            result.append((key, words[i + 2]))
            i += 3
        }
        if result.isEmpty { throw error(head, "`\(head.text)` needs at least one key=value") }
        return result
    }

    mutating func applyConfig(_ words: [ScenarioToken], head: ScenarioToken) throws(ScenarioError) {
        for (keyToken, valueToken) in try pairs(words, head: head) {
            guard let key = EnclaveConfiguration.key(named: keyToken.text) else {
                let known = EnclaveConfiguration.Key.allCases.map(\.rawValue).joined(separator: ", ")
                throw error(keyToken, "unknown config key `\(keyToken.text)`: expected one of \(known)")
            }
            if key == .nssa {
                guard let value = Self.number(valueToken.text), value <= UInt64(EnclaveConfiguration.maximumNSSA) else {
                    throw error(valueToken, "expected nssa from 0 to \(EnclaveConfiguration.maximumNSSA), found `\(valueToken.text)`")
                }
                configuration.set(key, to: UInt32(value))
            } else {
                guard let flag = Self.flag(valueToken.text) else {
                    throw error(valueToken, "expected 0 or 1 for \(key.rawValue), found `\(valueToken.text)`")
                }
                configuration.set(key, to: flag ? 1 : 0)
            }
        }
    }

    func parseExpectations(_ words: [ScenarioToken], head: ScenarioToken) throws(ScenarioError) -> [Expectation] {
        var result: [Expectation] = []
        for (keyToken, valueToken) in try pairs(words, head: head) {
            let key = keyToken.lowered
            let value = valueToken.text
            func number() throws(ScenarioError) -> UInt64 {
                guard let n = Self.number(value) else {
                    throw error(valueToken, "expected a number for \(key), found `\(value)`")
                }
                return n
            }
            func small() throws(ScenarioError) -> UInt32 {
                let n = try number()
                guard n <= UInt64(UInt32.max) else { throw error(valueToken, "\(key) is a 32-bit field; `\(value)` is too large") }
                return UInt32(n)
            }
            switch key {
            case "fault":
                let lowered = value.lowercased()
                if ["none", "no", "ok", "-", "0"].contains(lowered) {
                    result.append(.fault(nil))
                } else if let fault = ArchitecturalFault(lenient: value) {
                    result.append(.fault(fault))
                } else {
                    throw error(valueToken, "expected fault=none, #GP, #UD or #PF, found `\(value)`")
                }
            case "cssa": result.append(.cssa(try small()))
            case "nssa": result.append(.nssa(try small()))
            case "maxcssa", "max_cssa", "max-cssa", "cssa.max": result.append(.maxCSSA(try small()))
            case "rax": result.append(.rax(try number()))
            case "rbx": result.append(.rbx(try number()))
            case "rcx": result.append(.rcx(try number()))
            case "rip": result.append(.rip(try number()))
            case "mode":
                switch value.lowercased() {
                case "enclave", "inside", "in", "enclave-mode": result.append(.enclaveMode(true))
                case "outside", "out", "non-enclave", "host": result.append(.enclaveMode(false))
                default: throw error(valueToken, "expected mode=enclave or mode=outside, found `\(value)`")
                }
            case "state":
                switch value.lowercased() {
                case "active": result.append(.state(.active))
                case "inactive": result.append(.state(.inactive))
                default: throw error(valueToken, "expected state=active or state=inactive, found `\(value)`")
                }
            default:
                if let (frame, field) = try frameField(keyToken), field == "aexnotify" {
                    guard let byte = Self.number(value), byte <= 0xff else {
                        throw error(valueToken, "expected a byte value for \(keyToken.text), found `\(value)`")
                    }
                    result.append(.aexNotify(frame: frame, value: UInt8(byte)))
                } else {
                    throw error(keyToken, "unknown expectation `\(keyToken.text)`: expected fault, cssa, nssa, mode, state, rax, rbx, rcx, rip, maxcssa or ssa[i].aexnotify")
                }
            }
        }
        return result
    }

    // MARK: - set, aex, pages

    func parseSet(_ words: [ScenarioToken], head: ScenarioToken) throws(ScenarioError) -> SGXOperation {
        let pairs = try pairs(words, head: head)
        guard pairs.count == 1 else { throw error(pairs[1].key, "`set` writes one field; put each write on its own step") }
        let (target, valueToken) = pairs[0]
        guard let (frame, field) = try frameField(target) else {
            throw error(target, "expected ssa[i].aexnotify or ssa[i].xsave, found `\(target.text)`")
        }
        switch field {
        case "aexnotify":
            guard let value = Self.number(valueToken.text), value <= 0xff else {
                throw error(valueToken, "expected 0 or 1 for \(target.text), found `\(valueToken.text)`")
            }
            return .writeAEXNotify(frame: frame, value: UInt8(value))
        case "xsave":
            switch valueToken.lowered {
            case "1", "valid": return .setXSAVEAreaValid(frame: frame, valid: true)
            case "0", "invalid", "corrupt", "corrupted": return .setXSAVEAreaValid(frame: frame, valid: false)
            default: throw error(valueToken, "expected valid or invalid for \(target.text), found `\(valueToken.text)`")
            }
        default:
            throw error(target, "unknown SSA field `\(field)`: expected aexnotify or xsave")
        }
    }

    /// `ssa[i].field` with i below NSSA, or nil when the word is not of that shape.
    func frameField(_ token: ScenarioToken) throws(ScenarioError) -> (UInt32, String)? {
        let text = token.lowered
        guard text.hasPrefix("ssa["), let close = text.firstIndex(of: "]") else { return nil }
        let indexText = text[text.index(text.startIndex, offsetBy: 4)..<close]
        guard let index = UInt32(indexText) else {
            throw error(token, "expected a frame number in `\(token.text)`")
        }
        try checkFrame(index, token)
        let rest = text[text.index(after: close)...]
        guard rest.hasPrefix(".") else { throw error(token, "expected `.field` after `ssa[\(index)]`") }
        return (index, String(rest.dropFirst()))
    }

    func checkFrame(_ index: UInt32, _ token: ScenarioToken) throws(ScenarioError) {
        guard index < configuration.nssa else {
            throw error(token, "SSA frame \(index) does not exist: the thread has nssa=\(configuration.nssa) frames (0...\(Int(configuration.nssa) - 1))")
        }
    }

    func parsePage(_ token: ScenarioToken) throws(ScenarioError) -> ThreadPage? {
        let text = token.lowered
        if text == "tcs" { return .tcs }
        guard text.hasPrefix("ssa["), text.hasSuffix("]"),
              let index = UInt32(text.dropFirst(4).dropLast()) else { return nil }
        try checkFrame(index, token)
        return .ssa(frame: index)
    }

    /// `aex`, `aex interrupt`, `aex exception #PF`, `aex #PF`, `aex exception 14`, `aex vector=14`,
    /// `aex cause=exception vector=14`: filler words are dropped and one cause must remain.
    func parseCause(_ words: [ScenarioToken], head: ScenarioToken) throws(ScenarioError) -> AEXCause {
        if let stray = words.first(where: { $0.kind != .word && $0.kind != .equals }) {
            throw error(stray, "unexpected `\(stray.text)` in `aex`")
        }
        let filler: Set<String> = ["cause", "exception", "exc", "vector", "type"]
        let interruptWords: Set<String> = ["interrupt", "irq", "intr", "int", "timer", "vmexit", "vm-exit"]
        let meaningful = words.filter { $0.kind == .word }
        let saysException = meaningful.contains { ["exception", "exc", "vector"].contains($0.lowered) }
        let operands = meaningful.filter { !filler.contains($0.lowered) }
        guard let operand = operands.first else {
            if saysException {
                throw error(meaningful.last ?? head, "`aex exception` needs a vector or mnemonic, e.g. `aex exception #PF` or `aex exception 14`")
            }
            return .interrupt
        }
        if operands.count > 1 {
            throw error(operands[1], "`aex` takes one cause: interrupt, an exception mnemonic such as #PF, or a vector")
        }
        if interruptWords.contains(operand.lowered) {
            if saysException {
                throw error(operand, "an exception needs a vector or mnemonic such as #PF, not `\(operand.text)`")
            }
            return .interrupt
        }
        if let vector = Self.number(operand.text) {
            guard vector < 32 else { throw error(operand, "exception vectors are 0...31, found \(operand.text)") }
            return .exception(vector: UInt8(vector))
        }
        var mnemonic = operand.text.uppercased()
        if mnemonic.hasPrefix("#") { mnemonic.removeFirst() }
        if let paren = mnemonic.firstIndex(of: "(") { mnemonic = String(mnemonic[..<paren]) }
        if let entry = AEXCause.exceptionVectors.first(where: { $0.name == mnemonic }) {
            return .exception(vector: entry.vector)
        }
        throw error(operand, "unknown AEX cause `\(operand.text)`: expected interrupt, an exception mnemonic such as #PF, or a vector")
    }

    // MARK: - values

    /// The step as written, with `key=value` kept together.
    static func source(_ words: [ScenarioToken]) -> String {
        var text = ""
        for (i, token) in words.enumerated() {
            if i > 0, token.kind != .equals, words[i - 1].kind != .equals { text += " " }
            text += token.text
        }
        return text
    }

    static func number(_ text: String) -> UInt64? {
        let lowered = text.lowercased().replacingUnderscores()
        if lowered.hasPrefix("0x") { return UInt64(lowered.dropFirst(2), radix: 16) }
        if lowered.hasSuffix("h"), lowered.count > 1 { return UInt64(lowered.dropLast(), radix: 16) }
        return UInt64(lowered)
    }

    static func flag(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "yes", "true", "on": true
        case "0", "no", "false", "off": false
        default: nil
        }
    }
}

private extension String {
    func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
