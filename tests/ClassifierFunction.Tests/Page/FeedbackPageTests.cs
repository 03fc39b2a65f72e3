using Amazon.S3.Model;
using Mic.ClassifierFunction.S3Events;
using Mic.ClassifierFunction.Tests.Api;
using Mic.ClassifierFunction.Tests.Feedback;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Mic.ClassifierFunction.Tests.Page;

/// <summary>
/// "Wrong? Pick the right label" in Chromium, against the function on Kestrel with its model store, uploads and
/// feedback in a real RGW bucket: what a click or a key press leaves in the bucket, and what a refusal says.
/// </summary>
[Collection(RgwCollection.Name)]
public sealed class FeedbackPageTests(RgwFixture rgw) : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly BrowserFixture _browser = new();
    private IBrowserContext? _context;

    public Task InitializeAsync() => _browser.InitializeAsync();

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }

        await _browser.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Page_PickAnotherLabel_StoresImageAndSidecar()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await using var app = bucket.App();
        var page = await ClassifyAsync(app, "green");

        await page.SelectOptionAsync("#feedback-label", "blue");
        await page.ClickAsync("#feedback-send");

        await Assertions.Expect(page.Locator("#feedback-status")).ToContainTextAsync("saved as “blue”");
        var keys = await bucket.ListAsync();
        Assert.Equal(2, keys.Count);
        Assert.Matches("^feedback/blue/[0-9a-f]{64}\\.jpg$", keys[0]);
        Assert.Equal(keys[0][..^3] + "json", keys[1]);
        using var sidecar = await bucket.GetJsonAsync(keys[1]);
        Assert.Equal("green", sidecar.RootElement.GetProperty("predictedLabel").GetString());
        Assert.Equal("blue", sidecar.RootElement.GetProperty("label").GetString());
        Assert.Equal(FeedbackBucket.Sha256(await bucket.GetAsync(keys[0])), sidecar.RootElement.GetProperty("sha256").GetString());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "page-feedback-sent.png"), FullPage = true });
    }

    [Fact]
    public async Task Page_PredictedLabel_IsNotOfferedButNoneOfTheseIs()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await using var app = bucket.App();
        var page = await ClassifyAsync(app, "red");

        var offered = await page.Locator("#feedback-label option:not([disabled])").AllTextContentsAsync();

        Assert.Equal(["green", "blue", "None of these"], offered);
    }

    [Fact]
    public async Task Page_NoneOfThese_StoredUnderUnlabelled()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await using var app = bucket.App();
        var page = await ClassifyAsync(app, "red");

        await page.SelectOptionAsync("#feedback-label", new SelectOptionValue { Label = "None of these" });
        await page.ClickAsync("#feedback-send");

        await Assertions.Expect(page.Locator("#feedback-status")).ToContainTextAsync("saved as none of these");
        var keys = await bucket.ListAsync();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.StartsWith("feedback/_unlabelled/", k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Page_KeyboardOnly_ChoosesALabelAndSendsIt()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await using var app = bucket.App();
        var page = await ClassifyAsync(app, "green");
        await page.BringToFrontAsync();
        await page.FocusAsync("#drop");

        for (var i = 0; i < 10 && !await page.Locator("#feedback-label").EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Assertions.Expect(page.Locator("#feedback-label")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        var chosen = await page.Locator("#feedback-label").InputValueAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#feedback-send")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("#feedback-status")).ToContainTextAsync($"saved as “{chosen}”");
        Assert.Contains(chosen, new[] { "red", "blue" });
        Assert.All(await bucket.ListAsync(), k => Assert.StartsWith($"feedback/{chosen}/", k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Page_CorrectionRefused_ShowsPlainWordsAndWritesNothing()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await using var app = bucket.App(new Dictionary<string, string?> { ["Mic:Feedback:MaxImageBytes"] = "100" });
        var page = await ClassifyAsync(app, "green");

        await page.SelectOptionAsync("#feedback-label", "red");
        await page.ClickAsync("#feedback-send");

        await Assertions.Expect(page.Locator("#feedback-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#feedback-error")).ToHaveTextAsync("This image is too large to send as a correction.");
        await Assertions.Expect(page.Locator("#feedback-send")).ToBeEnabledAsync();
        Assert.Empty(await bucket.ListAsync());
    }

    [Fact]
    public async Task Page_SendWithoutChoosing_AsksForALabel()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await using var app = bucket.App();
        var page = await ClassifyAsync(app, "green");

        await page.ClickAsync("#feedback-send");

        await Assertions.Expect(page.Locator("#feedback-error")).ToHaveTextAsync("Choose a label first.");
        await Assertions.Expect(page.Locator("#feedback-label")).ToBeFocusedAsync();
        Assert.Empty(await bucket.ListAsync());
    }

    [Fact]
    public async Task Page_OriginalViaStorage_CorrectionCopiesTheUploadByItsKey()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await using var app = bucket.App();
        var page = await ClassifyAsync(app, "blue");
        await bucket.Client.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket.Name,
            Configuration = new CORSConfiguration
            {
                Rules = [new CORSRule { AllowedMethods = ["POST"], AllowedOrigins = [new Uri(page.Url).GetLeftPart(UriPartial.Authority)], AllowedHeaders = ["*"] }],
            },
        });

        await page.ClickAsync("#original-button");
        var upload = await WaitForUploadAsync(bucket);
        await app.Services.GetRequiredService<S3UploadClassifier>().ProcessAsync(bucket.Name, upload, "test-trigger", null, CancellationToken.None);
        await Assertions.Expect(page.Locator("#result-meta")).ToContainTextAsync("full-size original via storage");
        await page.SelectOptionAsync("#feedback-label", "green");
        await page.ClickAsync("#feedback-send");

        await Assertions.Expect(page.Locator("#feedback-status")).ToContainTextAsync("saved as “green”");
        var original = await bucket.GetAsync(upload);
        Assert.Equal(original, await bucket.GetAsync($"feedback/green/{FeedbackBucket.Sha256(original)}.jpg"));
        using var sidecar = await bucket.GetJsonAsync($"feedback/green/{FeedbackBucket.Sha256(original)}.json");
        Assert.Equal(upload, sidecar.RootElement.GetProperty("sourceKey").GetString());
    }

    private static async Task<string> WaitForUploadAsync(FeedbackBucket bucket)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await bucket.ListAsync("uploads/") is [var key])
            {
                return key;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the page's upload never reached RGW");
    }

    /// <summary>Opens the page and classifies a photo tinted <paramref name="colour"/>; returns once the result and the form show.</summary>
    private async Task<IPage> ClassifyAsync(ClassifierApp app, string colour)
    {
        var address = KestrelApp.Start(app);
        _context = await _browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 800, Height = 1000 } });
        var page = await _context.NewPageAsync();
        await page.GotoAsync(address.ToString());
        await Assertions.Expect(page.Locator("#model")).ToContainTextAsync("red, green, blue");
        var photo = _temp.Combine($"{colour}.jpg");
        await File.WriteAllBytesAsync(photo, Images.TintedPhoto(colour));
        await page.SetInputFilesAsync("#file", photo);
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync($"Most likely: {colour}");
        await Assertions.Expect(page.Locator("#feedback")).ToBeVisibleAsync();
        return page;
    }
}
