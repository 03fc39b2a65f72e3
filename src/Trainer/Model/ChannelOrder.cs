namespace Mic.Trainer.Model;

/// <summary>The channel order a backbone was trained on.</summary>
public enum ChannelOrder
{
    Rgb,
    Bgr,
}
