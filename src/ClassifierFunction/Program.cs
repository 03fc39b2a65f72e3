using Mic.ClassifierFunction.Hosting;
using Mic.ClassifierFunction.Lambda;
using Mic.ClassifierFunction.Telemetry;
using Microsoft.Extensions.Options;

GlibcMallocTuning.Apply(); // large native blocks go back to the OS: bounded RSS under load
// Configuration files are read once: reloading them would watch the content root recursively (the working directory,
// which for a local run can be a whole repository) for nothing (docs/benchmarks.md, "Start-up").
var builder = WebApplication.CreateSlimBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
builder.Configuration.AddCommandLine(args, ServiceCollectionExtensions.CommandLineSwitches);
builder.Services.AddMicClassifier();
builder.Services.AddClassifyConcurrencyLimit(); // queue, then 503 + Retry-After
builder.Services.AddLambdaRuntimeServer(); // replaces Kestrel only when AWS_LAMBDA_RUNTIME_API is set

try
{
    var app = builder.Build();
    if (app.Configuration.GetValue("Mic:RequestLog", LambdaRuntimeOptions.IsLambdaEnvironment))
    {
        app.UseMiddleware<RequestLogMiddleware>();
    }

    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.MapClassifierApi();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is OptionsValidationException || LambdaRuntimeOptions.IsLambdaEnvironment)
{
    var message = e is OptionsValidationException invalid
        ? $"invalid configuration: {string.Join("; ", invalid.Failures)}"
        : $"start-up failed: {e.Message}";
    await Console.Error.WriteLineAsync($"ClassifierFunction: {message}");
    await LambdaStartup.TryReportFailureAsync(new LambdaError(e is OptionsValidationException ? "InvalidConfiguration" : e.GetType().Name, message));
    return 2;
}

/// <summary>Entry point; public because the tests host it (WebApplicationFactory&lt;Program&gt; in a public fixture).</summary>
public partial class Program;
