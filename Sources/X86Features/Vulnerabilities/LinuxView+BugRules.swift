extension LinuxView {
    /// Whether this view's release decides bug `name` (`MDS`) in cpu_set_bug_bits(), so that "not set" means
    /// "the kernel would not set it" rather than "vcpuid does not model it".
    public func decidesBug(_ name: String) -> Bool {
        BugRules.all.contains { $0.isBug && $0.name == name && $0.kernels.contains(kernel.version.release) }
    }
}
