using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Mic.Trainer.Training;

/// <summary>
/// Applies an <see cref="Augmentation"/> to a batch on its device: one affine warp per image (crop, flip, rotate, zoom
/// through <c>affine_grid</c>/<c>grid_sample</c>) and lighting in logit space, as fast.ai does on the GPU. Random draws
/// come from a seeded <see cref="Random"/>, so a run is reproducible.
/// </summary>
internal sealed class Augmenter(Augmentation augmentation, int seed)
{
    private Random _random = new(seed);

    /// <summary>Starts a new random stream (each epoch has its own, so a resumed run draws what an uninterrupted one would).</summary>
    public void Reseed(int value) => _random = new Random(value);

    /// <summary>uint8 or float NHWC [B, H, W, 3] in 0–255 → float NHWC [B, H, W, 3] in 0–255.</summary>
    public Tensor Apply(Tensor pixels)
    {
        var x = pixels.to_type(ScalarType.Float32);
        if (augmentation.IsIdentity)
        {
            return x;
        }

        var batch = (int)x.shape[0];
        var theta = new float[batch * 6];
        var brightness = new float[batch];
        var contrast = new float[batch];
        for (var i = 0; i < batch; i++)
        {
            Draw(theta.AsSpan(i * 6, 6), out brightness[i], out contrast[i]);
        }

        var nchw = x.permute(0, 3, 1, 2);
        var grid = F.affine_grid(tensor(theta, [batch, 2, 3], device: x.device), nchw.shape, align_corners: false);
        var warped = F.grid_sample(nchw, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Reflection, align_corners: false);
        if (augmentation.LightingProbability > 0)
        {
            // fast.ai: brightness adds logit(b), contrast multiplies the logit, on pixels scaled to (0, 1).
            var p = (warped / 255).clamp(1e-4, 1 - 1e-4);
            var logit = (p / (1 - p)).log();
            var b = tensor(brightness, [batch, 1, 1, 1], device: x.device);
            var c = tensor(contrast, [batch, 1, 1, 1], device: x.device);
            warped = ((logit * c) + b).sigmoid() * 255;
        }

        return warped.permute(0, 2, 3, 1);
    }

    private void Draw(Span<float> theta, out float brightness, out float contrast)
    {
        var a = augmentation;
        // RandomResizedCrop: area share and aspect ratio, then a position that keeps the crop inside the image.
        var area = a.MinScale + (_random.NextDouble() * (1 - a.MinScale));
        var ratio = Math.Exp(Math.Log(3.0 / 4) + (_random.NextDouble() * (Math.Log(4.0 / 3) - Math.Log(3.0 / 4))));
        var w = Math.Min(1, Math.Sqrt(area * ratio));
        var h = Math.Min(1, Math.Sqrt(area / ratio));
        var cx = (_random.NextDouble() * 2 - 1) * (1 - w);
        var cy = (_random.NextDouble() * 2 - 1) * (1 - h);
        var flip = a.Flip && _random.NextDouble() < 0.5 ? -1.0 : 1.0;
        var angle = 0.0;
        var zoom = 1.0;
        if (_random.NextDouble() < a.AffineProbability)
        {
            angle = (_random.NextDouble() * 2 - 1) * a.MaxRotateDegrees * Math.PI / 180;
            zoom = 1 + (_random.NextDouble() * (a.MaxZoom - 1));
        }

        var (sin, cos) = Math.SinCos(angle);
        var sx = w * flip / zoom;
        var sy = h / zoom;
        theta[0] = (float)(cos * sx);
        theta[1] = (float)(-sin * sy);
        theta[2] = (float)cx;
        theta[3] = (float)(sin * sx);
        theta[4] = (float)(cos * sy);
        theta[5] = (float)cy;

        brightness = 0;
        contrast = 1;
        if (_random.NextDouble() < a.LightingProbability)
        {
            var change = 0.5 + ((_random.NextDouble() * 2 - 1) * a.MaxLighting / 2);
            brightness = (float)Math.Log(change / (1 - change));
            var max = Math.Log(1 / (1 - a.MaxLighting));
            contrast = (float)Math.Exp((_random.NextDouble() * 2 - 1) * max);
        }
    }
}
