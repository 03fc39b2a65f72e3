namespace Mic.Trainer.OnnxToTorch;

/// <summary>
/// One initializer of an imported graph. <see cref="FirstUse"/> is the index of the first node that reads it, which
/// orders parameters from input to output (used to split a backbone into layer groups).
/// </summary>
public sealed record OnnxInitializer(string OnnxName, string ModuleName, OnnxInitializerKind Kind, int FirstUse, string ConsumerOp);
