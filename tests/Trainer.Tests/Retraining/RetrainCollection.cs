namespace Mic.Trainer.Tests.Retraining;

/// <summary>The retrain tests' collection: one at a time, since each trains a model on the shared CPU.</summary>
[CollectionDefinition(Name)]
public sealed class RetrainCollection
{
    public const string Name = "retrain against RGW";
}
