using Mic.ClassifierFunction.Configuration;
using Mic.ClassifierFunction.S3Events;

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
        var objects = S3Notification.CreatedObjects(LambdaEvents.S3("images", encoded).ToJsonString());

        Assert.Equal(("images", key), Assert.Single(objects));
    }

    [Fact]
    public void CreatedObjects_TestEvent_HasNone()
    {
        // What S3 sends to a queue when its notification is set up.
        const string testEvent = """{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-12-03T10:00:00.000Z","Bucket":"images","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}""";

        Assert.Empty(S3Notification.CreatedObjects(testEvent));
    }

    [Fact]
    public void CreatedObjects_OtherEventTypes_AreNull()
    {
        var json = LambdaEvents.S3Events("images", "ObjectRemoved:Delete", "uploads/a.jpg").ToJsonString();

        Assert.Null(Assert.Single(S3Notification.CreatedObjects(json)));
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
        Assert.Equal(expected, new S3EventOptions().IsUpload(key));
    }

    [Fact]
    public void ResultKey_Upload_MirrorsTheKeyBelowTheUploadPrefix()
    {
        Assert.Equal("results/dir/b c.png.json", new S3EventOptions().ResultKey("uploads/dir/b c.png"));
    }

    [Fact]
    public void IsUpload_EmptyUploadPrefix_StillNeverResults()
    {
        var uploads = new S3EventOptions { UploadPrefix = "", ResultsPrefix = "results/" };

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
}
