using System.Text.RegularExpressions;
using Mic.Core.Store;
using Microsoft.Playwright;

namespace Mic.ClassifierFunction.Tests.Page;

[Collection(BrowserCollection.Name)]
public sealed partial class UploadPageTests(BrowserFixture browser) : IDisposable
{
    private readonly TempDirectory _temp = new();

    private readonly List<IBrowserContext> _contexts = [];

    public void Dispose()
    {
        // Each test's browser context is closed with it, so no page of an earlier test is left holding focus.
        foreach (var context in _contexts)
        {
            context.CloseAsync().GetAwaiter().GetResult();
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task Upload_MotorcyclePhoto_ShowsLabelBarsVersionAndLatency()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        await ModelPublisher.PublishAsync(store, ResNet18Bundles.NearestCentroid(_temp.Combine("bundle"), "resnet18-demo"), CancellationToken.None);
        await using var app = new ClassifierApp(store.Root, _temp.Combine("cache"));
        var page = await OpenAsync(KestrelApp.Start(app));

        await page.SetInputFilesAsync("#file", TestAssets.Skimage("motorcycle_right.png"));

        var first = page.Locator("#predictions li").First;
        await Assertions.Expect(first.Locator(".name")).ToHaveTextAsync("motorcycle");
        await Assertions.Expect(page.Locator("#predictions li")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Most likely: motorcycle");
        await Assertions.Expect(page.Locator("#result-meta")).ToContainTextAsync(MillisecondsPattern());
        await Assertions.Expect(page.Locator("#result-meta")).ToContainTextAsync("Model resnet18-demo");
        await Assertions.Expect(first.Locator("[role=meter]")).ToHaveAttributeAsync("aria-label", PercentPattern());
        var width = await first.Locator(".fill").EvaluateAsync<double>("e => e.getBoundingClientRect().width");
        Assert.True(width > 0, "the top bar has no width");
        await Assertions.Expect(page.Locator("#model")).ToContainTextAsync("motorcycle, cat, coffee, rocket, astronaut");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("page-after-classification.png"), FullPage = true });
    }

    [Fact]
    public async Task Upload_TextFile_ShowsReadableError()
    {
        await using var app = await ColourAppAsync();
        var page = await OpenAsync(KestrelApp.Start(app));
        var text = _temp.Combine("notes.txt");
        await File.WriteAllTextAsync(text, "this is not a photo");

        await page.SetInputFilesAsync("#file", text);

        await Assertions.Expect(page.Locator("#error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("not an image the classifier can read");
        await Assertions.Expect(page.Locator("#predictions li")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("page-not-an-image.png"), FullPage = true });
    }

    [Fact]
    public async Task Upload_LargePhoto_IsDownscaledInTheBrowserBeforeUpload()
    {
        await using var app = await ColourAppAsync();
        var page = await OpenAsync(KestrelApp.Start(app));
        var uploads = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/classify", StringComparison.Ordinal))
            {
                uploads.Add(request.Headers.GetValueOrDefault("content-type", ""));
            }
        };

        // 5640 x 3172, 16 MB: the page must shrink it to about twice the model's 32-pixel input before sending.
        await page.SetInputFilesAsync("#file", TestAssets.MateBackground("abstract/Elephants_5640x3172.jpg"));

        // The server reports the size it received: 5640x3172 scaled so the shorter side is 2 x 32 pixels.
        await Assertions.Expect(page.Locator("#result-meta")).ToContainTextAsync("image 114×64 jpeg");
        Assert.Equal(["image/jpeg"], uploads);
    }

    [Fact]
    public async Task Open_NoModelPublished_SaysSoInWords()
    {
        await using var app = new ClassifierApp(_temp.Combine("empty"), _temp.Combine("cache"));
        var page = await OpenAsync(KestrelApp.Start(app));

        await Assertions.Expect(page.Locator("#model-status")).ToContainTextAsync("No model is available yet");
        await page.SetInputFilesAsync("#file", TestAssets.Skimage("rocket.jpg"));
        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("No model is available yet");
    }

    [Fact]
    public async Task Keyboard_EnterOnTheDropZone_OpensTheFilePicker()
    {
        await using var app = await ColourAppAsync();
        var page = await OpenAsync(KestrelApp.Start(app));

        // Other page tests run in the same browser at the same time; a file picker opens only from the front page.
        await page.BringToFrontAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#drop")).ToBeFocusedAsync();
        var fileChooser = await page.RunAndWaitForFileChooserAsync(() => page.Keyboard.PressAsync("Enter"));
        await fileChooser.SetFilesAsync(TestAssets.Skimage("coffee.png"));

        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Most likely:");
    }

    [Fact]
    public async Task Open_Page_SendsSecurityHeaders()
    {
        await using var app = await ColourAppAsync();
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(KestrelApp.Start(app).ToString());

        Assert.NotNull(response);
        var headers = await response.AllHeadersAsync();
        Assert.Contains("default-src 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("MIC — image classifier", await page.TitleAsync());
    }

    private async Task<ClassifierApp> ColourAppAsync()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        await TestBundles.PublishColorAsync(store, _temp.Path, "colour-v1");
        return new ClassifierApp(store.Root, _temp.Combine("cache"));
    }

    private async Task<IPage> OpenAsync(Uri address)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 800, Height = 1000 } });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync(address.ToString());
        return page;
    }

    private static string Screenshot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    [GeneratedRegex(@"\d+ ms round trip")]
    private static partial Regex MillisecondsPattern();

    [GeneratedRegex(@"^motorcycle: \d+(\.\d)? percent$")]
    private static partial Regex PercentPattern();
}
