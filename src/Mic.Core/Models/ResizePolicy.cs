namespace Mic.Core.Models;

/// <summary>How a decoded photo becomes the model's input size. Trainer and function share this code.</summary>
public enum ResizePolicy
{
    /// <summary><c>shorter-side-then-center-crop</c>: scale so the image covers the target, crop the centre.</summary>
    ShorterSideThenCenterCrop,

    /// <summary><c>stretch</c>: scale each axis independently to the target (aspect ratio not kept).</summary>
    Stretch,
}
