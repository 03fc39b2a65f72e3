using Onnx;

namespace Mic.Trainer.Model;

/// <summary>
/// A pretrained ImageNet ONNX graph to fine-tune: <see cref="Input"/> takes float NCHW, <see cref="FeatureMap"/> is
/// the last spatial feature map [N, C, h, w] (before the backbone's own pooling and classifier, which are dropped).
/// </summary>
public sealed record Backbone(string Name, ModelProto Model, string Input, string FeatureMap, Normalization Normalization);
