using Mic.ClassifierFunction.S3Events;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Tests.Lambda;

public sealed class S3EventParsingTests
{
    [Theory]
    [InlineData("uploads/photo.jpg", "uploads/photo.jpg")]
    [InlineData("uploads/my+photo.jpg", "uploads/my photo.jpg")]
    [InlineData("uploads/a%2Bb.jpg", "uploads/a+b.jpg")]
    [InlineData("uploads/%C3%BC%E2%9C%93+%F0%9F%8F%8D.jpg", "uploads/ü✓ 🏍.jpg")]
    [InlineData("uploads/100%25.jpg", "uploads/100%.jpg")]
    public void CreatedObjects_EncodedKey_IsDecoded(string encoded, string key)
    {
        var objects = S3EventHandler.CreatedObjects(LambdaEvents.S3("images", encoded).ToJsonString());

        Assert.Equal(("images", key), Assert.Single(objects));
    }

    [Fact]
    public void CreatedObjects_OtherEventTypes_AreNull()
    {
        var json = LambdaEvents.S3Events("images", "ObjectRemoved:Delete", "uploads/a.jpg").ToJsonString();

        Assert.Null(Assert.Single(S3EventHandler.CreatedObjects(json)));
    }

    [Theory]
    [InlineData("uploads/a.jpg", true)]
    [InlineData("uploads/dir/b c.png", true)]
    [InlineData("uploads/", false)]
    [InlineData("uploads/folder/", false)]
    [InlineData("results/uploads/a.jpg.json", false)]
    [InlineData("other/a.jpg", false)]
    public void IsUpload_Key_OnlyUnderTheUploadPrefix(string key, bool expected)
    {
        Assert.Equal(expected, Uploads(new S3EventOptions()).IsUpload(key));
    }

    [Fact]
    public void ResultKey_Upload_MirrorsTheKeyBelowTheUploadPrefix()
    {
        Assert.Equal("results/dir/b c.png.json", Uploads(new S3EventOptions()).ResultKey("uploads/dir/b c.png"));
    }

    [Fact]
    public void IsUpload_EmptyUploadPrefix_StillNeverResults()
    {
        var uploads = Uploads(new S3EventOptions { UploadPrefix = "", ResultsPrefix = "results/" });

        Assert.True(uploads.IsUpload("photo.jpg"));
        Assert.False(uploads.IsUpload("results/photo.jpg.json"));
    }

    [Theory]
    [InlineData("uploads/", "uploads/results/")]
    [InlineData("", "results/")]
    [InlineData("data/", "data/")]
    public void Validate_ResultsInsideUploads_Fails(string upload, string results)
    {
        var outcome = new S3EventOptionsValidator().Validate(null, new S3EventOptions { UploadPrefix = upload, ResultsPrefix = results });

        Assert.True(outcome.Failed);
        Assert.Contains("must not contain each other", outcome.FailureMessage);
    }

    private static S3UploadClassifier Uploads(S3EventOptions options) =>
        new(null!, null!, null!, Options.Create(options), null!, null!);
}
