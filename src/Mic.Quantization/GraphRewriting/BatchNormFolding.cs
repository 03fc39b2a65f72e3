using Onnx;

namespace Mic.Quantization.GraphRewriting;

/// <summary>
/// What <see cref="BatchNormFolder.Fold"/> did: the rewritten model, how many BatchNormalization nodes it merged into
/// the Conv before them, and each one it left in place with the reason (left nodes still compute correctly).
/// </summary>
public sealed record BatchNormFolding(ModelProto Model, int Folded, IReadOnlyList<string> Left);
