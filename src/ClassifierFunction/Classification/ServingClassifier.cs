using Mic.Core.Imaging;
using Mic.Core.Inference;
using Mic.Core.Store;

namespace Mic.ClassifierFunction.Classification;

/// <summary>
/// The one way the function classifies an image, for the API and the upload path alike: a lease on the model being
/// served (so a hot swap never cuts a request short), the image limits of <see cref="ImageClassifier"/>, and every
/// refusal as a <see cref="ClassificationOutcome"/> instead of an exception. Thread-safe.
/// </summary>
internal sealed class ServingClassifier(ModelHost host, ImageClassifier classifier)
{
    /// <summary>Largest encoded image accepted, in bytes (<c>Mic:MaxImageBytes</c>).</summary>
    public long MaxImageBytes => classifier.Decoder.Limits.MaxBytes;

    /// <summary>The version being served, or null before a model is loaded.</summary>
    public string? ModelVersion => host.Manifest?.Version;

    public ClassificationOutcome Classify(ReadOnlyMemory<byte> image, int top, CancellationToken cancellationToken)
    {
        using var lease = host.TryAcquire();
        if (lease is null)
        {
            return ClassificationOutcome.NoModel;
        }

        try
        {
            return ClassificationOutcome.Classified(classifier.Classify(lease.Classifier, image, top, cancellationToken));
        }
        catch (ImageDecodeException e)
        {
            var failure = e.Kind switch
            {
                ImageErrorKind.TooLarge => ClassificationFailure.TooLarge,
                ImageErrorKind.UnsupportedFormat => ClassificationFailure.UnsupportedFormat,
                _ => ClassificationFailure.Corrupt,
            };
            return new ClassificationOutcome(null, failure, e.Message, lease.Classifier.Manifest.Version);
        }
    }
}
