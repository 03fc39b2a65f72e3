using System.Globalization;
using Mic.Core.Inference;
using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Export;

namespace Mic.Trainer.Bench;

/// <summary>
/// What flip test-time augmentation (fast.ai's <c>learn.tta</c> without its random crops) would add to a trained
/// bundle: accuracy on Fashion-MNIST's 10,000 test images as served (one pass through Mic.Core's classifier, as
/// <c>train</c> evaluates), and with each image's probabilities averaged with its mirror image's. Not part of MIC's
/// serving; it measures whether building it is worth it.
/// Usage: Trainer.Bench flip-tta BUNDLE [FASHION_MNIST_DIR]
/// </summary>
internal static class FlipTta
{
    public static async Task<int> RunAsync(string[] args)
    {
        var bundle = ModelBundle.Load(args[0]);
        var source = new FashionMnistSource(args.Length > 1 ? args[1] : FashionMnistSource.DefaultDirectory);
        var data = await DatasetLoader.LoadAsync(source, new DatasetOptions { Input = bundle.Manifest.Input, MaxTrain = 1 }, null,
            CancellationToken.None);
        var test = data.Valid;
        using var classifier = OnnxClassifier.Load(bundle);
        var served = Evaluation.Run(classifier, test, CancellationToken.None);
        var mirrored = Evaluation.Run(classifier, Mirror(test), CancellationToken.None);
        var averaged = new Evaluation(test.Labels, test.Targets,
            served.Probabilities.Zip(mirrored.Probabilities, (a, b) => (a + b) / 2).ToArray());

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{bundle.Manifest.Version} ({bundle.Manifest.Model.Precision}): served {100 * served.Accuracy:F2} %, flip TTA {100 * averaged.Accuracy:F2} % on {test.Count:N0} test images"));
        return 0;
    }

    /// <summary>The same images, each mirrored left to right (NHWC RGB).</summary>
    private static ImageSet Mirror(ImageSet set)
    {
        var width = set.Input.Width;
        var row = width * 3;
        var mirrored = new byte[set.Pixels.Length];
        for (var r = 0; r < set.Pixels.Length / row; r++)
        {
            for (var x = 0; x < width; x++)
            {
                set.Pixels.AsSpan((r * row) + (x * 3), 3).CopyTo(mirrored.AsSpan((r * row) + ((width - 1 - x) * 3), 3));
            }
        }

        return new ImageSet(set.Input, set.Labels, mirrored, set.Targets, set.Ids);
    }
}
