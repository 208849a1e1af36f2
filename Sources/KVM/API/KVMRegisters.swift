import CCPUID

/// The general-purpose registers, RIP and RFLAGS of a vCPU (struct kvm_regs).
public struct KVMRegisters: Hashable, Sendable {
    public var rax: UInt64 = 0, rbx: UInt64 = 0, rcx: UInt64 = 0, rdx: UInt64 = 0
    public var rsi: UInt64 = 0, rdi: UInt64 = 0, rsp: UInt64 = 0, rbp: UInt64 = 0
    public var r8: UInt64 = 0, r9: UInt64 = 0, r10: UInt64 = 0, r11: UInt64 = 0
    public var r12: UInt64 = 0, r13: UInt64 = 0, r14: UInt64 = 0, r15: UInt64 = 0
    public var rip: UInt64 = 0
    /// Bit 1 is reserved and must be set, so the default is 0x2.
    public var rflags: UInt64 = 0x2

    public init() {}

    init(_ r: kvm_regs) {
        rax = r.rax; rbx = r.rbx; rcx = r.rcx; rdx = r.rdx
        rsi = r.rsi; rdi = r.rdi; rsp = r.rsp; rbp = r.rbp
        r8 = r.r8; r9 = r.r9; r10 = r.r10; r11 = r.r11
        r12 = r.r12; r13 = r.r13; r14 = r.r14; r15 = r.r15
        rip = r.rip; rflags = r.rflags
    }

    var raw: kvm_regs {
        var r = kvm_regs()
        r.rax = rax; r.rbx = rbx; r.rcx = rcx; r.rdx = rdx
        r.rsi = rsi; r.rdi = rdi; r.rsp = rsp; r.rbp = rbp
        r.r8 = r8; r.r9 = r9; r.r10 = r10; r.r11 = r11
        r.r12 = r12; r.r13 = r13; r.r14 = r14; r.r15 = r15
        r.rip = rip; r.rflags = rflags
        return r
    }
}

/// One segment register as KVM describes it (struct kvm_segment).
public struct KVMSegment: Hashable, Sendable {
    public var base: UInt64
    public var limit: UInt32
    public var selector: UInt16
    public var type: UInt8
    public var present: Bool
    public var dpl: UInt8
    public var defaultSize32: Bool
    public var system: Bool
    public var longMode: Bool
    public var granularity: Bool
    public var available: Bool
    public var unusable: Bool

    init(_ s: kvm_segment) {
        base = s.base; limit = s.limit; selector = s.selector; type = s.type
        present = s.present != 0; dpl = s.dpl; defaultSize32 = s.db != 0; system = s.s != 0
        longMode = s.l != 0; granularity = s.g != 0; available = s.avl != 0; unusable = s.unusable != 0
    }

    var raw: kvm_segment {
        var s = kvm_segment()
        s.base = base; s.limit = limit; s.selector = selector; s.type = type
        s.present = present ? 1 : 0; s.dpl = dpl; s.db = defaultSize32 ? 1 : 0; s.s = system ? 1 : 0
        s.l = longMode ? 1 : 0; s.g = granularity ? 1 : 0; s.avl = available ? 1 : 0; s.unusable = unusable ? 1 : 0
        return s
    }

    /// A real-mode segment: base = selector * 16, 64 KiB limit.
    public mutating func makeRealMode(selector: UInt16) {
        self.selector = selector
        base = UInt64(selector) << 4
        limit = 0xffff
    }
}

/// Segment, control and system registers of a vCPU (struct kvm_sregs). Fields not named here
/// (descriptor tables, the pending-interrupt bitmap) are kept as KVM returned them and written back unchanged.
public struct KVMSpecialRegisters: Sendable {
    var raw: kvm_sregs

    init(_ raw: kvm_sregs) { self.raw = raw }

    public var cs: KVMSegment { get { KVMSegment(raw.cs) } set { raw.cs = newValue.raw } }
    public var ds: KVMSegment { get { KVMSegment(raw.ds) } set { raw.ds = newValue.raw } }
    public var es: KVMSegment { get { KVMSegment(raw.es) } set { raw.es = newValue.raw } }
    public var fs: KVMSegment { get { KVMSegment(raw.fs) } set { raw.fs = newValue.raw } }
    public var gs: KVMSegment { get { KVMSegment(raw.gs) } set { raw.gs = newValue.raw } }
    public var ss: KVMSegment { get { KVMSegment(raw.ss) } set { raw.ss = newValue.raw } }
    public var cr0: UInt64 { get { raw.cr0 } set { raw.cr0 = newValue } }
    public var cr2: UInt64 { get { raw.cr2 } set { raw.cr2 = newValue } }
    public var cr3: UInt64 { get { raw.cr3 } set { raw.cr3 = newValue } }
    public var cr4: UInt64 { get { raw.cr4 } set { raw.cr4 = newValue } }
    public var cr8: UInt64 { get { raw.cr8 } set { raw.cr8 = newValue } }
    public var efer: UInt64 { get { raw.efer } set { raw.efer = newValue } }
    public var apicBase: UInt64 { get { raw.apic_base } set { raw.apic_base = newValue } }

    /// Puts every data and code segment in real mode with the given selectors' bases.
    public mutating func makeRealMode(codeSegment: UInt16 = 0, dataSegment: UInt16 = 0) {
        var segment = cs
        segment.makeRealMode(selector: codeSegment)
        cs = segment
        for keyPath in [\KVMSpecialRegisters.ds, \.es, \.fs, \.gs, \.ss] {
            var data = self[keyPath: keyPath]
            data.makeRealMode(selector: dataSegment)
            self[keyPath: keyPath] = data
        }
    }
}
