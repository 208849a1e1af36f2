import CPUID
import X86Features

/// The live feature MSRs of /dev/kvm against the model: what only one side lists, and every decided bit
/// that differs with the model's rule for it. Undecided bits are reported with the live value, not as
/// differences.
public struct KVMFeatureMSRComparison: Sendable {
    public enum Difference: Hashable, Sendable {
        case onlyLive(UInt32)
        case onlyModel(UInt32, because: String)
        case faulted(UInt32)
        /// A decided bit whose live value differs; the account is the model's.
        case bit(UInt32, live: Bool, account: KVMFeatureMSRPrediction.Bit)
    }

    /// An undecided model bit and what the live KVM says.
    public struct Settled: Hashable, Sendable {
        public var msr: UInt32
        public var live: Bool
        public var account: KVMFeatureMSRPrediction.Bit
    }

    public var differences: [Difference]
    public var settledByLive: [Settled]
    public var live: [MSR]
    public var model: [KVMFeatureMSRPrediction]

    public init(live: [MSR], model: [KVMFeatureMSRPrediction]) {
        self.live = live
        self.model = model
        var differences: [Difference] = []
        var settled: [Settled] = []
        let byIndex = Dictionary(model.map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first })
        for msr in live {
            guard let predicted = byIndex[msr.index] else { differences.append(.onlyLive(msr.index)); continue }
            guard let value = msr.value.bits else { differences.append(.faulted(msr.index)); continue }
            for n in 0..<64 {
                let mask = UInt64(1) << UInt64(n)
                let liveBit = value & mask != 0
                if predicted.decidedMask & mask != 0 {
                    if liveBit != (predicted.value & mask != 0) {
                        differences.append(.bit(msr.index, live: liveBit, account: predicted.account(ofBit: n)))
                    }
                } else if predicted.bits.contains(where: { $0.number == n }) || liveBit {
                    settled.append(Settled(msr: msr.index, live: liveBit, account: predicted.account(ofBit: n)))
                }
            }
        }
        let liveIndices = Set(live.map(\.index))
        for predicted in model where !liveIndices.contains(predicted.index) {
            differences.append(.onlyModel(predicted.index, because: predicted.listedBecause))
        }
        self.differences = differences
        self.settledByLive = settled
    }
}
