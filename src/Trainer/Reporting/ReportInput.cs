using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Export;
using Mic.Trainer.Training;

namespace Mic.Trainer.Reporting;

/// <summary>What the training report shows: the data, the exported model's manifest and evaluation, and the epochs that made it.</summary>
public sealed record ReportInput(
    string Title,
    Dataset Dataset,
    Evaluation Evaluation,
    ModelManifest Manifest,
    IReadOnlyList<EpochResult> History,
    IReadOnlyList<double> BatchLosses,
    LrFinderResult? LrFinder,
    double Seconds);
