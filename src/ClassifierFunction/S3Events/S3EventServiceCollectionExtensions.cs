using Amazon.S3;
using Mic.ClassifierFunction.Hosting;
using Mic.ClassifierFunction.Lambda;
using Mic.Core.Store;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.S3Events;

public static class S3EventServiceCollectionExtensions
{
    /// <summary>
    /// Registers the S3 event handler for the Lambda runtime server. The images bucket's client uses the same
    /// <c>Mic:S3</c> connection settings as the model store.
    /// </summary>
    public static IServiceCollection AddS3EventHandling(this IServiceCollection services)
    {
        services.AddOptions<S3EventOptions>().BindConfiguration(S3EventOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<S3EventOptions>, S3EventOptionsValidator>();
        services.AddKeyedSingleton<IAmazonS3>(S3UploadClassifier.ImagesClientKey, (sp, _) =>
            ModelStoreLocation.CreateS3Client(sp.GetRequiredService<IOptions<ClassifierFunctionOptions>>().Value.S3));
        services.AddSingleton<S3UploadClassifier>();
        services.AddSingleton<ILambdaEventHandler, S3EventHandler>();
        return services;
    }
}
