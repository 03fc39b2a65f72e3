using Mic.ClassifierFunction.Api;
using Mic.ClassifierFunction.Uploads;

namespace Mic.ClassifierFunction.Hosting;

internal static class EndpointRouteBuilderExtensions
{
    /// <summary>Every route of the function: the classifier API, the upload page and the upload routes.</summary>
    public static IEndpointRouteBuilder MapClassifierApi(this IEndpointRouteBuilder app)
    {
        app.MapClassifierRoutes();
        app.MapUploadPage();
        app.MapUploadsApi();
        return app;
    }
}
