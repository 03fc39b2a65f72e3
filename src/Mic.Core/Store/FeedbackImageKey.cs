namespace Mic.Core.Store;

/// <summary>One feedback image's key, split: <c>feedback/<see cref="Label"/>/<see cref="Sha256"/>.<see cref="Extension"/></c>.</summary>
public readonly record struct FeedbackImageKey(string Label, string Sha256, string Extension)
{
    public string Key => FeedbackLayout.ImageKey(Label, Sha256, Extension);

    public string SidecarKey => FeedbackLayout.SidecarKey(Label, Sha256);

    /// <summary>The file name the image gets in a dataset: <c>&lt;sha256&gt;.&lt;ext&gt;</c>.</summary>
    public string FileName => $"{Sha256}.{Extension}";
}
