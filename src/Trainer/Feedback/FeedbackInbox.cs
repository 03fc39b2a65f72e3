using System.Text.Json;
using Mic.Core.Store;

namespace Mic.Trainer.Feedback;

/// <summary>Reads what waits under <c>feedback/</c> in a store: every image key, with its sidecar's fields.</summary>
internal static class FeedbackInbox
{
    /// <summary>The images under <c>feedback/</c> (sidecars and stray keys left out), ordered by label, then key.</summary>
    public static async Task<IReadOnlyList<FeedbackItem>> ListAsync(IModelStore store, CancellationToken cancellationToken)
    {
        var keys = await store.ListAsync(FeedbackLayout.Prefix, cancellationToken).ConfigureAwait(false);
        var sidecars = keys.ToHashSet(StringComparer.Ordinal);
        var items = new List<FeedbackItem>();
        foreach (var key in keys)
        {
            if (FeedbackLayout.TryParseImageKey(key, out var parsed))
            {
                items.Add(sidecars.Contains(parsed.SidecarKey)
                    ? await WithSidecarAsync(store, parsed, cancellationToken).ConfigureAwait(false)
                    : new FeedbackItem(parsed));
            }
        }

        return items;
    }

    private static async Task<FeedbackItem> WithSidecarAsync(IModelStore store, FeedbackImageKey key, CancellationToken cancellationToken)
    {
        var item = new FeedbackItem(key);
        var stored = await store.ReadAsync(key.SidecarKey, null, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return item;
        }

        try
        {
            using var json = JsonDocument.Parse(stored.Content);
            var root = json.RootElement;
            return item with
            {
                PredictedLabel = Text(root, "predictedLabel"),
                Probability = root.TryGetProperty("probability", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : null,
                ModelVersion = Text(root, "modelVersion"),
                Source = Text(root, "source"),
                ReceivedAt = root.TryGetProperty("receivedAt", out var t) && t.TryGetDateTimeOffset(out var at) ? at : null,
            };
        }
        catch (JsonException)
        {
            return item; // a damaged sidecar loses the prediction, not the image
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
