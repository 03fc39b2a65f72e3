using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mic.Core.Store;

namespace Mic.ClassifierFunction.Tests.Api;

public sealed class ClassifyApiTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private ClassifierApp _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await TestBundles.PublishColorAsync(new FileModelStore(_temp.Combine("store")), _temp.Path, "v1");
        _app = new ClassifierApp(_temp.Combine("store"), _temp.Combine("cache"), new Dictionary<string, string?>
        {
            ["Mic:MaxImageBytes"] = "2000000",
            ["Mic:MaxImagePixels"] = "1000000",
            ["Mic:Concurrency:QueueLimit"] = "300", // the parallel test's burst queues instead of meeting 503s
        });
        _client = _app.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        _temp.Dispose();
    }

    [Theory]
    [InlineData("red")]
    [InlineData("green")]
    [InlineData("blue")]
    public async Task Classify_RawJpegBody_ReturnsPredictionsImageAndTimings(string colour)
    {
        using var response = await _client.PostAsync("/classify", Jpeg(Images.TintedPhoto(colour)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        var root = json.RootElement;
        Assert.Equal("v1", root.GetProperty("modelVersion").GetString());
        var predictions = root.GetProperty("predictions").EnumerateArray().ToArray();
        Assert.Equal(3, predictions.Length);
        Assert.Equal(colour, predictions[0].GetProperty("label").GetString());
        var probabilities = predictions.Select(p => p.GetProperty("probability").GetDouble()).ToArray();
        Assert.Equal(probabilities.OrderDescending(), probabilities);
        Assert.Equal(600, root.GetProperty("image").GetProperty("width").GetInt32());
        Assert.Equal(400, root.GetProperty("image").GetProperty("height").GetInt32());
        Assert.Equal("jpeg", root.GetProperty("image").GetProperty("format").GetString());
        var timings = root.GetProperty("timings");
        Assert.True(timings.GetProperty("totalMs").GetDouble() >= timings.GetProperty("inferenceMs").GetDouble());
        Assert.True(timings.GetProperty("decodeMs").GetDouble() > 0);
    }

    [Fact]
    public async Task Classify_MultipartFile_ReturnsPredictions()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("a note"), "comment" },
            { Jpeg(Images.TintedPhoto("blue")), "file", "photo.jpg" },
        };

        using var response = await _client.PostAsync("/classify", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        Assert.Equal("blue", json.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());
    }

    [Fact]
    public async Task Classify_OctetStreamPng_IsSniffedAndClassified()
    {
        using var content = new ByteArrayContent(TestAssets.Bytes(TestAssets.Skimage("coffee.png")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await _client.PostAsync("/classify?top=1", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        Assert.Single(json.RootElement.GetProperty("predictions").EnumerateArray());
        Assert.Equal("png", json.RootElement.GetProperty("image").GetProperty("format").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("1001")]
    public async Task Classify_BadTop_Is400Problem(string top)
    {
        using var response = await _client.PostAsync($"/classify?top={top}", Jpeg(Images.TintedPhoto("red")));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "top must be an integer");
    }

    [Fact]
    public async Task Classify_TruncatedJpeg_Is400Problem()
    {
        using var response = await _client.PostAsync("/classify", Jpeg(TestAssets.Bytes(TestAssets.Skimage("truncated.jpg"))));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "truncated");
    }

    [Fact]
    public async Task Classify_TextFile_Is415Problem()
    {
        using var response = await _client.PostAsync("/classify", new StringContent("just some text"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "not an image");
    }

    [Fact]
    public async Task Classify_EmptyBody_Is415Problem()
    {
        using var response = await _client.PostAsync("/classify", Jpeg([]));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "empty");
    }

    [Fact]
    public async Task Classify_OverByteLimit_Is413Problem()
    {
        var big = TestAssets.Bytes(TestAssets.Skimage("astronaut.png")).Concat(new byte[1_500_000]).ToArray();

        using var response = await _client.PostAsync("/classify", Jpeg(big));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "limit of 2000000 bytes");
    }

    [Fact]
    public async Task Classify_OverByteLimitInMultipart_Is413Problem()
    {
        using var form = new MultipartFormDataContent { { Jpeg(new byte[2_100_000]), "file", "huge.jpg" } };

        using var response = await _client.PostAsync("/classify", form);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "limit of 2000000 bytes");
    }

    [Fact]
    public async Task Classify_OverTheRequestLimitButNotTheImageLimit_Is413NamingTheUploadRoute()
    {
        await using var app = new ClassifierApp(_temp.Combine("store"), _temp.Combine("cache-request-limit"), new Dictionary<string, string?>
        {
            ["Mic:MaxImageBytes"] = "2000000",
            ["Mic:MaxRequestBytes"] = "100000",
        });
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/classify", Jpeg(new byte[150_000]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var problem = await ReadJsonAsync(response);
        var detail = problem.RootElement.GetProperty("detail").GetString();
        Assert.Contains("larger than 100000 bytes, the most one API request carries (Mic:MaxRequestBytes)", detail);
        Assert.Contains("POST /uploads", detail);
    }

    [Fact]
    public async Task Classify_OverPixelLimit_Is413Problem()
    {
        // 2560 x 1600 is over the 1 MP limit configured for this test.
        var photo = TestAssets.Bytes(TestAssets.MateBackground("nature/Garden.jpg"));

        using var response = await _client.PostAsync("/classify", Jpeg(photo));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "pixels");
    }

    [Fact]
    public async Task Classify_MultipartWithoutFile_Is400Problem()
    {
        using var form = new MultipartFormDataContent { { new StringContent("no file here"), "comment" } };

        using var response = await _client.PostAsync("/classify", form);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "no file part");
    }

    [Fact]
    public async Task Classify_ManyParallelRequests_AllAnsweredCorrectly()
    {
        var colours = new[] { "red", "green", "blue" };
        var bodies = colours.ToDictionary(c => c, Images.TintedPhoto);

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            var colour = colours[i % 3];
            using var response = await _client.PostAsync("/classify", Jpeg(bodies[colour]));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return $"{i}: HTTP {(int)response.StatusCode}";
            }

            using var json = await ReadJsonAsync(response);
            var label = json.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString();
            return label == colour ? null : $"{i}: {label} for {colour}";
        }));

        Assert.All(results, r => Assert.Null(r));
    }

    [Fact]
    public async Task Model_WithModelLoaded_DescribesIt()
    {
        var summary = await _client.GetFromJsonAsync<JsonElement>("/model");

        Assert.Equal("v1", summary.GetProperty("version").GetString());
        Assert.Equal(["red", "green", "blue"], summary.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(0.9, summary.GetProperty("metrics").GetProperty("accuracy").GetDouble());
        Assert.Equal("shorter-side-then-center-crop", summary.GetProperty("input").GetProperty("resize").GetString());
        // A one-pass model: no test-time augmentation (a `--tta flip` bundle says "flip").
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("testTimeAugmentation").ValueKind);
    }

    [Fact]
    public async Task Healthz_WithModelLoaded_Is200()
    {
        using var response = await _client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        Assert.Equal("v1", json.RootElement.GetProperty("modelVersion").GetString());
    }

    internal static ByteArrayContent Jpeg(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return content;
    }

    internal static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response) =>
        await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = await ReadJsonAsync(response);
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        var detail = json.RootElement.GetProperty("detail").GetString();
        Assert.Contains(detailContains, detail, StringComparison.OrdinalIgnoreCase);
    }
}
