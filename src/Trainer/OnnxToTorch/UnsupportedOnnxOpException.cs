namespace Mic.Trainer.OnnxToTorch;

/// <summary>The graph uses an op, attribute or data type the importer cannot execute; the message names it.</summary>
public sealed class UnsupportedOnnxOpException(string message) : NotSupportedException(message);
