using Mic.Core.Inference;
using Mic.Core.Store;

namespace Mic.ClassifierFunction.Classification;

/// <summary>
/// What <see cref="ServingClassifier.Classify"/> made of one image: a <see cref="Result"/>, or a <see cref="Failure"/>
/// with a message for people. <see cref="ModelVersion"/> is the model that looked at it (null without a model).
/// </summary>
internal sealed record ClassificationOutcome(ClassificationResult? Result, ClassificationFailure? Failure, string Message, string? ModelVersion)
{
    public static ClassificationOutcome NoModel { get; } = new(null, ClassificationFailure.NoModel,
        $"no model is published yet: publish a bundle to the model store (models/<version>/, then {StoreLayout.LatestKey}); " +
        "it is picked up within the poll interval", null);

    public static ClassificationOutcome Classified(ClassificationResult result) => new(result, null, "", result.ModelVersion);
}
