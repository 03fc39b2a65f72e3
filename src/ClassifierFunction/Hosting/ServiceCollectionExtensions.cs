using Mic.ClassifierFunction.Lambda;
using Mic.ClassifierFunction.S3Events;
using Mic.ClassifierFunction.Uploads;
using Mic.ClassifierFunction.Telemetry;
using Mic.Core.Imaging;
using Mic.Core.Inference;
using Mic.Core.Store;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>Friendly command-line switches mapped onto the <c>Mic</c> section.</summary>
    public static IDictionary<string, string> CommandLineSwitches => new Dictionary<string, string>
    {
        ["--model-store"] = "Mic:ModelStore",
        ["--poll-interval"] = "Mic:PollIntervalSeconds",
        ["--threads"] = "Mic:IntraOpThreads",
    };

    /// <summary>
    /// Registers options (validated at start-up), the model host and its poller, the image pipeline, the request log
    /// and the S3 event handler. On Lambda a model store that cannot be read fails the start-up.
    /// </summary>
    public static IServiceCollection AddMicClassifier(this IServiceCollection services)
    {
        services.AddOptions<ClassifierFunctionOptions>()
            .BindConfiguration(ClassifierFunctionOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClassifierFunctionOptions>, ClassifierFunctionOptionsValidator>();

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ClassifierFunctionOptions>>().Value;
            return ModelStoreLocation.Open(options.ModelStore!, options.S3);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ClassifierFunctionOptions>>().Value;
            return new ModelHost(
                sp.GetRequiredService<OpenedStore>().Store,
                new ModelHostOptions
                {
                    CacheDirectory = options.CacheDirectory,
                    Classifier = new ClassifierOptions
                    {
                        IntraOpThreads = options.IntraOpThreads,
                        GraphOptimization = options.GraphOptimization,
                    },
                },
                sp.GetRequiredService<ILogger<ModelHost>>());
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ClassifierFunctionOptions>>().Value;
            return new ImageClassifier(new ImageDecoder(new ImageLimits
            {
                MaxBytes = options.MaxImageBytes,
                MaxPixels = options.MaxImagePixels,
            }));
        });
        services.AddHostedService<ModelRefreshService>();
        if (LambdaRuntimeOptions.IsLambdaEnvironment)
        {
            services.AddHostedService<ModelStoreStartupCheck>();
        }

        services.AddSingleton(new RequestLog(Console.Out, TimeProvider.System));
        services.AddS3EventHandling();
        services.AddUploads();

        // Room for multipart framing around an image at the byte limit; the image itself is checked exactly.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ClassifierFunctionOptions>>((kestrel, options) =>
            kestrel.Limits.MaxRequestBodySize = options.Value.MaxImageBytes + 64 * 1024);

        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, Api.ApiJsonContext.Default));
        return services;
    }
}
