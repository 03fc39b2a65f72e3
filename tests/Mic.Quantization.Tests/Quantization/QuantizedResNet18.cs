using Onnx;

namespace Mic.Quantization.Tests.Quantization;

/// <summary>
/// The contract-wrapped ResNet18 nearest-centroid classifier and the ResNet18 featurizer, each quantized once with
/// MinMax calibration on <see cref="TestPhotos.Calibration"/>. Read-only for the tests that share it.
/// </summary>
public sealed class QuantizedResNet18
{
    public QuantizedResNet18()
    {
        var input = TestPhotos.ResNet18Input;
        Calibration = new CalibrationData(input.Height, input.Width,
            TestPhotos.Calibration.Select(p => (ReadOnlyMemory<byte>)TestPhotos.Pixels(p, input)));
        using var scratch = new TempDirectory();
        var bundle = ResNet18Bundles.NearestCentroid(scratch.Path);
        Classifier = ModelProto.Parser.ParseFrom(File.ReadAllBytes(bundle.ModelPath));
        Featurizer = ResNet18Models.Featurizer();
        QuantizedClassifier = QdqQuantizer.Quantize(Classifier, Calibration);
        QuantizedFeaturizer = QdqQuantizer.Quantize(Featurizer, Calibration);
    }

    public CalibrationData Calibration { get; }

    public ModelProto Classifier { get; }

    public ModelProto Featurizer { get; }

    public QuantizationResult QuantizedClassifier { get; }

    public QuantizationResult QuantizedFeaturizer { get; }
}
