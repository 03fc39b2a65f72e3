using Mic.Core.Store;

namespace Mic.Trainer.Feedback;

/// <summary>
/// Moves reviewed feedback into a dataset: <c>feedback/&lt;label&gt;/&lt;sha256&gt;.&lt;ext&gt;</c> becomes
/// <c>datasets/&lt;name&gt;/&lt;label&gt;/&lt;sha256&gt;.&lt;ext&gt;</c> (created only if absent: the same image accepted twice is
/// one file), then the feedback image and its sidecar are deleted. <c>_unlabelled</c> is never accepted; an
/// <c>_uncertain</c> image only with a label given for it. Everything is checked before anything moves.
/// </summary>
internal static class FeedbackAcceptance
{
    /// <summary>Moves <paramref name="items"/> into <paramref name="dataset"/>, under <paramref name="label"/> when given, else their own.</summary>
    /// <exception cref="ArgumentException">A dataset name or label that cannot be a folder, or an item that cannot be accepted (named).</exception>
    public static async Task<IReadOnlyList<string>> AcceptAsync(IModelStore store, string dataset, IReadOnlyList<FeedbackItem> items, string? label,
        CancellationToken cancellationToken)
    {
        if (!FeedbackLayout.IsTrainingLabel(dataset))
        {
            throw new ArgumentException($"--dataset '{dataset}' cannot be a folder name (no '/', not empty, not reserved)");
        }

        if (label is not null && !FeedbackLayout.IsTrainingLabel(label))
        {
            throw new ArgumentException($"--label '{label}' cannot be a training label (no '/', not empty, not {FeedbackLayout.Unlabelled} or {FeedbackLayout.Uncertain})");
        }

        foreach (var item in items)
        {
            if (item.Key.Label == FeedbackLayout.Unlabelled)
            {
                throw new ArgumentException($"{item.Key.Key}: \"none of these\" images are never accepted into a dataset");
            }

            if (label is null && !item.HasTrainingLabel)
            {
                throw new ArgumentException($"{item.Key.Key}: has no label yet; accept it with --label <label>");
            }
        }

        var moved = new List<string>();
        foreach (var item in items)
        {
            var target = $"{FeedbackLayout.DatasetPrefix(dataset)}{label ?? item.Key.Label}/{item.Key.FileName}";
            var image = await store.ReadAsync(item.Key.Key, null, cancellationToken).ConfigureAwait(false)
                ?? throw new FileNotFoundException($"{store.Location}/{item.Key.Key} no longer exists (accepted or deleted meanwhile?)");
            using (var content = new MemoryStream(image.Content, writable: false))
            {
                await store.TryCreateAsync(target, content, ContentType(item.Key.Extension), cancellationToken).ConfigureAwait(false);
            }

            await store.DeleteAsync(item.Key.SidecarKey, cancellationToken).ConfigureAwait(false);
            await store.DeleteAsync(item.Key.Key, cancellationToken).ConfigureAwait(false);
            moved.Add(target);
        }

        return moved;
    }

    private static string ContentType(string extension) => extension switch
    {
        "jpg" => "image/jpeg",
        "tif" => "image/tiff",
        _ => $"image/{extension}",
    };
}
