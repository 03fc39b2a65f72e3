using Mic.ClassifierFunction.Api;
using Mic.ClassifierFunction.Hosting;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Configuration.AddCommandLine(args, ServiceCollectionExtensions.CommandLineSwitches);
builder.Services.AddMicClassifier();

try
{
    var app = builder.Build();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.MapClassifierApi();
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync($"ClassifierFunction: invalid configuration: {string.Join("; ", e.Failures)}");
    return 2;
}

/// <summary>Entry point; public so integration tests can host it.</summary>
public partial class Program;
