import CPUID

/// How the fleet export (schema `vcpuid-fleet-export/1`) spells registers: `0x00000007.0x00.ebx`.
public enum FleetExportNames {
    public static let schema = "vcpuid-fleet-export/1"

    public static func register(_ register: FeatureRegister) -> String {
        "\(Hex.word(register.leaf)).\(Hex.byte(register.subleaf)).\(register.register.description.lowercased())"
    }

    public static func register(leaf: UInt32, subleaf: UInt32, _ register: Register) -> String {
        "\(Hex.word(leaf)).\(Hex.byte(subleaf)).\(register.description.lowercased())"
    }
}
