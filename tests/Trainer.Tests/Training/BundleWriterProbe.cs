using Mic.Core.Inference;
using Mic.Trainer.Data;
using Mic.Trainer.Export;

namespace Mic.Trainer.Tests.Training;

internal static class BundleWriterProbe
{
    public static float[] Probabilities(OnnxClassifier classifier, ImageSet set) =>
        BundleWriter.Evaluate(classifier, set, CancellationToken.None).Probabilities;
}
