using Mic.Trainer.OnnxToTorch;
using static TorchSharp.torch;

namespace Mic.Trainer.Tests.OnnxToTorch;

/// <summary>
/// Every ONNX backend test case (ONNX's own oracle, Debian libonnx-testdata) whose ops the importer supports must
/// reproduce ONNX's outputs. The few cases that cannot are listed with the reason.
/// </summary>
public sealed class OnnxOpConformanceTests
{
    /// <summary>Cases this harness cannot replay, each with why. Cases the importer rejects are in <see cref="RejectedAtImport"/>.</summary>
    private static readonly Dictionary<string, string> Excluded = new(StringComparer.Ordinal)
    {
        ["test_cast_STRING_to_FLOAT"] = "string tensors are not numeric data; a CNN never reads them",
        ["test_castlike_STRING_to_FLOAT_expanded"] = "string tensors",
        ["test_cast_BFLOAT16_to_FLOAT"] = "bfloat16 inputs are stored as uint16 bit patterns the trainer does not read",
        ["test_castlike_BFLOAT16_to_FLOAT_expanded"] = "bfloat16 inputs (see test_cast_BFLOAT16_to_FLOAT)",
        ["test_identity_opt"] = "optional-typed values, not tensors",
        ["test_identity_sequence"] = "sequence-typed values, not tensors",
        ["test_training_dropout"] = "training-mode dropout draws a random mask; numpy's stream cannot be reproduced",
        ["test_training_dropout_default"] = "random mask (see test_training_dropout)",
        ["test_training_dropout_mask"] = "random mask (see test_training_dropout)",
        ["test_training_dropout_default_mask"] = "random mask (see test_training_dropout)",
    };

    /// <summary>Cases that use a variant the importer does not implement: import must fail, naming the op.</summary>
    private static readonly string[] RejectedAtImport =
    [
        "test_averagepool_3d_default", "test_maxpool_3d_default", "test_maxpool_with_argmax_2d_precomputed_pads",
        "test_maxpool_with_argmax_2d_precomputed_strides", "test_cast_FLOAT_to_STRING", "test_castlike_FLOAT_to_STRING_expanded",
        "test_cast_FLOAT_to_BFLOAT16", "test_castlike_FLOAT_to_BFLOAT16_expanded"
    ];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var name in OnnxBackendCase.SupportedCaseNames().Where(n => !Excluded.ContainsKey(n) && !RejectedAtImport.Contains(n)))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_OnnxBackendCase_MatchesOnnxOutputs(string name)
    {
        using var scope = NewDisposeScope();
        var testCase = OnnxBackendCase.Load(name);
        foreach (var (output, expected, actual) in testCase.Run())
        {
            Assert.Equal(expected.shape, actual.shape);
            Assert.Equal(expected.dtype, actual.dtype);
            if (expected.numel() == 0)
            {
                continue;
            }

            if (expected.is_floating_point())
            {
                var e = expected.to_type(ScalarType.Float64);
                var a = actual.to_type(ScalarType.Float64);
                var error = ((a - e).abs() - ((e.abs() * 1e-4) + 1e-5)).max().item<double>();
                Assert.True(error <= 0, $"{name} output '{output}': max |actual - expected| exceeds 1e-4 relative + 1e-5 by {error}");
            }
            else
            {
                Assert.True(expected.eq(actual).all().item<bool>(), $"{name} output '{output}' differs");
            }
        }
    }

    [Fact]
    public void Supported_EveryOp_HasAPassingBackendCase()
    {
        var covered = OnnxBackendCase.SupportedCaseNames()
            .Where(n => !Excluded.ContainsKey(n) && !RejectedAtImport.Contains(n))
            .SelectMany(n => OnnxBackendCase.Load(n).Ops)
            .ToHashSet(StringComparer.Ordinal);

        var untested = OnnxOps.Supported.Where(op => !covered.Contains(op)).ToArray();
        Assert.True(untested.Length == 0, $"ops without a passing backend case: {string.Join(", ", untested)}");
    }

    public static TheoryData<string> Rejected() => new(RejectedAtImport);

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Import_UnsupportedVariant_FailsNamingTheOp(string name)
    {
        var testCase = OnnxBackendCase.Load(name);

        var error = Assert.Throws<UnsupportedOnnxOpException>(() => OnnxGraphModule.Import(testCase.Model));

        Assert.Contains(testCase.Model.Graph.Node[0].OpType, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_UnknownOp_FailsNamingTheOp()
    {
        var testCase = OnnxBackendCase.Load("test_gathernd_example_float32");

        var error = Assert.Throws<UnsupportedOnnxOpException>(() => OnnxGraphModule.Import(testCase.Model));

        Assert.Contains("'GatherND'", error.Message, StringComparison.Ordinal);
    }
}
