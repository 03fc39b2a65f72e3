namespace Mic.Trainer.Data;

/// <summary>Which Fashion-MNIST images a <see cref="FashionMnistSource"/> offers, and as which split.</summary>
public enum FashionMnistSubset
{
    /// <summary>
    /// <c>fashion-mnist</c>: the 60,000 training images train and the 10,000 test images validate. Settings chosen on
    /// this validation split are chosen on the test set; use <see cref="Train"/> to tune and <see cref="Test"/> to report.
    /// </summary>
    Official,

    /// <summary>
    /// <c>fashion-mnist-train</c>: the 60,000 training images only, without a fixed split, so the loader holds out a
    /// seeded share of each class for validation (<c>--valid-pct</c>). No test image is read.
    /// </summary>
    Train,

    /// <summary><c>fashion-mnist-test</c>: the 10,000 test images only, all in the validation split; nothing to train on.</summary>
    Test,
}
