using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;
using Mic.ClassifierFunction.S3Events;
using Mic.ClassifierFunction.Tests.Api;
using Mic.ClassifierFunction.Tests.Page;
using Mic.Core.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Mic.ClassifierFunction.Tests.Uploads;

/// <summary>
/// Direct uploads of originals against a real Ceph RGW: the signed POST form, S3's enforcement of its limits, the
/// S3 handler's result, and the page's whole flow in Chromium. The S3 trigger itself is played by the test (it calls
/// the function's S3 handler when the object appears), as Lambda would on AWS.
/// </summary>
[Collection(RgwCollection.Name)]
public sealed class UploadsTests(RgwFixture rgw) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Uploads_NotConfigured_Is404ProblemSayingSo()
    {
        await using var app = await AppAsync(bucket: null);
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/uploads");

        await ClassifyApiTests.AssertProblemAsync(response, HttpStatusCode.NotFound, "Mic:Uploads:Bucket");
    }

    [Theory]
    [InlineData("text/plain", 1000, HttpStatusCode.UnsupportedMediaType, "not accepted")]
    [InlineData("image/jpeg", 300_001, HttpStatusCode.RequestEntityTooLarge, "1 to 300000 bytes")]
    [InlineData("image/jpeg", 0, HttpStatusCode.RequestEntityTooLarge, "1 to 300000 bytes")]
    public async Task Create_BadRequest_IsProblem(string contentType, long bytes, HttpStatusCode status, string detail)
    {
        await using var app = await AppAsync(await rgw.CreateBucketAsync());
        using var client = app.CreateClient();

        using var response = await client.PostAsJsonAsync("/uploads", new { contentType, bytes });

        await ClassifyApiTests.AssertProblemAsync(response, status, detail);
    }

    [Fact]
    public async Task SignedForm_PostedToRgw_IsClassifiedAndResultReadable()
    {
        var bucket = await rgw.CreateBucketAsync();
        await using var app = await AppAsync(bucket);
        using var client = app.CreateClient();
        var photo = Images.TintedPhoto("green");

        var ticket = await CreateTicketAsync(client, "image/jpeg", photo.Length);
        using var upload = await PostFormAsync(ticket, photo, "image/jpeg");
        var key = ticket.GetProperty("key").GetString()!;
        await ProcessAsync(app, bucket, key);
        using var result = await client.GetAsync(ticket.GetProperty("resultUrl").GetString());

        Assert.Equal(HttpStatusCode.NoContent, upload.StatusCode);
        Assert.Matches(@"^uploads/\d{4}/\d{2}/\d{2}/[0-9a-f]{32}\.jpg$", key);
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        using var json = await ClassifyApiTests.ReadJsonAsync(result);
        Assert.Equal("green", json.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());
        Assert.Equal("v1", json.RootElement.GetProperty("modelVersion").GetString());
    }

    [Fact]
    public async Task SignedForm_BodyOverTheLimit_IsRefusedByS3()
    {
        var bucket = await rgw.CreateBucketAsync();
        await using var app = await AppAsync(bucket);
        using var client = app.CreateClient();
        var ticket = await CreateTicketAsync(client, "image/jpeg", 1000);

        // The page declared 1000 bytes; sending more than the signed policy's 300000-byte range must fail at S3.
        using var upload = await PostFormAsync(ticket, new byte[400_000], "image/jpeg");

        Assert.False(upload.IsSuccessStatusCode, $"RGW accepted an upload over the signed limit ({upload.StatusCode})");
        var listed = await rgw.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "uploads/" });
        Assert.Empty(listed.S3Objects ?? []);
    }

    [Fact]
    public async Task SignedForm_OtherContentType_IsRefusedByS3()
    {
        var bucket = await rgw.CreateBucketAsync();
        await using var app = await AppAsync(bucket);
        using var client = app.CreateClient();
        var ticket = await CreateTicketAsync(client, "image/jpeg", 1000);

        using var upload = await PostFormAsync(ticket, "<html>not a photo</html>"u8.ToArray(), "text/html", overrideContentType: true);

        Assert.False(upload.IsSuccessStatusCode);
    }

    [Theory]
    [InlineData("2026/11/28/not-a-generated-key.jpg", HttpStatusCode.BadRequest)]
    [InlineData("..%2F..%2Fmodels%2Flatest.json", HttpStatusCode.BadRequest)]
    [InlineData("2026/11/28/0123456789abcdef0123456789abcdef.jpg", HttpStatusCode.NotFound)]
    public async Task Result_BadOrUnknownKey_IsProblem(string key, HttpStatusCode status)
    {
        await using var app = await AppAsync(await rgw.CreateBucketAsync());
        using var client = app.CreateClient();

        using var response = await client.GetAsync($"/results/{key}");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Page_FullSizeOriginal_GoesThroughRgwAndShowsTheResult()
    {
        var bucket = await rgw.CreateBucketAsync();
        await using var app = await AppAsync(bucket);
        var address = KestrelApp.Start(app);
        await rgw.Client.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new CORSConfiguration
            {
                Rules = [new CORSRule { AllowedMethods = ["POST"], AllowedOrigins = [address.GetLeftPart(UriPartial.Authority)], AllowedHeaders = ["*"] }],
            },
        });
        await using var browser = new BrowserFixture();
        await browser.InitializeAsync();
        var page = await browser.Browser.NewPageAsync();
        await page.GotoAsync(address.ToString());
        var photo = _temp.Combine("red.jpg");
        await File.WriteAllBytesAsync(photo, Images.TintedPhoto("red"));

        await page.SetInputFilesAsync("#file", photo);
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Most likely: red");
        await page.ClickAsync("#original-button");
        var key = await WaitForUploadAsync(bucket);
        await ProcessAsync(app, bucket, key);

        await Assertions.Expect(page.Locator("#result-meta")).ToContainTextAsync("full-size original via storage");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Most likely: red");
        await Assertions.Expect(page.Locator("#result-meta")).ToContainTextAsync("image 600×400 jpeg");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "page-original-via-s3.png"), FullPage = true });
    }

    private async Task<ClassifierApp> AppAsync(string? bucket)
    {
        var store = new FileModelStore(_temp.Combine("store"));
        await TestBundles.PublishColorAsync(store, _temp.Path, "v1");
        var settings = new Dictionary<string, string?>
        {
            ["Mic:MaxImageBytes"] = "300000",
            ["Mic:S3:ServiceUrl"] = rgw.Connection.ServiceUrl,
            ["Mic:S3:ForcePathStyle"] = "true",
            ["Mic:S3:AccessKey"] = rgw.Connection.AccessKey,
            ["Mic:S3:SecretKey"] = rgw.Connection.SecretKey,
        };
        if (bucket is not null)
        {
            settings["Mic:Uploads:Bucket"] = bucket;
            settings["Mic:S3Events:Bucket"] = bucket;
        }

        return new ClassifierApp(store.Root, _temp.Combine("cache"), settings);
    }

    private static async Task<JsonElement> CreateTicketAsync(HttpClient client, string contentType, long bytes)
    {
        using var response = await client.PostAsJsonAsync("/uploads", new { contentType, bytes });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<HttpResponseMessage> PostFormAsync(JsonElement ticket, byte[] file, string contentType, bool overrideContentType = false)
    {
        using var http = new HttpClient();
        var form = new MultipartFormDataContent();
        foreach (var field in ticket.GetProperty("fields").EnumerateObject())
        {
            var value = overrideContentType && field.Name == "Content-Type" ? contentType : field.Value.GetString()!;
            form.Add(new StringContent(value), field.Name);
        }

        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        form.Add(part, "file", "upload");
        return await http.PostAsync(ticket.GetProperty("url").GetString(), form);
    }

    private async Task<string> WaitForUploadAsync(string bucket)
    {
        for (var i = 0; i < 300; i++)
        {
            var listed = await rgw.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "uploads/" });
            if (listed.S3Objects is { Count: > 0 } objects)
            {
                return objects[0].Key;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the page's upload never reached RGW");
    }

    private static Task ProcessAsync(ClassifierApp app, string bucket, string key) =>
        app.Services.GetRequiredService<S3UploadClassifier>().ProcessAsync(bucket, key, "test-trigger", null, CancellationToken.None);
}
