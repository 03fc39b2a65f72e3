namespace Mic.Trainer.Retraining;

/// <summary>
/// Which dataset images came from feedback: <c>mic-train accept</c> names each <c>&lt;sha256&gt;.&lt;ext&gt;</c>
/// (64 lowercase hex digits, the feedback key's file name) in its label's folder.
/// </summary>
internal static class AcceptedFeedback
{
    /// <summary>True for an image id (<c>&lt;label&gt;/&lt;file&gt;</c>) whose file name is an accepted feedback image's.</summary>
    public static bool IsAccepted(string id)
    {
        var name = id[(id.LastIndexOf('/') + 1)..];
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot == 64 && name.Length > 65 && name[..dot].All(char.IsAsciiHexDigitLower);
    }
}
