using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mic.ClassifierFunction.Lambda;

namespace Mic.ClassifierFunction.Tests.Lambda;

/// <summary>The runtime server hosting a small ASP.NET Core app, driven by <see cref="FakeRuntimeApi"/>.</summary>
public sealed class LambdaRuntimeServerTests : IAsyncLifetime
{
    private readonly TaskCompletionSource _slowCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FakeRuntimeApi _runtime = null!;
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        _runtime = await FakeRuntimeApi.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<LambdaRuntimeOptions>(options =>
        {
            options.RuntimeApi = _runtime.Address;
            options.DeadlineMargin = TimeSpan.FromMilliseconds(100);
        });
        builder.Services.AddSingleton<IServer, LambdaRuntimeServer>();
        _app = builder.Build();
        _app.UseExceptionHandler(error => error.Run(context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        }));
        _app.MapPost("/echo", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            return Results.Bytes(body.ToArray(), request.ContentType ?? "application/octet-stream");
        });
        _app.MapGet("/describe", (HttpRequest request) => Results.Text(string.Join('\n',
            request.PathBase, request.Path, request.QueryString, request.Headers["X-Amzn-Trace-Id"], request.Headers.Cookie,
            Environment.GetEnvironmentVariable(LambdaRuntimeOptions.TraceIdVariable), request.HttpContext.TraceIdentifier,
            request.HttpContext.Connection.RemoteIpAddress)));
        _app.MapGet("/slow", async (CancellationToken cancellationToken) =>
        {
            using var registration = cancellationToken.Register(() => _slowCancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, cancellationToken);
        });
        _app.MapGet("/throws", string () => throw new InvalidOperationException("secret detail"));
        _app.MapGet("/huge", () => Results.Bytes(new byte[5 * 1024 * 1024], "application/octet-stream"));
        _app.MapGet("/cookies", (HttpResponse response) =>
        {
            response.Cookies.Append("a", "1");
            response.Cookies.Append("b", "2");
            return Results.NoContent();
        });
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    [Theory]
    [InlineData(nameof(ApiGatewayFormat.HttpApiV2))]
    [InlineData(nameof(ApiGatewayFormat.RestV1))]
    public async Task Invoke_BinaryUpload_ComesBackByteIdentical(string formatName)
    {
        var format = Enum.Parse<ApiGatewayFormat>(formatName);
        var photo = TestAssets.Bytes(TestAssets.MateBackground("nature/Garden.jpg"));
        var lambdaEvent = format == ApiGatewayFormat.HttpApiV2
            ? LambdaEvents.HttpApiV2("POST", "/echo", photo, "image/jpeg")
            : LambdaEvents.RestV1("POST", "/echo", photo, "image/jpeg");

        var result = await _runtime.InvokeAsync(lambdaEvent.ToJsonString());

        Assert.Equal("response", result.Kind);
        using var response = result.Json();
        Assert.Equal(200, response.RootElement.GetProperty("statusCode").GetInt32());
        Assert.True(response.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(photo, Convert.FromBase64String(response.RootElement.GetProperty("body").GetString()!));
    }

    [Fact]
    public async Task Invoke_Request_SeesStageQueryCookiesTraceIdAndRequestId()
    {
        const string trace = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1";
        var lambdaEvent = LambdaEvents.HttpApiV2("GET", "/prod/describe", stage: "prod", rawQueryString: "a=1&b=%20",
            cookies: new JsonArray("session=x"));

        var result = await _runtime.InvokeAsync(lambdaEvent.ToJsonString(), traceId: trace);

        using var response = result.Json();
        var lines = response.RootElement.GetProperty("body").GetString()!.Split('\n');
        Assert.Equal(["/prod", "/describe", "?a=1&b=%20", trace, "session=x", trace], lines[..6]);
        Assert.True(Guid.TryParse(lines[6], out _)); // the Lambda request id is the trace identifier
        Assert.Equal("203.0.113.7", lines[7]);
    }

    [Fact]
    public async Task Invoke_PastTheDeadline_CancelsTheRequestAndReportsTimeout()
    {
        var result = await _runtime.InvokeAsync(LambdaEvents.HttpApiV2("GET", "/slow").ToJsonString(),
            deadline: DateTimeOffset.UtcNow.AddMilliseconds(600));

        Assert.True(_slowCancelled.Task.IsCompleted);
        Assert.Equal("error", result.Kind);
        Assert.Equal("DeadlineExceeded", result.ErrorType);
        using var error = result.Json();
        Assert.Equal("DeadlineExceeded", error.RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Invoke_HandlerThrows_Answers500WithoutDetail()
    {
        var result = await _runtime.InvokeAsync(LambdaEvents.HttpApiV2("GET", "/throws").ToJsonString());

        Assert.Equal("response", result.Kind);
        using var response = result.Json();
        Assert.Equal(500, response.RootElement.GetProperty("statusCode").GetInt32());
        Assert.DoesNotContain("secret detail", Encoding.UTF8.GetString(result.Body));
    }

    [Fact]
    public async Task Invoke_BodyMarkedBase64ThatIsNot_Answers400WithoutRunningTheApp()
    {
        var lambdaEvent = LambdaEvents.HttpApiV2("POST", "/throws", [1, 2, 3], "image/jpeg");
        lambdaEvent["body"] = "this is not base64!";

        var result = await _runtime.InvokeAsync(lambdaEvent.ToJsonString());

        Assert.Equal("response", result.Kind);
        using var response = result.Json();
        Assert.Equal(400, response.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/problem+json", response.RootElement.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Contains("not valid base64", response.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Invoke_ResponseOverLambdasPayloadLimit_Answers500SayingSo()
    {
        // 5 MiB of bytes is 7 MB of base64: more than one invocation may return.
        var result = await _runtime.InvokeAsync(LambdaEvents.HttpApiV2("GET", "/huge").ToJsonString());

        Assert.Equal("response", result.Kind);
        Assert.True(result.Body.Length <= LambdaPayload.MaxBytes);
        using var response = result.Json();
        Assert.Equal(500, response.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Contains("Response too large", response.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Invoke_SetCookies_AreReturnedAsCookies()
    {
        var result = await _runtime.InvokeAsync(LambdaEvents.HttpApiV2("GET", "/cookies").ToJsonString());

        using var response = result.Json();
        Assert.Equal(204, response.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal(2, response.RootElement.GetProperty("cookies").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"source":"aws.events","detail-type":"Scheduled Event"}""", "UnrecognizedEventException", "detail-type")]
    [InlineData("""not json""", "InvalidEvent", "not JSON")]
    public async Task Invoke_UnknownEvent_ReportsAnErrorNamingIt(string payload, string errorType, string mentions)
    {
        var result = await _runtime.InvokeAsync(payload);

        Assert.Equal("error", result.Kind);
        Assert.Equal(errorType, result.ErrorType);
        using var error = result.Json();
        Assert.Contains(mentions, error.RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Invoke_AfterAnError_TheLoopGoesOn()
    {
        await _runtime.InvokeAsync("[]");

        var result = await _runtime.InvokeAsync(LambdaEvents.HttpApiV2("POST", "/echo", [1, 2, 3], "application/octet-stream").ToJsonString());

        Assert.Equal("response", result.Kind);
    }

    [Fact]
    public async Task StopAsync_WhileWaitingForAnEvent_ReturnsPromptly()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await _app.StopAsync(timeout.Token);

        Assert.False(timeout.IsCancellationRequested);
    }
}
