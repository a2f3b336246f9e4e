import SpecBench
import SpecCore
import Testing

/// tune's last step: the suggestion run again and judged against its
/// prediction (the ratio, the ±15% flag, and what the plain runs say about
/// the load), and the suggestion's command line with p-min.
@Suite struct TuneReproductionTests {
    static func reproduction(predicted: Double, measured: Double, plainPredicted: Double = 30, plainMeasured: Double = 30) -> TuneReproduction {
        TuneReproduction(label: "qwen2.5-coder-0.5b v32k chain L=5 p-min 0.3", predictedTokensPerSecond: predicted,
                         measuredTokensPerSecond: measured, plainPredictedTokensPerSecond: plainPredicted,
                         plainMeasuredTokensPerSecond: plainMeasured, prompts: 6, seed: 0)
    }

    @Test func theRatioIsMeasuredOverPredictedAndFifteenPercentIsTheLine() {
        let r = Self.reproduction(predicted: 40, measured: 36)
        #expect(abs(r.ratio - 0.9) < 1e-12)
        #expect(r.isReproduced)
        // Either side of ±15%: 0.86 and 1.14 reproduce, 0.84 and 1.16 do not.
        #expect(Self.reproduction(predicted: 100, measured: 86).isReproduced)
        #expect(Self.reproduction(predicted: 100, measured: 114).isReproduced)
        #expect(!Self.reproduction(predicted: 100, measured: 84).isReproduced)
        #expect(!Self.reproduction(predicted: 100, measured: 116).isReproduced)
        #expect(Self.reproduction(predicted: 0, measured: 10).ratio == 0 && !Self.reproduction(predicted: 0, measured: 10).isReproduced)
    }

    @Test func aReproducedSuggestionSaysSo() {
        let lines = Self.reproduction(predicted: 40, measured: 36).report
        #expect(lines[0].hasPrefix("reproduction: qwen2.5-coder-0.5b v32k chain L=5 p-min 0.3, run again on the 6 prompts"))
        #expect(lines[1] == "predicted 40.0 tokens/s, measured 36.0 tokens/s: ratio 0.90, reproduced within 15%", "\(lines)")
        #expect(lines[2] == "plain decoding predicted 30.0, measured 30.0 tokens/s (ratio 1.00); speedup predicted 1.33×, measured 1.20× (ratio 0.90)")
        #expect(lines.count == 3)
        #expect(!lines.joined().contains("MISS"))
    }

    @Test func aMissIsFlaggedAndTheLoadIsToldApartFromTheModel() {
        // Everything ran 30% slower, plain decoding too: the load, not the model.
        let load = Self.reproduction(predicted: 40, measured: 28, plainPredicted: 30, plainMeasured: 21)
        #expect(!load.isReproduced && abs(load.speedupRatio - 1) < 1e-12)
        #expect(load.report[1].hasSuffix("ratio 0.70, MISS: beyond ±15% of the prediction"), "\(load.report)")
        #expect(load.report.last?.hasPrefix("the speedup holds") == true)
        // Plain decoding ran as predicted but the suggestion did not: the model's fit.
        let model = Self.reproduction(predicted: 40, measured: 28)
        #expect(!model.isReproduced)
        #expect(model.report.last?.hasPrefix("the speedup misses too") == true, "\(model.report)")
    }

    @Test func theSuggestionCarriesPMin() {
        let shape = ShapePrediction(shape: .chain(depth: 5), expectedTokensPerStep: 3, draftSeconds: 0.04, verifySeconds: 0.05, overheadSeconds: 0)
        let draft = TuneDraft(spec: "qwen2.5-coder-0.5b", vocabulary: 32768)
        let with = TuneExperiment.Candidate(draft: draft.label, prediction: shape, pMin: 0.3)
        #expect(with.label == "chain L=5 p-min 0.3")
        let line = TuneExperiment.suggestion(with, draft: draft, modelPath: "qwen2.5-coder-1.5b", sampling: .greedy)
        #expect(line == "spectree run --model qwen2.5-coder-1.5b --draft qwen2.5-coder-0.5b --draft-vocab 32768 --p-min 0.3 --method chain --depth 5 --temperature 0", "\(line)")
        let without = TuneExperiment.Candidate(draft: draft.label, prediction: shape)
        #expect(!TuneExperiment.suggestion(without, draft: draft, modelPath: nil, sampling: .greedy).contains("--p-min"))
        #expect(without.label == "chain L=5")
    }
}
