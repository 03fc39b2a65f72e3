using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mic.ClassifierFunction.Lambda;

internal static class LambdaHostingExtensions
{
    /// <summary>
    /// When the process runs on Lambda (<c>AWS_LAMBDA_RUNTIME_API</c> is set), replaces Kestrel with
    /// <see cref="LambdaRuntimeServer"/> and logs JSON lines for CloudWatch; elsewhere does nothing, so the same
    /// Program.cs serves HTTP locally. The counterpart of Amazon.Lambda.AspNetCoreServer.Hosting's AddAWSLambdaHosting.
    /// </summary>
    public static IServiceCollection AddLambdaRuntimeServer(this IServiceCollection services)
    {
        if (!LambdaRuntimeOptions.IsLambdaEnvironment)
        {
            return services;
        }

        services.AddOptions<LambdaRuntimeOptions>();
        services.RemoveAll<IServer>();
        services.AddSingleton<IServer, LambdaRuntimeServer>();
        services.AddLogging(logging => logging.AddJsonConsole(json => json.UseUtcTimestamp = true));
        return services;
    }
}
