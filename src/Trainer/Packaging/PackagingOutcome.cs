using Mic.Core.Models;
using Mic.Quantization;
using Mic.Trainer.Export;

namespace Mic.Trainer.Packaging;

/// <summary>The int8 bundle, both models' evaluations on the same images, what the quantizer did, and the gate's verdict.</summary>
public sealed record PackagingOutcome(ModelBundle Bundle, Evaluation Fp32, Evaluation Int8, QuantizationReport Report, GateDecision Gate);
