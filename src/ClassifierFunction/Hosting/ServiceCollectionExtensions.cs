using Amazon.S3;
using Mic.ClassifierFunction.Classification;
using Mic.ClassifierFunction.Configuration;
using Mic.ClassifierFunction.Feedback;
using Mic.ClassifierFunction.Lambda;
using Mic.ClassifierFunction.S3Events;
using Mic.ClassifierFunction.Telemetry;
using Mic.Core.Imaging;
using Mic.Core.Inference;
using Mic.Core.Store;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Hosting;

/// <summary>The function's composition root: every service the API, the upload routes and the S3 path use.</summary>
internal static class ServiceCollectionExtensions
{
    /// <summary>Friendly command-line switches mapped onto the <c>Mic</c> section.</summary>
    public static IDictionary<string, string> CommandLineSwitches => new Dictionary<string, string>
    {
        ["--model-store"] = "Mic:ModelStore",
        ["--poll-interval"] = "Mic:PollIntervalSeconds",
        ["--threads"] = "Mic:IntraOpThreads",
    };

    /// <summary>
    /// Registers options (validated at start-up), the model host and its poller, the serving classifier, the images
    /// bucket's client, the request log and the S3 and queue event handlers. On Lambda a model store that cannot be
    /// read fails the start-up, and <c>POST /classify</c> takes only what one invocation can carry.
    /// </summary>
    public static IServiceCollection AddMicClassifier(this IServiceCollection services)
    {
        AddValidated<ClassifierFunctionOptions, ClassifierFunctionOptionsValidator>(services, ClassifierFunctionOptions.SectionName);
        AddValidated<S3EventOptions, S3EventOptionsValidator>(services, S3EventOptions.SectionName);
        AddValidated<UploadOptions, UploadOptionsValidator>(services, UploadOptions.SectionName);
        AddValidated<FeedbackOptions, FeedbackOptionsValidator>(services, FeedbackOptions.SectionName);
        if (LambdaRuntimeOptions.IsLambdaEnvironment)
        {
            services.PostConfigure<ClassifierFunctionOptions>(options => options.MaxRequestBytes ??= LambdaPayload.MaxRequestBodyBytes);
        }

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
        services.AddSingleton<ServingClassifier>();
        services.AddHostedService<ModelRefreshService>();
        if (LambdaRuntimeOptions.IsLambdaEnvironment)
        {
            services.AddHostedService<ModelStoreStartupCheck>();
        }

        services.AddKeyedSingleton<IAmazonS3>(ImagesBucket.ClientKey, (sp, _) =>
            ModelStoreLocation.CreateS3Client(sp.GetRequiredService<IOptions<ClassifierFunctionOptions>>().Value.S3));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new RequestLog(Console.Out, TimeProvider.System));
        services.AddSingleton(sp => new ImagesBucketClient(() => sp.GetRequiredKeyedService<IAmazonS3>(ImagesBucket.ClientKey)));
        services.AddSingleton<FeedbackRecorder>();
        services.AddSingleton<FeedbackIntake>();
        services.AddSingleton<S3UploadClassifier>();
        services.AddSingleton<ILambdaEventHandler, S3EventHandler>();
        services.AddSingleton<ILambdaEventHandler, SqsEventHandler>();

        // Room for multipart framing around an image at the byte limit; the image itself is checked exactly.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ClassifierFunctionOptions>>((kestrel, options) =>
            kestrel.Limits.MaxRequestBodySize = options.Value.MaxImageBytes + 64 * 1024);

        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, Api.ApiJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(1, Uploads.UploadsJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(2, FeedbackJsonContext.Default);
        });
        return services;
    }

    private static void AddValidated<TOptions, TValidator>(IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}
